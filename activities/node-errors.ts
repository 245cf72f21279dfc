// How a node's failure is described to the run (RunError code) and to Temporal (retry or not).
import { ApplicationFailure } from '@temporalio/activity';
import { errorCode, isRetryable } from '../contracts/errors';

export interface NodeErrorInfo {
  message: string;
  code: string;
  retryable: boolean;
}

export function describeNodeError(err: unknown): NodeErrorInfo {
  if (err instanceof ApplicationFailure) {
    const code = err.type ?? 'node-error';
    return { message: err.message, code, retryable: !err.nonRetryable && isRetryable(code) };
  }
  const e = (err ?? {}) as { message?: string; retryable?: unknown };
  const code = errorCode(err);
  const message = typeof e.message === 'string' && e.message ? e.message : String(err);
  return { message, code, retryable: isRetryable(code, e.retryable) };
}

/** The failure Temporal sees: its `type` becomes the RunError code in the interpreter. */
export function toApplicationFailure(info: NodeErrorInfo): ApplicationFailure {
  return ApplicationFailure.create({ message: info.message, type: info.code, nonRetryable: !info.retryable });
}
