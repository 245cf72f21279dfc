// What the compiler checks across an Approval node's params, on params as written. Whether enough approvers exist
// for the rule is known only once they are resolved at run time (workflows/approvals.ts fails the run then).
import { ROLES } from '../../contracts/permissions';
import type { ParamProblem } from '../define';
import type { EscalationRow, FormFieldRow } from './spec';

/** "a, b c" → ["a", "b", "c"]. */
export const splitList = (text: string | undefined): string[] =>
  (typeof text === 'string' ? text : '')
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);

const rows = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);
const filled = (value: unknown) => value !== undefined && value !== null && String(value).trim() !== '';

export function checkApprovalParams(params: Record<string, unknown>): ParamProblem[] {
  const problems: ParamProblem[] = [];
  const users = rows<{ user?: unknown }>(params.users).filter((r) => filled(r?.user));
  const groups = rows<{ group?: unknown }>(params.groups).filter((r) => filled(r?.group));
  const roles = rows<{ role?: unknown }>(params.roles).filter((r) => filled(r?.role));
  if (users.length + groups.length + roles.length === 0 && !filled(params.approversFrom))
    problems.push({
      path: ['users'],
      message: 'Param "users": add approvers (users, groups, roles, or approvers from data)',
      incomplete: true,
    });

  const seen = new Set<string>();
  rows<FormFieldRow>(params.form).forEach((field, i) => {
    const key = typeof field?.key === 'string' ? field.key.trim() : '';
    if (key && seen.has(key))
      problems.push({ path: ['form', i, 'key'], message: `Param "form.${i}.key": the key "${key}" is used twice` });
    seen.add(key);
    if (field?.type === 'select' && splitList(field.options?.replace(/,/g, ' ')).length === 0)
      problems.push({
        path: ['form', i, 'options'],
        message: `Param "form.${i}.options": a select field needs options, separated by commas`,
      });
  });

  const hasDeadline = params.deadline === 'duration' || params.deadline === 'until';
  if (hasDeadline && params.onDeadline === 'escalate') {
    const levels = rows<EscalationRow>(params.escalations);
    if (levels.length === 0)
      problems.push({
        path: ['escalations'],
        message: 'Param "escalations": escalating needs at least one level',
        incomplete: true,
      });
    levels.forEach((level, i) => {
      if (![level?.users, level?.groups, level?.roles].some((v) => splitList(v).length > 0))
        problems.push({
          path: ['escalations', i, 'groups'],
          message: `Param "escalations.${i}": name the groups, users or roles this level goes to`,
        });
      const unknown = splitList(level?.roles).find((r) => !(ROLES as readonly string[]).includes(r));
      if (unknown)
        problems.push({
          path: ['escalations', i, 'roles'],
          message: `Param "escalations.${i}.roles": "${unknown}" is not a role (${ROLES.join(', ')})`,
        });
    });
  }
  return problems;
}
