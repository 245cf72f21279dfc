// The If node's "matches regex", on RE2 (re2js, pure JavaScript): matching time is linear in the subject, so no
// pattern, however it nests, can stall the workflow task that routes the If. Deterministic; no Node built-ins.
import { RE2JS } from 're2js';
import { NodeError } from '../errors';

export const MAX_PATTERN_LENGTH = 256;
export const MAX_REGEX_SUBJECT_LENGTH = 10_000;
/** RE2 instructions; matching costs at most instructions × subject length (`[a-z]{1000}` is about 1,000). */
export const MAX_PROGRAM_SIZE = 1_000;
const CACHE_SIZE = 100;
const cache = new Map<string, RE2JS>();

const FIELD = '"Compare with" (right)';

const invalid = (message: string) => new NodeError(`If: ${message}`, { code: 'param-invalid', retryable: false });

function compile(pattern: string): RE2JS {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let regex: RE2JS;
  try {
    // Accepts JavaScript spellings RE2 writes differently, such as (?<name>…) and \u00e9.
    regex = RE2JS.compile(RE2JS.translateRegExp(pattern));
  } catch (err) {
    const reason = (err as Error).message.replace(/^error parsing regexp: /, '');
    throw invalid(
      `the regex /${pattern}/ in ${FIELD} is not valid RE2 syntax (${reason}). Matching uses RE2, which has no ` +
        'backreferences or lookaround; see https://github.com/google/re2/wiki/Syntax',
    );
  }
  if (regex.programSize() > MAX_PROGRAM_SIZE) {
    throw invalid(
      `the regex /${pattern}/ in ${FIELD} compiles to ${regex.programSize()} instructions; the limit is ` +
        `${MAX_PROGRAM_SIZE}. Use smaller {n} repeat counts`,
    );
  }
  cache.set(pattern, regex);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return regex;
}

/** Whether `pattern` matches anywhere in `subject` (non-strings are matched as their JSON). */
export function matchesRegex(subject: unknown, pattern: unknown): boolean {
  if (typeof pattern !== 'string' || pattern === '') {
    throw invalid(`"matches regex" needs a pattern in ${FIELD}`);
  }
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw invalid(`the regex in ${FIELD} is ${pattern.length} characters; the limit is ${MAX_PATTERN_LENGTH}`);
  }
  const regex = compile(pattern);
  const text = typeof subject === 'string' ? subject : JSON.stringify(subject ?? '');
  if (text.length > MAX_REGEX_SUBJECT_LENGTH) {
    throw new NodeError(
      `If: the value to match is ${text.length} characters; regex matching is limited to ${MAX_REGEX_SUBJECT_LENGTH}. ` +
        'Match a shorter field, or use a Code node',
      { code: 'eval-limit', retryable: false },
    );
  }
  return regex.test(text);
}
