import type { ChatMessage } from '../../../contracts/ai';
import { applyAgentEvent, EMPTY_CALLS, type AgentEvent, type CallsState } from '../runs/agent-calls-state';
import { awaitsAnswer, conversationOf, liveTail, unconfirmed } from './chat-state';

const numbered = (messages: ChatMessage[]) => messages.map((message, seq) => ({ seq, message }));

const transcript = numbered([
  { role: 'system', content: 'You are the HR assistant.' },
  { role: 'user', content: 'Remembered question' },
  { role: 'assistant', content: 'Remembered answer' },
  { role: 'user', content: 'A request from Ada: onboard Jane Doe' },
  { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'lookup', arguments: {} }] },
  { role: 'tool', toolCallId: 'c1', name: 'lookup', content: '{"found":true}' },
  { role: 'assistant', content: 'Jane Doe is set up for Monday.' },
  { role: 'user', content: 'Thanks! Add a laptop.' },
]);

describe('conversationOf', () => {
  it('keeps what people said and what the assistant answered, from the prompt on, the prompt as typed', () => {
    expect(conversationOf(transcript, 4, 'onboard Jane Doe')).toEqual([
      { seq: 3, role: 'user', text: 'onboard Jane Doe' },
      { seq: 6, role: 'assistant', text: 'Jane Doe is set up for Monday.' },
      { seq: 7, role: 'user', text: 'Thanks! Add a laptop.' },
    ]);
  });

  it('takes everything written so far as the opening before the first model call', () => {
    expect(conversationOf(transcript.slice(0, 4), undefined, 'onboard Jane Doe')).toEqual([
      { seq: 3, role: 'user', text: 'onboard Jane Doe' },
    ]);
  });

  it('shows the prompt itself when the trigger carried no message', () => {
    expect(conversationOf(transcript.slice(0, 4), undefined, undefined)[0].text).toBe(
      'A request from Ada: onboard Jane Doe',
    );
  });
});

const event = (over: Partial<AgentEvent>): AgentEvent => ({
  kind: 'agent',
  runId: 'run_1',
  workflowId: 'wf',
  nodeId: 'agent',
  iteration: 0,
  key: 'run_1:agent:0',
  seq: 4,
  call: 'model',
  name: 'fake',
  status: 'running',
  at: new Date(0).toISOString(),
  ...over,
});

const fold = (...events: AgentEvent[]): CallsState => events.reduce(applyAgentEvent, EMPTY_CALLS);
const KEY = 'run_1:agent:0';
const asked = [{ seq: 3, role: 'user' as const, text: 'Hi' }];

describe('liveTail', () => {
  it('says the assistant is thinking while a model call has streamed nothing', () => {
    expect(liveTail(fold(event({})), KEY, asked)).toEqual({ activity: 'Thinking…' });
  });

  it('grows the reply from the streamed deltas, and keeps it once the call ends until the transcript holds it', () => {
    const streaming = fold(event({}), event({ text: 'Hel' }), event({ text: 'lo!' }));
    expect(liveTail(streaming, KEY, asked)).toEqual({ streaming: 'Hello!' });
    const ended = applyAgentEvent(streaming, event({ status: 'succeeded' }));
    expect(liveTail(ended, KEY, asked)).toEqual({ streaming: 'Hello!' });
    expect(liveTail(ended, KEY, [...asked, { seq: 4, role: 'assistant', text: 'Hello!' }])).toEqual({});
  });

  it('names a running tool call, a sub-agent’s too, and ignores other executions', () => {
    const tool = fold(event({ call: 'tool', name: 'send_email', seq: 5 }));
    expect(liveTail(tool, KEY, asked)).toEqual({ activity: 'Calling tool send_email…' });
    const sub = fold(event({ call: 'tool', name: 'lookup', key: `${KEY}/5`, seq: 2 }));
    expect(liveTail(sub, KEY, asked)).toEqual({ activity: 'Calling tool lookup…' });
    expect(liveTail(fold(event({ key: 'run_1:other:0', text: 'x' })), KEY, asked)).toEqual({});
  });

  it('drops what a failed attempt streamed', () => {
    const failed = fold(event({}), event({ text: 'half' }), event({ status: 'failed', error: 'boom' }));
    expect(liveTail(failed, KEY, asked)).toEqual({});
  });
});

describe('pending messages', () => {
  it('stay until a stored message of the person after the one they followed has their text', () => {
    const pending = [
      { id: 1, text: 'Add a laptop', afterSeq: 4 },
      { id: 2, text: 'Add a laptop', afterSeq: 4 },
    ];
    const lines = [
      { seq: 4, role: 'assistant' as const, text: 'Done.' },
      { seq: 5, role: 'user' as const, text: 'Add a laptop' },
    ];
    expect(unconfirmed(pending, lines)).toEqual([pending[1]]);
    expect(awaitsAnswer(lines)).toBe(true);
    expect(awaitsAnswer(lines.slice(0, 1))).toBe(false);
  });
});
