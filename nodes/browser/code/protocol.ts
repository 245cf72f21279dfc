// What the Browser node's code mode sends between the worker (run-code.ts) and the script's child process
// (child.ts), and the errors both sides raise, so a limit reads the same whichever side enforced it.
import { NodeError } from '../../errors';

export const MAX_CONSOLE_LINES = 100;
export const MAX_CONSOLE_LINE_LENGTH = 2000;
/** QuickJS's heap for one script; the child's own V8 heap is capped separately (run-code.ts). */
export const CODE_MEMORY_BYTES = 64 * 1024 * 1024;
/** Longest JSON text a script may return, or one page call may answer with. */
export const MAX_RESULT_CHARS = 8 * 1024 * 1024;
export const DEFAULT_CODE_TIMEOUT_MS = 60_000;

/** Worker → child, once: the script and its limits. */
export interface CodeJob {
  kind: 'run';
  code: string;
  /** The node's input, as JSON text: the script's `input`. */
  inputJson: string;
  timeoutMs: number;
  memoryBytes: number;
  /** The node's Website login as the script may see it (script-login.ts): no secret, only tokens stand for them. */
  credential?: { username: string };
}

/** Worker → child: the outcome of one page call, as JSON text or the reason it failed. */
export type CallAnswer = { kind: 'answer'; id: number; json: string } | { kind: 'answer'; id: number; error: string };

/** Child → worker: `started` (the time limit runs from here), calls and console lines, then `returned` or `failed`. */
export type ChildMessage =
  | { kind: 'started' }
  /** `page` is the id of the page the call is on (0: the script's first page; popups get the next ids). */
  | { kind: 'call'; id: number; method: string; args: unknown[]; page: number }
  | { kind: 'console'; line: string }
  | { kind: 'returned'; json: string }
  | { kind: 'failed'; code: string; message: string };

export const codeError = (message: string) => new NodeError(message, { code: 'browser-code', retryable: false });
const limitError = (message: string) => new NodeError(message, { code: 'browser-code-limit', retryable: false });

export const timeLimitError = (timeoutMs: number) =>
  limitError(
    `Browser code exceeded its ${timeoutMs} ms time limit; make the script do less or raise its Script time limit`,
  );
export const memoryLimitError = (memoryBytes: number) =>
  limitError(`Browser code exceeded its ${Math.round(memoryBytes / (1024 * 1024))} MB memory limit`);
export const resultLimitError = (chars: number) =>
  limitError(
    `Browser code returned ${(chars / (1024 * 1024)).toFixed(1)} MB of JSON; the limit is ` +
      `${MAX_RESULT_CHARS / (1024 * 1024)} MB. Return less data`,
  );
