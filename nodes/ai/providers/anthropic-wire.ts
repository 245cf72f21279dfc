// Anthropic's Messages API shapes (docs: "Messages", "Streaming Messages", "Tool use"): our ChatRequest as message
// params (system apart, tool calls as tool_use blocks, tool results as tool_result blocks in user turns), and the
// streamed events read back into a ModelReply. A JSON answer is asked for as a forced `final_answer` tool whose input
// schema is the output schema; its input, as the model streamed it, is the reply's text.
import type Anthropic from '@anthropic-ai/sdk';
import type { ChatMessage, ChatRequest, FinishReason, JsonSchema, ModelReply, TokenUsage } from '../../../contracts/ai';
import { parsedArguments } from './reply';
import { ModelCallError, type ModelTarget } from './types';

/** The forced tool a JSON answer is given through. */
export const FINAL_ANSWER = 'final_answer';
/** Anthropic requires max_tokens; used when the request sets none. */
export const DEFAULT_MAX_TOKENS = 4096;

type Block = Anthropic.TextBlockParam | Anthropic.ToolUseBlockParam | Anthropic.ToolResultBlockParam;
interface Turn {
  role: 'user' | 'assistant';
  content: Block[];
}

function blocksOf(message: Exclude<ChatMessage, { role: 'system' }>): Block[] {
  switch (message.role) {
    case 'user':
      return message.content ? [{ type: 'text', text: message.content }] : []; // the API refuses empty text blocks
    case 'assistant':
      return [
        ...(message.content ? [{ type: 'text' as const, text: message.content }] : []),
        ...(message.toolCalls ?? []).map((call) => ({
          type: 'tool_use' as const,
          id: call.id,
          name: call.name,
          input: call.arguments,
        })),
      ];
    case 'tool':
      return [
        {
          type: 'tool_result',
          tool_use_id: message.toolCallId,
          content: message.content,
          ...(message.isError ? { is_error: true } : {}),
        },
      ];
  }
}

/** System messages joined into `system`; consecutive turns of one role (tool results above all) merged into one. */
export function toAnthropicMessages(messages: ChatMessage[]): { system?: string; messages: Anthropic.MessageParam[] } {
  const system: string[] = [];
  const turns: Turn[] = [];
  for (const message of messages) {
    if (message.role === 'system') {
      system.push(message.content);
      continue;
    }
    const blocks = blocksOf(message);
    if (blocks.length === 0) continue;
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  }
  return { ...(system.length ? { system: system.join('\n\n') } : {}), messages: turns };
}

/** A tool's input schema must be an object; another JSON answer is wrapped in one field and unwrapped after. */
export function answerSchema(schema: JsonSchema): { inputSchema: JsonSchema; wrapped: boolean } {
  if (schema.type === 'object') return { inputSchema: schema, wrapped: false };
  return { inputSchema: { type: 'object', properties: { value: schema }, required: ['value'] }, wrapped: true };
}

type InputSchema = Anthropic.Tool['input_schema'];

export function messageParams(target: ModelTarget, request: ChatRequest): Anthropic.MessageCreateParamsStreaming {
  const { system, messages } = toAnthropicMessages(request.messages);
  const tools: Anthropic.Tool[] = (request.tools ?? []).map(({ name, description, parameters }) => ({
    name,
    description,
    input_schema: { ...parameters, type: 'object' } as InputSchema,
  }));
  const params: Anthropic.MessageCreateParamsStreaming = {
    model: target.model,
    max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
    messages,
    stream: true,
    ...(system ? { system } : {}),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
  };
  if (request.output?.kind === 'json') {
    tools.push({
      name: FINAL_ANSWER,
      description: 'Give your final answer. Its input is the answer itself, matching the requested schema.',
      input_schema: answerSchema(request.output.schema).inputSchema as InputSchema,
    });
    params.tool_choice = { type: 'tool', name: FINAL_ANSWER };
  }
  if (tools.length) params.tools = tools;
  return params;
}

const FINISH: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  tool_use: 'tool-calls',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  refusal: 'content-filter',
};

interface StreamedBlock {
  type: string;
  id?: string;
  name?: string;
  /** Text, or a tool's input JSON as streamed. */
  text: string;
}

/** A number field of a usage object, whatever the SDK version declares. */
function count(usage: object | null | undefined, field: string): number | undefined {
  const value = usage ? (usage as { [key: string]: unknown })[field] : undefined;
  return typeof value === 'number' ? value : undefined;
}

/** Input tokens, cache writes and reads included: all are billed as input. */
function inputTokens(usage: object | null | undefined): number | undefined {
  const direct = count(usage, 'input_tokens');
  if (direct === undefined) return undefined;
  return direct + (count(usage, 'cache_creation_input_tokens') ?? 0) + (count(usage, 'cache_read_input_tokens') ?? 0);
}

/** Reads the event stream to message_stop; one that ends before it is malformed. */
export async function readMessageStream(
  target: ModelTarget,
  request: ChatRequest,
  events: AsyncIterable<Anthropic.RawMessageStreamEvent>,
): Promise<ModelReply> {
  const json = request.output?.kind === 'json';
  const blocks: StreamedBlock[] = [];
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  let model = target.model;
  let stopReason: string | null = null;
  let stopped = false;
  for await (const event of events) {
    switch (event.type) {
      case 'message_start':
        model = event.message.model || model;
        usage.inputTokens = inputTokens(event.message.usage) ?? 0;
        usage.outputTokens = count(event.message.usage, 'output_tokens') ?? 0;
        break;
      case 'content_block_start': {
        const block = event.content_block;
        const start: StreamedBlock = { type: block.type, text: block.type === 'text' ? block.text : '' };
        if (block.type === 'tool_use') Object.assign(start, { id: block.id, name: block.name });
        blocks[event.index] = start;
        break;
      }
      case 'content_block_delta': {
        const block = blocks[event.index];
        if (!block) break;
        if (event.delta.type === 'text_delta') {
          block.text += event.delta.text;
          if (!json) request.onText?.(event.delta.text);
        } else if (event.delta.type === 'input_json_delta') {
          block.text += event.delta.partial_json;
          if (json && block.name === FINAL_ANSWER) request.onText?.(event.delta.partial_json);
        }
        break;
      }
      case 'message_delta':
        stopReason = event.delta.stop_reason ?? stopReason;
        usage.outputTokens = count(event.usage, 'output_tokens') ?? usage.outputTokens;
        usage.inputTokens = inputTokens(event.usage) ?? usage.inputTokens;
        break;
      case 'message_stop':
        stopped = true;
        break;
    }
  }
  if (!stopped) {
    throw new ModelCallError('malformed', `Model ${target.model}: Anthropic ended the stream before message_stop`);
  }
  const toolUses = blocks.filter((b) => b.type === 'tool_use');
  const final = json ? toolUses.find((b) => b.name === FINAL_ANSWER) : undefined;
  const toolCalls = toolUses
    .filter((b) => b !== final)
    .map((b) => ({ id: b.id ?? '', name: b.name ?? '', ...parsedArguments(b.text) }));
  const prose = blocks
    .filter((b) => b.type === 'text')
    .map((b) => b.text)
    .join('');
  const text = final ? finalAnswerText(request, final.text) : prose;
  const finishReason: FinishReason = final ? 'stop' : (FINISH[stopReason ?? ''] ?? 'other');
  return { text, toolCalls, usage, finishReason, model };
}

/** The final answer's JSON as the model wrote it, unwrapped when the schema was not an object. */
function finalAnswerText(request: ChatRequest, input: string): string {
  const raw = input.trim() === '' ? '{}' : input;
  if (request.output?.kind !== 'json' || !answerSchema(request.output.schema).wrapped) return raw;
  const parsed = parsedArguments(raw);
  return parsed.rawArguments === undefined ? JSON.stringify(parsed.arguments.value ?? null) : raw;
}
