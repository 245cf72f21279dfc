// Errors thrown by node runners and pure node logic. `code` is stable (it becomes RunError.code);
// `retryable: false` tells the activity layer that another attempt would fail the same way.

export interface NodeErrorOptions {
  code: string;
  retryable?: boolean;
  cause?: unknown;
  /**
   * Evidence kept with the failed step for the run page (a Browser node's step records, screenshots and trace as
   * file references). JSON only, and no secret: it is scrubbed like outputs before it is stored.
   */
  details?: Record<string, unknown>;
}

export class NodeError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details?: Record<string, unknown>;

  constructor(message: string, options: NodeErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NodeError';
    this.code = options.code;
    this.retryable = options.retryable ?? true;
    if (options.details) this.details = options.details;
  }
}
