// How a node's failure is described to the run (RunError code) and to Temporal (retry or not).
import { ApplicationFailure } from '@temporalio/activity';
import { errorCode, isRetryable } from '../contracts/errors';
import type { Store } from '../db/store';

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

/**
 * The evidence a runner attached to its error (NodeError `details`), kept with the failed step; undefined when there
 * is none. Only a plain object is kept: anything else is not the JSON the step record stores.
 */
export function errorDetails(err: unknown): Record<string, unknown> | undefined {
  const details = (err as { details?: unknown } | null)?.details;
  if (!details || typeof details !== 'object' || Array.isArray(details)) return undefined;
  const proto = Object.getPrototypeOf(details);
  if (proto !== Object.prototype && proto !== null) return undefined;
  return Object.keys(details).length > 0 ? (details as Record<string, unknown>) : undefined;
}

/**
 * A failed runner's evidence as the step record keeps it: its JSON, in the blob store when large (a Browser node's
 * 100 step records), like outputs. The caller has scrubbed it of secrets with the error (`scrubError`).
 */
export async function encodeErrorDetails(
  err: unknown,
  blobs: Pick<Store['blobs'], 'encodeValue'>,
  meta: { runId: string; nodeId: string },
): Promise<string | undefined> {
  const details = errorDetails(err);
  if (!details) return undefined;
  return (await blobs.encodeValue(details, { ...meta, field: 'details' })).json;
}
