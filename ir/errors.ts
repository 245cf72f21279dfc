// Errors raised while turning a node's raw params into validated values, at run time or in the editor preview.

export type ParamPath = Array<string | number>;

/** `{{ … }}` could not be parsed or evaluated. `path` locates the value inside the params when known. */
export class ExpressionError extends Error {
  readonly code = 'expression';
  readonly retryable = false;
  readonly expression: string;
  path?: ParamPath;

  constructor(message: string, expression: string, path?: ParamPath) {
    super(message);
    this.name = 'ExpressionError';
    this.expression = expression;
    this.path = path;
  }
}

/** A param failed its schema after expressions were resolved. `field` is the dotted path, e.g. `headers.Accept`. */
export class ParamError extends Error {
  readonly code = 'param-invalid';
  readonly retryable = false;
  readonly field: string;
  readonly path: ParamPath;

  constructor(path: ParamPath, problem: string) {
    const field = formatField(path);
    super(`Param "${field}": ${problem}`);
    this.name = 'ParamError';
    this.field = field;
    this.path = path;
  }
}

/** `['headers', 'Accept']` → `headers.Accept`; `['items', 0]` → `items[0]`. */
export function formatField(path: ParamPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
