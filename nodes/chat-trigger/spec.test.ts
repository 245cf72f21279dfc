import { compilePlan } from '../../ir/compile';
import type { DocumentNode, WorkflowDocument } from '../../ir/types';
import { checkParams } from '../../ir/params';
import { chatBindingOf, triggerRuntimeOf } from '../triggers';
import { chatTriggerPage, spec } from './spec';

const runtime = triggerRuntimeOf(spec);

describe('chat-trigger', () => {
  it('is a chat-bound trigger whose payload is the first message and who wrote it', () => {
    expect(runtime?.binding).toBe('chat');
    expect(chatBindingOf(spec)?.payload({}, 'Onboard Jane Doe', { id: 'usr_1', name: 'Ada' })).toEqual({
      message: 'Onboard Jane Doe',
      user: { id: 'usr_1', name: 'Ada' },
    });
  });

  it('takes the caller’s input as a test run’s payload, a bare string as the message', () => {
    expect(runtime?.manualPayload({}, undefined)).toEqual({ message: '', user: null });
    expect(runtime?.manualPayload({}, 'Hi')).toEqual({ message: 'Hi', user: null });
    expect(runtime?.manualPayload({}, { message: 'Hi', user: { id: 'u', name: 'U' } })).toEqual({
      message: 'Hi',
      user: { id: 'u', name: 'U' },
    });
  });

  it('describes its page, with defaults for blank or missing params (plans frozen before a param existed)', () => {
    expect(chatTriggerPage({ title: ' HR assistant ', welcome: ' Ask me. ', access: 'members' })).toEqual({
      title: 'HR assistant',
      welcome: 'Ask me.',
      access: 'members',
    });
    const blank = chatTriggerPage({ title: '  ' });
    expect(blank.title).toBe('Chat');
    expect(blank.welcome.length).toBeGreaterThan(0);
    expect(blank.access).toBe('members');
  });

  it('offers members only: a public chat is refused by the param schema', () => {
    expect(checkParams(spec, { access: 'members' })).toEqual([]);
    expect(checkParams(spec, { access: 'public' })).toEqual([
      expect.objectContaining({ path: ['access'], message: expect.stringContaining('access') }),
    ]);
  });
});

describe('compile warnings about chats', () => {
  const meta = { workflowId: 'wf-chat', name: 'Chat test' };
  const node = (id: string, type: string, params: Record<string, unknown>): DocumentNode => ({
    id,
    type,
    version: 1,
    name: id,
    position: { x: 0, y: 0 },
    params,
  });
  const agent = (conversation: 'single' | 'chat') =>
    node('Assistant', 'agent', {
      model: 'mdl_00000000-0000-4000-8000-000000000000',
      prompt: '{{ $input.message }}',
      conversation,
    });
  const warnings = (trigger: DocumentNode, next: DocumentNode) => {
    const document: WorkflowDocument = {
      nodes: [trigger, next],
      edges: [{ id: 'e', source: trigger.id, sourcePort: 'out', target: next.id, targetPort: 'in' }],
      settings: {},
    };
    const result = compilePlan(document, meta);
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    return result.warnings.filter((w) => w.code.startsWith('chat-'));
  };
  const chat = node('Chat', 'chat-trigger', { title: 'HR' });

  it('flag a Chat trigger with no Agent in chat mode: later messages would go unread', () => {
    expect(warnings(chat, agent('single'))).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'chat-without-chat-agent',
        nodeId: 'Chat',
        message: expect.stringMatching(/^Chat: a Chat trigger .* no Agent after it is set to Conversation "Chat"/),
      }),
    ]);
  });

  it('flag an Agent in chat mode under another trigger: no message could reach it', () => {
    expect(warnings(node('Start', 'manual-trigger', {}), agent('chat'))).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'chat-agent-without-chat-trigger',
        nodeId: 'Assistant',
        message: expect.stringMatching(/^Assistant: set to Conversation "Chat", but "Start" is not a Chat trigger/),
      }),
    ]);
  });

  it('say nothing when a Chat trigger leads to an Agent in chat mode, or neither is there', () => {
    expect(warnings(chat, agent('chat'))).toEqual([]);
    expect(warnings(node('Start', 'manual-trigger', {}), agent('single'))).toEqual([]);
  });
});
