// The seam between the model-calling activities and each provider's wire protocol. A provider turns one
// ChatRequest into one ModelReply (streaming text through `onText` as it comes) and says what a model supports.
// Server-side only: a target carries the decrypted API key.
import type { ChatRequest, ModelCapabilities, ModelErrorKind, ModelReply, ProviderKind } from '../../../contracts/ai';

/** One model of one provider, as a call needs it: resolved from the registry and its credential. */
export interface ModelTarget {
  provider: ProviderKind;
  /** The provider's model id (`gpt-4o-mini`, `claude-sonnet-4-5`, `llama3.1:8b`) or, for local-gguf, the file's path. */
  model: string;
  /** http(s) base URL for remote providers, as the credential gives it. */
  baseUrl?: string;
  apiKey?: string;
  /** Longest a call may take, in ms (the call's own timeout; the activity's is the backstop). */
  timeoutMs: number;
  /** Context window to use for local models (tokens). */
  contextLength?: number;
  /** Local models: calls at once (context sequences), from the registry. */
  concurrency?: number;
}

export interface ModelProvider {
  chat(target: ModelTarget, request: ChatRequest): Promise<ModelReply>;
  /** Asks the model small questions to find what it supports; never throws for an unsupported feature. */
  probe(target: ModelTarget): Promise<ModelCapabilities>;
}

/** A failed model call, classified so the router can fall back and the retry policy can wait as told. */
export class ModelCallError extends Error {
  readonly kind: ModelErrorKind;
  readonly status?: number;
  /** From Retry-After (or the provider's own reset header), in ms. */
  readonly retryAfterMs?: number;

  constructor(kind: ModelErrorKind, message: string, opts: { status?: number; retryAfterMs?: number } = {}) {
    super(message);
    this.name = 'ModelCallError';
    this.kind = kind;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }
}
