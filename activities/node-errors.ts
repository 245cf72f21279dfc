// How a node's failure is described to the run (RunError code) and to Temporal (retry or not).
import { ApplicationFailure } from '@temporalio/activity';

export interface NodeErrorInfo {
  message: string;
  code: string;
  retryable: boolean;
}

/**
 * Failures that a retry cannot fix: the node's configuration or code is wrong, or it exceeded its
 * sandbox limits. Runners mark other permanent failures with `retryable: false` on the error.
 */
export const NON_RETRYABLE_CODES = new Set([
  'param-invalid',
  'expression',
  'code-limit',
  'code-error',
  'unknown-type',
  'runner-missing',
  'output-invalid',
]);

const CODE_BY_NAME: Record<string, string> = {
  ParamError: 'param-invalid',
  ExpressionError: 'expression',
  ZodError: 'param-invalid',
};

export function describeNodeError(err: unknown): NodeErrorInfo {
  if (err instanceof ApplicationFailure) {
    const code = err.type ?? 'node-error';
    return { message: err.message, code, retryable: !err.nonRetryable && !NON_RETRYABLE_CODES.has(code) };
  }
  const e = (err ?? {}) as { name?: string; message?: string; code?: unknown; retryable?: unknown };
  const code = typeof e.code === 'string' && e.code ? e.code : (CODE_BY_NAME[e.name ?? ''] ?? 'node-error');
  const message = typeof e.message === 'string' && e.message ? e.message : String(err);
  return { message, code, retryable: e.retryable !== false && !NON_RETRYABLE_CODES.has(code) };
}

/** The failure Temporal sees: its `type` becomes the RunError code in the interpreter. */
export function toApplicationFailure(info: NodeErrorInfo): ApplicationFailure {
  return ApplicationFailure.create({ message: info.message, type: info.code, nonRetryable: !info.retryable });
}

/** Thrown by the activity's own deadline so the step record says `timeout`, not a generic abort. */
export class NodeTimeoutError extends Error {
  readonly code = 'timeout';
  constructor(nodeName: string, timeoutMs: number) {
    super(
      `Node "${nodeName}" did not finish within its ${timeoutMs} ms timeout; raise the node's timeout or make the call faster.`,
    );
    this.name = 'NodeTimeoutError';
  }
}
