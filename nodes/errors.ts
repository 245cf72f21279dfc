// Errors thrown by node runners and pure node logic. `code` is stable (it becomes RunError.code);
// `retryable: false` tells the activity layer that another attempt would fail the same way.

export interface NodeErrorOptions {
  code: string;
  retryable?: boolean;
  cause?: unknown;
}

export class NodeError extends Error {
  readonly code: string;
  readonly retryable: boolean;

  constructor(message: string, options: NodeErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NodeError';
    this.code = options.code;
    this.retryable = options.retryable ?? true;
  }
}
