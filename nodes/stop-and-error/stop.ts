// Stop and error: the failure a workflow author chooses, with their own message and code.
import { NodeError } from '../errors';

/** Codes Baton gives its own failures meaning by: an author's error must not pass for one of them. */
export const RESERVED_CODES = [
  'cancelled',
  'terminated',
  'timeout',
  'timed-out',
  'eval-limit',
  'code-limit',
  'blocked-address',
  'unknown-type',
] as const;

export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Why `code` cannot be used, or undefined when it can. */
export function codeProblem(code: string): string | undefined {
  if (!CODE_PATTERN.test(code)) return 'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit';
  if ((RESERVED_CODES as readonly string[]).includes(code.toLowerCase()))
    return `"${code}" is one of Baton's own error codes (${RESERVED_CODES.join(', ')}); choose another`;
  return undefined;
}

/** The error that stops the run. Never retried: the same input stops it again. */
export function stopError(message: unknown, code: string): NodeError {
  const text = typeof message === 'string' ? message.trim() : JSON.stringify(message ?? null);
  return new NodeError(text === '' ? 'Stopped by a Stop and error node' : text, { code, retryable: false });
}
