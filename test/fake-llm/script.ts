// What a scripted model server is told to answer, turn by turn, and what it records. Shared by the OpenAI-, Anthropic-
// and Ollama-format servers (each turns a Turn into its own wire format) and by the launcher tests use.

/** A tool call as the scripted model writes it: `arguments` is the raw JSON text, malformed if the test wants. */
export interface ScriptedToolCall {
  id?: string;
  name: string;
  arguments: string;
}

export type TurnBody =
  /** Text streamed in small pieces that split words. */
  | { kind: 'text'; text: string; finish?: 'stop' | 'length' }
  /** Tool calls, their arguments streamed in fragments (after `text`, if any). */
  | { kind: 'tool-calls'; text?: string; calls: ScriptedToolCall[] }
  /** An HTTP error status with this body (JSON unless a string) and headers. */
  | { kind: 'error'; status: number; body: unknown; headers?: Record<string, string> }
  /** Part of a reply, then the stream stops: `end` closes it cleanly without the terminator, `reset` drops the socket. */
  | { kind: 'drop'; text: string; how: 'end' | 'reset' }
  /** Some text, then a chunk whose data is not JSON. */
  | { kind: 'broken-json'; text?: string }
  /** Some text, then the provider's in-stream error event carrying `error`. */
  | { kind: 'stream-error'; text?: string; error: unknown };

export type Turn = TurnBody & {
  /** Wait this long before answering: a slow server. */
  delayMs?: number;
  /** Token counts to report; `none` leaves usage out of the reply. Default: DEFAULT_USAGE. */
  usage?: { input: number; output: number } | 'none';
  /** The model the reply says answered (default: the one asked for). */
  model?: string;
};

export const DEFAULT_USAGE = { input: 21, output: 8 } as const;

/** A request the server received (control endpoints excluded). */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or the text when it was not JSON. */
  body: unknown;
}

/** How a server is started: the script so far, the key it accepts, and what its listing endpoints answer. */
export interface FakeServerOptions {
  turns?: Turn[];
  /** When set, requests must carry this key (as each provider sends it) or get the provider's 401. */
  apiKey?: string;
  /** OpenAI GET /v1/models and Anthropic GET /v1/models entries. */
  models?: Array<Record<string, unknown>>;
  /** Ollama POST /api/show answer. */
  show?: Record<string, unknown>;
}

/** Pieces of 2 to 5 characters, so every longer word is split inside (by code point: never half a character). */
export function pieces(text: string): string[] {
  const chars = Array.from(text);
  const sizes = [3, 5, 2, 4];
  const out: string[] = [];
  for (let at = 0, n = 0; at < chars.length; n++) {
    const size = sizes[n % sizes.length];
    out.push(chars.slice(at, at + size).join(''));
    at += size;
  }
  return out;
}

/** Tool arguments in fragments of about a third each, the way models stream them. */
export function fragments(args: string): string[] {
  if (args.length < 3) return [args];
  const third = Math.ceil(args.length / 3);
  return [args.slice(0, third), args.slice(third, 2 * third), args.slice(2 * third)];
}
