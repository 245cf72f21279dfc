// n8n parameter values → Baton template strings. In n8n a string is an expression when it starts with "=", and
// its `{{ … }}` parts are JavaScript; Baton's are JSONata over `$input` and `$node("Name")`. The common data
// references are rewritten; anything else is kept as written and reported, so the user checks it by hand.
import { checkTemplates } from '../expression';

/** An expression the importer could not translate with confidence, and where it sits. */
export interface ExpressionNote {
  field: string;
  expression: string;
}

const quoted = `(?:"([^"\\\\]*)"|'([^'\\\\]*)')`;
const REWRITES: Array<[RegExp, (...groups: string[]) => string]> = [
  // $('Name').item.json / .first().json / $node["Name"].json → the named node's output
  [
    new RegExp(`\\$\\(\\s*${quoted}\\s*\\)\\s*\\.\\s*(?:item|first\\(\\s*\\))\\s*\\.\\s*json\\b`, 'g'),
    (_m, a, b) => nodeRef(a ?? b),
  ],
  [new RegExp(`\\$node\\s*\\[\\s*${quoted}\\s*\\]\\s*\\.\\s*json\\b`, 'g'), (_m, a, b) => nodeRef(a ?? b)],
  // $input.item.json / $input.first().json / $json → the node's input
  [/\$input\s*\.\s*(?:item|first\(\s*\))\s*\.\s*json\b/g, () => '$input'],
  [/\$json\b/g, () => '$input'],
];
// `x["a b"]` is a JavaScript property read; in JSONata it would be a filter, so it becomes a backtick path step.
const BRACKET_KEY = new RegExp(`\\[\\s*${quoted}\\s*\\]`, 'g');
// What JavaScript-only syntax or n8n-only helpers look like: kept as written, and listed for the user.
const NEEDS_CHECK =
  /\$(?:json|items|binary|now|today|execution|workflow|vars|env|prevNode|runIndex|itemIndex|jmespath|if|ifEmpty|fromAI|evaluateExpression)\b|\$\(|\$node\s*\[|\.[A-Za-z_]\w*\s*\(|\b(?:JSON|Object|Math|Date|new)\b|\.length\b|=>|===|!==|&&|\|\||\?\.|\?\?/;

function nodeRef(name: string): string {
  return `$node(${JSON.stringify(name)})`;
}

/** One `{{ … }}` body, rewritten; `clean` is false when the user should look at the result. */
export function translateExpression(source: string): { expression: string; clean: boolean } {
  let expr = source;
  for (const [pattern, replace] of REWRITES) expr = expr.replace(pattern, replace as (...a: string[]) => string);
  expr = expr.replace(BRACKET_KEY, (_m, a: string | undefined, b: string | undefined) => {
    const key = a ?? b ?? '';
    return key.includes('`') ? _m : `.\`${key}\``;
  });
  const parses = checkTemplates(`{{ ${expr} }}`).length === 0;
  return { expression: expr, clean: parses && !NEEDS_CHECK.test(expr) };
}

/**
 * Translates one n8n string value. Plain strings stay as they are; "=…" strings become Baton templates, each
 * `{{ … }}` rewritten, and notes collect the ones to check.
 */
export function translateString(value: string, field: string, notes: ExpressionNote[]): string {
  if (!value.startsWith('=')) return value;
  const body = value.slice(1);
  return body.replace(/\{\{([\s\S]*?)\}\}/g, (_m, inner: string) => {
    const { expression, clean } = translateExpression(inner.trim());
    if (!clean) notes.push({ field, expression: inner.trim() });
    return `{{ ${expression} }}`;
  });
}

/** Translates every string inside a parameter value (objects and arrays included), naming fields by path. */
export function translateValue(value: unknown, field: string, notes: ExpressionNote[]): unknown {
  if (typeof value === 'string') return translateString(value, field, notes);
  if (Array.isArray(value)) return value.map((v, i) => translateValue(v, `${field}[${i}]`, notes));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = translateValue(v, `${field}.${k}`, notes);
    return out;
  }
  return value;
}

/** True when an n8n value is an expression rather than a literal. */
export const isN8nExpression = (value: unknown): boolean => typeof value === 'string' && value.startsWith('=');
