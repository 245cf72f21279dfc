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

/** Longest stretch of a param path or problem a message quotes: both may hold 100 KB of a hostile document. */
const MAX_QUOTED_CHARS = 300;

/** `text`, cut to `max` characters with an ellipsis. */
export function clip(text: string, max = MAX_QUOTED_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A param failed its schema after expressions were resolved. `field` is the dotted path, e.g. `headers.Accept`. */
export class ParamError extends Error {
  readonly code = 'param-invalid';
  readonly retryable = false;
  readonly field: string;
  readonly path: ParamPath;

  constructor(path: ParamPath, problem: string) {
    const field = formatField(path);
    // Schemas quote what they refuse (zod's enums quote the whole value): keep messages readable.
    super(`Param "${clip(field)}": ${clip(problem)}`);
    this.name = 'ParamError';
    this.field = field;
    this.path = path;
  }
}

/** `['headers', 'Accept']` → `headers.Accept`; `['items', 0]` → `items[0]`. */
export function formatField(path: ParamPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
