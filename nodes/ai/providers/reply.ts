// Pieces of a ModelReply every provider assembles the same way: tool-call arguments that may not parse, ids for
// servers that give none, and a usage estimate for servers that do not count tokens.
import { randomUUID } from 'node:crypto';
import type { ChatRequest, TokenUsage, ToolCall } from '../../../contracts/ai';

/** Arguments as the model wrote them: a JSON object, or kept raw (with no arguments) so the call can be refused. */
export function parsedArguments(raw: string): Pick<ToolCall, 'arguments' | 'rawArguments'> {
  if (raw.trim() === '') return { arguments: {} };
  try {
    const value: unknown = JSON.parse(raw);
    if (value && typeof value === 'object' && !Array.isArray(value))
      return { arguments: value as Record<string, unknown> };
  } catch {
    // kept raw below
  }
  return { arguments: {}, rawArguments: raw };
}

/** An id for a tool call the server did not name; unique, since the loop matches results to calls by id. */
export function newToolCallId(): string {
  return `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}

/** About four characters a token: close enough for accounting when a server does not report usage. */
const CHARS_PER_TOKEN = 4;

export function estimatedUsage(request: ChatRequest, text: string, toolCalls: ToolCall[]): TokenUsage {
  let input = JSON.stringify(request.tools ?? []).length;
  for (const message of request.messages) {
    input += message.content.length;
    if (message.role === 'assistant') input += JSON.stringify(message.toolCalls ?? []).length;
  }
  const output =
    text.length + toolCalls.reduce((n, call) => n + call.name.length + JSON.stringify(call.arguments).length, 0);
  return { inputTokens: Math.ceil(input / CHARS_PER_TOKEN), outputTokens: Math.ceil(output / CHARS_PER_TOKEN) };
}

/** Whether `text` is a JSON object (what the structured-output probes ask for). */
export function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return Boolean(value) && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}
