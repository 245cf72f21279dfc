// What an approval request's state means: who may still decide, whether the rule is met, whether a form is filled in
// right, what a reviewer changed. Pure and deterministic: the interpreter decides with these (workflows/approvals.ts),
// the store derives its inbox fields from them (db/approvals.ts), and the browser may show them.
import type { ApprovalDecision, ApprovalFormField, ApprovalRequest, DataEdit, DecisionInput } from './approvals';
import { isFileRef } from './file-ref';

type RequestState = Pick<ApprovalRequest, 'levels' | 'delegations' | 'barred' | 'decisions' | 'rule' | 'status'>;

/** The index of the level people decide at now (the last one opened). */
export function currentLevel(request: Pick<ApprovalRequest, 'levels'>): number {
  return Math.max(0, request.levels.length - 1);
}

/** Users whose say counts at the current level: its eligible users with delegations applied, the barred left out. */
export function voters(request: Pick<ApprovalRequest, 'levels' | 'delegations' | 'barred'>): string[] {
  const level = currentLevel(request);
  const set = new Set(request.levels[level]?.eligible ?? []);
  for (const d of request.delegations) {
    if ((d.level ?? 0) !== level || !set.has(d.from)) continue;
    set.delete(d.from);
    set.add(d.to);
  }
  for (const id of request.barred) set.delete(id);
  return [...set];
}

/** The decisions that count for the rule: made at the current level by one of its voters. */
export function countedDecisions(request: RequestState): ApprovalDecision[] {
  const level = currentLevel(request);
  const who = new Set(voters(request));
  return request.decisions.filter((d) => (d.level ?? 0) === level && who.has(d.approverId));
}

/** How many approvals close the request as approved, out of `m` voters. */
export function approvalsNeeded(rule: ApprovalRequest['rule'], m: number): number {
  return rule.kind === 'any' ? 1 : rule.kind === 'all' ? m : rule.n;
}

/**
 * Approved once enough voters approved; rejected once the approvals given plus those still possible cannot reach
 * the rule any more (a single reject under `all`, every voter rejecting under `any`); otherwise still open.
 */
export function ruleOutcome(request: RequestState): 'approved' | 'rejected' | undefined {
  const m = voters(request).length;
  const counted = countedDecisions(request);
  const approvals = counted.filter((d) => d.decision === 'approve').length;
  const remaining = m - counted.length;
  const needed = approvalsNeeded(request.rule, m);
  if (approvals >= needed) return 'approved';
  if (approvals + remaining < needed) return 'rejected';
  return undefined;
}

/** Users who can still act on the request: its current voters who have not decided yet (none once it closed). */
export function pendingDeciders(request: RequestState): string[] {
  if (request.status !== 'pending') return [];
  const decided = new Set(countedDecisions(request).map((d) => d.approverId));
  return voters(request).filter((id) => !decided.has(id));
}

// Deliberately loose (one @, a dot in the domain, no spaces or brackets): the mail server has the last word.
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]+$/;

/** Why a filled-in value is not right for a form field, or undefined when it is (blanks: see `isBlankValue`). */
export function fieldProblem(field: ApprovalFormField, value: unknown): string | undefined {
  switch (field.type) {
    case 'text':
    case 'textarea':
      return typeof value === 'string' ? undefined : 'must be text';
    case 'email':
      return typeof value === 'string' && value.length <= 254 && EMAIL.test(value.trim())
        ? undefined
        : 'must be an email address such as name@example.com';
    case 'file':
      return isFileRef(value) ? undefined : 'must be a file';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : 'must be a date (YYYY-MM-DD)';
    case 'select': {
      const options = field.options ?? [];
      return typeof value === 'string' && options.includes(value)
        ? undefined
        : `must be one of ${options.map((o) => `"${o}"`).join(', ')}`;
    }
  }
}

/** Whether a form value counts as not filled in. */
export const isBlankValue = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * Checks a decision's form values against the request's fields: no unknown keys, right types and options, and
 * (when approving) every required field filled in. Returns the first problem, naming the field, or undefined.
 */
export function formProblem(
  fields: ApprovalFormField[],
  values: Record<string, unknown> | undefined,
  decision: DecisionInput['decision'],
): string | undefined {
  const given = values ?? {};
  for (const key of Object.keys(given)) {
    if (!fields.some((f) => f.key === key)) return `Form field "${key}" is not a field of this approval.`;
  }
  for (const field of fields) {
    const value = given[field.key];
    if (isBlankValue(value)) {
      if (field.required && decision === 'approve')
        return `Form field "${field.label}" (${field.key}) is required to approve.`;
      continue;
    }
    const problem = fieldProblem(field, value);
    if (problem) return `Form field "${field.label}" (${field.key}) ${problem}.`;
  }
  return undefined;
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
const unescapePointer = (token: string) => token.replace(/~1/g, '/').replace(/~0/g, '~');
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const has = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);
/** Sets an own property, even one named `__proto__` (JSON from a reviewer may hold any key). */
const put = (o: Record<string, unknown>, key: string, value: unknown) =>
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });

/** What changed from `before` to `after`, as JSON pointers with old and new values (whole arrays when they differ). */
export function diffData(before: unknown, after: unknown, path = ''): DataEdit[] {
  if (isObject(before) && isObject(after)) {
    const edits: DataEdit[] = [];
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const key of keys) {
      const at = `${path}/${escapePointer(key)}`;
      if (!has(after, key)) edits.push({ path: at, before: before[key], after: undefined });
      else if (!has(before, key)) edits.push({ path: at, before: undefined, after: after[key] });
      else edits.push(...diffData(before[key], after[key], at));
    }
    return edits;
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
}

/** `data` with `edits` applied in order (an `after` of undefined removes the key). Does not change `data`. */
export function applyEdits(data: unknown, edits: DataEdit[]): unknown {
  let result: unknown = data === undefined ? undefined : JSON.parse(JSON.stringify(data));
  for (const edit of edits) {
    if (edit.path === '') {
      result = edit.after;
      continue;
    }
    const tokens = edit.path.slice(1).split('/').map(unescapePointer);
    if (!isObject(result)) result = {};
    let target = result as Record<string, unknown>;
    for (const token of tokens.slice(0, -1)) {
      if (!has(target, token) || !isObject(target[token])) put(target, token, {});
      target = target[token] as Record<string, unknown>;
    }
    const last = tokens[tokens.length - 1];
    if (edit.after === undefined) delete target[last];
    else put(target, last, edit.after);
  }
  return result;
}
