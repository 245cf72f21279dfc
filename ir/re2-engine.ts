// JSONata regexes (`/…/` in `$match`, `$replace`, `$split`, `$contains`) run on RE2, whose matching time is
// linear in the subject: a pattern like /^(a|aa)+$/ cannot stall a workflow task on a long subject as a
// backtracking engine would. Pure JavaScript, deterministic: the workflow bundle imports it.
import { RE2JS } from 're2js';
import type { EvalBudget } from './eval-budget';

/** RE2 scans a subject once per program instruction at worst; this many instruction-characters cost a step. */
const SCAN_UNITS_PER_STEP = 16;
const CACHE_SIZE = 200;
const cache = new Map<string, RE2JS>();

/** Why RE2 rejects a pattern that JavaScript accepts, in words a workflow author can act on. */
export class RegexSyntaxError extends Error {
  constructor(pattern: string, reason: string) {
    super(
      `regex /${pattern}/ is not valid RE2 syntax (${reason}); RE2 has no backreferences or lookaround, see https://github.com/google/re2/wiki/Syntax`,
    );
    this.name = 'RegexSyntaxError';
  }
}

/** Compiles a JSONata regex literal (a RegExp, flags included) for RE2; throws RegexSyntaxError. */
export function compileRe2(regex: RegExp): RE2JS {
  const key = `${regex.flags}/${regex.source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(RE2JS.translateRegExp(regex));
  } catch (err) {
    throw new RegexSyntaxError(regex.source, (err as Error).message.replace(/^error parsing regexp: /, ''));
  }
  cache.set(key, compiled);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return compiled;
}

/** The members of RegExp that JSONata's matcher uses (`lastIndex`, `exec`), backed by RE2. */
class Re2Matcher {
  lastIndex = 0;

  constructor(
    private readonly regex: RE2JS,
    private readonly budget: EvalBudget,
  ) {}

  exec(subject: string): RegExpExecArray | null {
    const from = this.lastIndex;
    const matcher = this.regex.matcher(subject);
    const found = from <= subject.length && matcher.find(from);
    const scanned = (found ? matcher.end() : subject.length) - from;
    this.budget.spend(Math.ceil((Math.max(scanned, 1) * this.regex.programSize()) / SCAN_UNITS_PER_STEP));
    if (!found) {
      this.lastIndex = 0;
      return null;
    }
    // As RegExp does: the whole match, then each group, `undefined` where a group took no part.
    const groups: Array<string | undefined> = [matcher.group(0) ?? ''];
    for (let i = 1; i <= this.regex.groupCount(); i++) groups.push(matcher.group(i) ?? undefined);
    const match = Object.assign(groups, { index: matcher.start(), input: subject }) as unknown as RegExpExecArray;
    this.lastIndex = matcher.end();
    return match;
  }
}

/** A RegexEngine for JSONata that charges matching to `budget`. JSONata calls it with `new` on each regex literal. */
export function re2Engine(budget: EvalBudget): (regex: RegExp) => Re2Matcher {
  return function Re2RegExp(regex: RegExp) {
    return new Re2Matcher(compileRe2(regex), budget);
  };
}
