// What model providers, the LLM and Agent nodes, the interpreter and the browser share about model calls:
// messages, tools, replies, usage and what a registered model can do (docs/decisions/053-agents.md).

/** A JSON Schema object, as tools and structured outputs declare their shapes. */
export type JsonSchema = Record<string, unknown>;

/** One call the model asks for. `arguments` is the parsed JSON object; `rawArguments` keeps text that did not parse. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
  /** Set when the model's arguments were not a JSON object: the call is answered with an error, not run. */
  rawArguments?: string;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string; isError?: boolean };

/** A tool as the model sees it. */
export interface ToolDefinition {
  name: string;
  description: string;
  parameters: JsonSchema;
}

export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  /** `json`: the reply's text is a JSON value matching `schema` (JSON mode, a grammar, or told in the prompt). */
  output?: { kind: 'text' } | { kind: 'json'; schema: JsonSchema; name?: string };
  maxTokens?: number;
  temperature?: number;
  seed?: number;
  signal?: AbortSignal;
  /** Each piece of text as it arrives (streaming); the reply still carries the whole text. */
  onText?: (delta: string) => void;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export type FinishReason = 'stop' | 'tool-calls' | 'length' | 'content-filter' | 'other';

export interface ModelReply {
  text: string;
  toolCalls: ToolCall[];
  usage: TokenUsage;
  finishReason: FinishReason;
  /** The model the server says answered (may differ from the one asked for, e.g. a dated snapshot). */
  model: string;
  /** Local models: wall time of the generation, in ms, for GPU-seconds. */
  computeMs?: number;
}

export type ProviderKind = 'openai-compatible' | 'anthropic' | 'ollama' | 'local-gguf';

/** How a model is asked for structured output. */
export type JsonSupport = 'schema' | 'object' | 'grammar' | 'none';

/** What a registered model was found to support when probed (db/models.ts). */
export interface ModelCapabilities {
  toolCalling: boolean;
  json: JsonSupport;
  /** Tokens, when the server says; undefined when it does not. */
  contextLength?: number;
  vision: boolean;
  /** What the probe saw, one line each, shown beside the result (e.g. "tool call answered with plain text"). */
  notes: string[];
}

/** Why a model call failed, so the router can decide whether another model should try. */
export type ModelErrorKind =
  | 'rate-limit'
  | 'context-overflow'
  | 'timeout'
  | 'auth'
  | 'bad-request'
  | 'server'
  | 'network'
  | 'malformed'
  | 'budget';

/** Model call errors that send the call on to the next model of the route. */
export const FALLBACK_ERRORS: readonly ModelErrorKind[] = [
  'rate-limit',
  'context-overflow',
  'timeout',
  'server',
  'network',
];

/** Prices per million tokens, and per second of local compute, in US dollars. */
export interface ModelPrices {
  inputPerMTok: number;
  outputPerMTok: number;
  perGpuSecond: number;
}

/** The cost of one call under `prices`. */
export function callCost(prices: ModelPrices, usage: TokenUsage, computeMs = 0): number {
  return (
    (usage.inputTokens * prices.inputPerMTok) / 1e6 +
    (usage.outputTokens * prices.outputPerMTok) / 1e6 +
    (computeMs / 1000) * prices.perGpuSecond
  );
}
