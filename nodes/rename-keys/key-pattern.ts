// The key pattern of Rename keys runs on RE2 under the If node's limits (nodes/if/regex.ts): matching time is
// linear in the key, so no pattern can stall the chain of pure nodes it runs in.
import { RE2JS } from 're2js';
import { NodeError } from '../errors';
import { FORBIDDEN_KEYS } from '../json-value';
import { MAX_PATTERN_LENGTH, MAX_PROGRAM_SIZE, MAX_REGEX_SUBJECT_LENGTH } from '../if/regex';

/** Distinct keys remembered per run: items of a list repeat the same keys. */
const MEMO_SIZE = 10_000;

const invalid = (message: string, code = 'param-invalid') =>
  new NodeError(`Rename keys: ${message}`, { code, retryable: false });

function compileRe2(pattern: string): RE2JS | string {
  if (pattern.length > MAX_PATTERN_LENGTH)
    return `the pattern is ${pattern.length} characters; the limit is ${MAX_PATTERN_LENGTH}`;
  let regex: RE2JS;
  try {
    // Accepts JavaScript spellings RE2 writes differently, such as (?<name>…) and \u00e9.
    regex = RE2JS.compile(RE2JS.translateRegExp(pattern));
  } catch (err) {
    const reason = (err as Error).message.replace(/^error parsing regexp: /, '');
    return (
      `the pattern /${pattern}/ is not valid RE2 syntax (${reason}); RE2 has no backreferences or lookaround, ` +
      'see https://github.com/google/re2/wiki/Syntax'
    );
  }
  if (regex.programSize() > MAX_PROGRAM_SIZE)
    return `the pattern /${pattern}/ compiles to ${regex.programSize()} instructions; the limit is ${MAX_PROGRAM_SIZE}. Use smaller {n} repeat counts`;
  return regex;
}

/** What is wrong with `pattern`, for the param schema; undefined when it compiles. */
export function keyPatternProblem(pattern: string): string | undefined {
  const compiled = compileRe2(pattern);
  return typeof compiled === 'string' ? compiled : undefined;
}

/**
 * A function giving a key's new name: every match of `pattern` replaced by `replacement` ($1, $<name>, $& and $$
 * as in String.prototype.replace), or undefined when the key does not match.
 */
export function compileKeyRename(pattern: string, replacement: string): (key: string) => string | undefined {
  const regex = compileRe2(pattern);
  if (typeof regex === 'string') throw invalid(regex);
  const memo = new Map<string, string | undefined>();
  return (key) => {
    if (memo.has(key)) return memo.get(key);
    if (key.length > MAX_REGEX_SUBJECT_LENGTH)
      throw invalid(
        `a key of ${key.length} characters is longer than the ${MAX_REGEX_SUBJECT_LENGTH} a pattern may scan; rename it with the map instead`,
        'eval-limit',
      );
    const renamed = regex.test(key) ? regex.matcher(key).replaceAll(replacement) : undefined;
    if (renamed === '') throw invalid(`the pattern turns the key "${key}" into an empty name`);
    if (renamed !== undefined && FORBIDDEN_KEYS.has(renamed))
      throw invalid(`the pattern turns the key "${key}" into the reserved name "${renamed}"`);
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(key, renamed);
    return renamed;
  };
}
