// The one classification of failures: which code an error carries, and whether retrying can help. The
// activities (Temporal retry policy) and the interpreter (the run's RunError) both use it.

/**
 * Failures that a retry cannot fix: the node's configuration or code is wrong, it exceeded a limit, or
 * it asked for something the admin forbids. Runners mark other permanent failures `retryable: false`.
 */
export const NON_RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'param-invalid',
  'expression',
  'eval-limit',
  'code-limit',
  'code-error',
  'unknown-type',
  'runner-missing',
  'output-invalid',
  'ssrf-blocked',
  'cancelled',
]);

/** Error classes whose name says what kind of failure they are. */
const CODE_BY_NAME: Record<string, string> = {
  ParamError: 'param-invalid',
  ExpressionError: 'expression',
  ZodError: 'param-invalid',
};

/** The error's own `code` when it has one, else what its class name says, else `fallback`. */
export function errorCode(err: unknown, fallback = 'node-error'): string {
  const e = (err ?? {}) as { name?: unknown; code?: unknown };
  if (typeof e.code === 'string' && e.code) return e.code;
  return (typeof e.name === 'string' && CODE_BY_NAME[e.name]) || fallback;
}

/** Whether a failure with this code and the thrower's own `retryable` flag is worth another attempt. */
export function isRetryable(code: string, flag?: unknown): boolean {
  return flag !== false && !NON_RETRYABLE_CODES.has(code);
}

/** Thrown by a node's own deadline (activity or express run) so its step says `timeout`, not a generic abort. */
export class NodeTimeoutError extends Error {
  readonly code = 'timeout';
  constructor(nodeName: string, timeoutMs: number) {
    super(
      `Node "${nodeName}" did not finish within its ${timeoutMs} ms timeout; raise the node's timeout or make the call faster.`,
    );
    this.name = 'NodeTimeoutError';
  }
}

/**
 * A node attempt's timeout: `expired` rejects with a NodeTimeoutError after `timeoutMs`, aborting `abort` with it
 * first (so the runner stops its work); `clear` cancels it when the attempt ends. Standard, express and dry runs race
 * their runner against it.
 */
export function nodeDeadline(
  node: { name: string; policy: { timeoutMs: number } },
  abort: AbortController,
): { expired: Promise<never>; clear(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new NodeTimeoutError(node.name, node.policy.timeoutMs);
      abort.abort(err);
      reject(err);
    }, node.policy.timeoutMs);
  });
  return { expired, clear: () => clearTimeout(timer) };
}
