// What the host (sandbox.ts) and its worker thread (sandbox-thread.ts) send each other, and the errors both
// sides raise, so a limit reads the same whether QuickJS or the host's backstop enforced it.
import { NodeError } from '../errors';

export const MAX_CONSOLE_LINES = 100;
export const MAX_CONSOLE_LINE_LENGTH = 2000;

/** One execution, host → thread. The input travels as JSON text: the thread only hands it to QuickJS. */
export interface SandboxJob {
  code: string;
  inputJson: string;
  timeoutMs: number;
  memoryBytes: number;
  /** Longest result, as JSON text, that leaves the sandbox. */
  maxResultChars: number;
}

/** Thread → host, in this order: `started`, any `console` lines, then `returned` or `failed`. */
export type ThreadMessage =
  | { kind: 'started' } // QuickJS is ready and the time limit runs from now
  | { kind: 'console'; line: string }
  | { kind: 'returned'; json: string }
  | { kind: 'failed'; code: string; message: string };

const formatMb = (chars: number) => `${(chars / (1024 * 1024)).toFixed(1)} MB`;

export const limitError = (message: string) => new NodeError(message, { code: 'code-limit', retryable: false });
export const codeError = (message: string) => new NodeError(message, { code: 'code-error', retryable: false });

export const timeLimitError = (timeoutMs: number) => limitError(`Code node exceeded its ${timeoutMs} ms time limit`);
export const memoryLimitError = (memoryBytes: number) =>
  limitError(`Code node exceeded its ${Math.round(memoryBytes / (1024 * 1024))} MB memory limit`);
export const resultLimitError = (chars: number, maxResultChars: number) =>
  limitError(
    `Code node returned ${formatMb(chars)} of JSON; the limit is ${formatMb(maxResultChars)} ` +
      '(BATON_CODE_MAX_RESULT_MB on the worker). Return less data, or split the work across nodes',
  );
export const stackLimitError = () => limitError('Code node exceeded its stack depth limit (too much recursion)');
