// Waits for people to approve or reject, through any restart: users, groups or roles (or an expression naming
// people at run time) decide by a rule, fill in a form and may edit the data under review; a deadline rejects,
// approves, times out or escalates to the next level. The interpreter does the waiting and deciding
// (workflows/approvals.ts); this spec says what to ask and whom.
import { z } from 'zod';
import { ROLES } from '../../contracts/permissions';
import type { ApprovalFormField } from '../../contracts/approvals';
import { defineNode, param, type ApprovalPlan, type ApproverSources, type ParamProblem } from '../define';
import { DELAY_UNITS, durationMs, type DelayUnit } from '../delay/spec';
import { NodeError } from '../errors';
import { instantOf } from '../wait/spec';
import { checkApprovalParams, splitList } from './checks';
import { formFieldsParam } from './form-fields-param';

export const RULES = ['any', 'all', 'n-of-m'] as const;
export const DEADLINE_MODES = ['none', 'duration', 'until'] as const;
export const DEADLINE_POLICIES = ['reject', 'approve', 'timed-out', 'escalate'] as const;
export const FORM_FIELD_TYPES = ['text', 'number', 'select', 'date', 'boolean', 'textarea'] as const;
export const MAX_FORM_FIELDS = 30;
export const MAX_ESCALATIONS = 10;
export const MAX_REMINDERS = 10;
export const MAX_APPROVER_ROWS = 100;

/** The node's outputs: where an approved, rejected or timed-out request sends its outcome. */
export const APPROVAL_PORTS = { approved: 'approved', rejected: 'rejected', timedOut: 'timeout' } as const;

const DEADLINE_SET = ['duration', 'until'] as const;

export interface FormFieldRow {
  key: string;
  label?: string;
  type: (typeof FORM_FIELD_TYPES)[number];
  required?: boolean;
  /** For `select`: the options, separated by commas. */
  options?: string;
}

export interface EscalationRow {
  groups?: string;
  users?: string;
  roles?: string;
  amount: number;
  unit: DelayUnit;
}

export interface ApprovalParams {
  title: string;
  summary?: string;
  data?: unknown;
  users: Array<{ user: string }>;
  groups: Array<{ group: string }>;
  roles: Array<{ role: string }>;
  approversFrom?: unknown;
  rule: (typeof RULES)[number];
  n?: number;
  barStarter: boolean;
  barPublisher: boolean;
  form: FormFieldRow[];
  deadline: (typeof DEADLINE_MODES)[number];
  deadlineAmount?: number;
  deadlineUnit: DelayUnit;
  deadlineAt?: unknown;
  onDeadline: (typeof DEADLINE_POLICIES)[number];
  escalations: EscalationRow[];
  reminders: Array<{ amount: number; unit: DelayUnit }>;
  smtp?: string;
}

const unitField = {
  key: 'unit',
  label: 'Unit',
  widget: 'select' as const,
  options: DELAY_UNITS.map((u) => ({ value: u, label: u })),
  expression: false,
  default: 'hours',
};

/** The people an `approversFrom` expression produced: emails or user ids, as text or a list of texts. */
function peopleFrom(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  const items = Array.isArray(value) ? value : [value];
  if (!items.every((v) => typeof v === 'string'))
    throw new NodeError('Param "approversFrom": must be emails or user ids, as text or a list of texts', {
      code: 'param-invalid',
      retryable: false,
    });
  return items.flatMap((v) => splitList(v as string));
}

/** Form rows as written in the node's list → the fields a form shows; hosted forms (nodes/form-trigger) reuse it. */
export function formFields(
  rows: Array<Omit<FormFieldRow, 'type'> & { type: ApprovalFormField['type'] }>,
): ApprovalFormField[] {
  return rows.map((r) => ({
    key: r.key.trim(),
    label: r.label?.trim() || r.key.trim(),
    type: r.type,
    ...(r.required ? { required: true } : {}),
    ...(r.type === 'select'
      ? {
          options:
            r.options
              ?.split(',')
              .map((o) => o.trim())
              .filter(Boolean) ?? [],
        }
      : {}),
  }));
}

const sources = (users: string[], groups: string[], roles: string[]): ApproverSources => ({ users, groups, roles });

export function approvalPlan(p: ApprovalParams, input: unknown, nowMs: number): ApprovalPlan {
  let deadlineAt: number | undefined;
  if (p.deadline === 'duration')
    deadlineAt = nowMs + durationMs({ amount: p.deadlineAmount ?? 0, unit: p.deadlineUnit });
  else if (p.deadline === 'until') deadlineAt = instantOf(p.deadlineAt);
  const data = p.data === undefined || p.data === '' ? input : p.data;
  return {
    title: p.title,
    ...(p.summary ? { summary: p.summary } : {}),
    data: data === undefined ? null : data,
    approvers: sources(
      [...p.users.map((u) => u.user.trim()).filter(Boolean), ...peopleFrom(p.approversFrom)],
      p.groups.map((g) => g.group.trim()).filter(Boolean),
      p.roles.map((r) => r.role).filter(Boolean),
    ),
    rule: p.rule === 'n-of-m' ? { kind: 'n-of-m', n: p.n ?? 1 } : { kind: p.rule },
    barStarter: p.barStarter,
    barPublisher: p.barPublisher,
    form: formFields(p.form),
    ...(deadlineAt !== undefined ? { deadlineAt } : {}),
    onDeadline: p.onDeadline,
    escalations:
      deadlineAt !== undefined && p.onDeadline === 'escalate'
        ? p.escalations.map((e) => ({
            approvers: sources(splitList(e.users), splitList(e.groups), splitList(e.roles)),
            durationMs: durationMs({ amount: e.amount, unit: e.unit }),
          }))
        : [],
    remindersMs: deadlineAt !== undefined ? p.reminders.map((r) => durationMs(r)) : [],
    ...(p.smtp ? { smtpCredentialId: p.smtp } : {}),
  };
}

const text = (max: number) => z.string().max(max, `is longer than ${max} characters`);
const amount = z.number().finite().min(0, 'must be 0 or more');
const unit = z.enum(DELAY_UNITS, { errorMap: () => ({ message: `must be one of ${DELAY_UNITS.join(', ')}` }) });

export const spec = defineNode({
  type: 'approval',
  version: 1,
  title: 'Approval',
  description:
    'Wait for people to approve or reject, with a form, a rule (any, all, N of M), a deadline and escalation.',
  category: 'human',
  icon: 'user',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [
    { id: APPROVAL_PORTS.approved, label: 'Approved' },
    { id: APPROVAL_PORTS.rejected, label: 'Rejected' },
    { id: APPROVAL_PORTS.timedOut, label: 'Timed out' },
  ],
  params: {
    title: param.text({
      label: 'Title',
      placeholder: 'Approve the offer for {{ $input.name }}',
      required: true,
      maxLength: 300,
      default: 'Approval needed',
    }),
    summary: param.textarea({
      label: 'Summary',
      description: 'What the approvers should know, shown in their inbox and email.',
      placeholder: '{{ $input.name }} starts on {{ $input.startDate }}',
      maxLength: 4000,
    }),
    data: param.anyValue({
      label: 'Data under review',
      description: 'What approvers see and may edit before approving. Empty: the node’s input.',
      placeholder: '{{ $input.offer }}',
    }),
    users: param.list({
      label: 'Users',
      placeholder: 'Add a user',
      description: 'By email or user id.',
      item: z.object({ user: text(320) }).strict(),
      itemLabel: 'user',
      maxItems: MAX_APPROVER_ROWS,
      fields: [
        { key: 'user', label: 'Email or user id', widget: 'text', placeholder: 'ana@acme.test', expression: false },
      ],
      default: [],
      expression: false,
    }),
    groups: param.list({
      label: 'Groups',
      placeholder: 'Add a group',
      description: 'Every member of each group may decide.',
      item: z.object({ group: text(100) }).strict(),
      itemLabel: 'group',
      maxItems: MAX_APPROVER_ROWS,
      fields: [{ key: 'group', label: 'Group', widget: 'text', placeholder: 'hr', expression: false }],
      default: [],
      expression: false,
    }),
    roles: param.list({
      label: 'Roles',
      placeholder: 'Add a role',
      description: 'Every member of the workspace with the role may decide.',
      item: z.object({ role: z.enum(ROLES, { errorMap: () => ({ message: `must be one of ${ROLES.join(', ')}` }) }) }),
      itemLabel: 'role',
      maxItems: ROLES.length,
      fields: [
        {
          key: 'role',
          label: 'Role',
          widget: 'select',
          options: ROLES.map((r) => ({ value: r, label: r })),
          expression: false,
          default: 'approver',
        },
      ],
      default: [],
      expression: false,
    }),
    approversFrom: param.anyValue({
      label: 'Approvers from data',
      description: 'Emails or user ids known only at run time, such as the new hire’s manager.',
      placeholder: '{{ $input.manager.email }}',
    }),
    rule: param.select({
      label: 'Rule',
      placeholder: 'any',
      values: RULES,
      options: [
        { value: 'any', label: 'Any one approver' },
        { value: 'all', label: 'All approvers' },
        { value: 'n-of-m', label: 'N of the approvers' },
      ],
      default: 'any',
      expression: false,
    }),
    n: param.number({
      label: 'Approvals needed',
      placeholder: '2',
      min: 1,
      max: 1000,
      int: true,
      default: 2,
      expression: false,
      showWhen: { param: 'rule', oneOf: ['n-of-m'] },
    }),
    barStarter: param.boolean({
      label: 'The run’s starter may not approve',
      placeholder: 'true',
      default: true,
      expression: false,
    }),
    barPublisher: param.boolean({
      label: 'The workflow’s last publisher may not approve',
      placeholder: 'true',
      default: true,
      expression: false,
    }),
    form: formFieldsParam({
      types: FORM_FIELD_TYPES,
      maxFields: MAX_FORM_FIELDS,
      label: 'Form',
      description: 'Fields approvers fill in; their values go downstream with the decision.',
      placeholders: { key: 'salary', label: 'Salary', options: 'yes, no' },
      default: [],
    }),
    deadline: param.select({
      label: 'Deadline',
      placeholder: 'none',
      values: DEADLINE_MODES,
      options: [
        { value: 'none', label: 'None' },
        { value: 'duration', label: 'After a duration' },
        { value: 'until', label: 'At a time' },
      ],
      default: 'none',
      expression: false,
    }),
    deadlineAmount: param.number({
      label: 'Decide within',
      placeholder: '3',
      min: 0,
      max: 365 * 86_400,
      default: 3,
      showWhen: { param: 'deadline', oneOf: ['duration'] },
    }),
    deadlineUnit: param.select({
      label: 'Unit',
      placeholder: 'days',
      values: DELAY_UNITS,
      options: DELAY_UNITS.map((u) => ({ value: u, label: u })),
      default: 'days',
      expression: false,
      showWhen: { param: 'deadline', oneOf: ['duration'] },
    }),
    deadlineAt: param.anyValue({
      label: 'Decide by',
      description: 'An ISO 8601 date and time (2026-12-24T09:00:00Z) or epoch milliseconds.',
      placeholder: '{{ $input.startDate }}',
      showWhen: { param: 'deadline', oneOf: ['until'] },
    }),
    onDeadline: param.select({
      label: 'When the deadline passes',
      placeholder: 'timed-out',
      values: DEADLINE_POLICIES,
      options: [
        { value: 'reject', label: 'Reject' },
        { value: 'approve', label: 'Approve' },
        { value: 'timed-out', label: 'Go down "Timed out"' },
        { value: 'escalate', label: 'Escalate to the next level' },
      ],
      default: 'timed-out',
      expression: false,
      showWhen: { param: 'deadline', oneOf: DEADLINE_SET },
    }),
    escalations: param.list({
      label: 'Escalation levels',
      placeholder: 'Add a level',
      description:
        'Opened one after the other when a deadline passes, each with its own approvers and time to decide; after the last one the request times out.',
      item: z
        .object({
          groups: text(2000).optional(),
          users: text(4000).optional(),
          roles: text(200).optional(),
          amount,
          unit,
        })
        .strict(),
      itemLabel: 'level',
      maxItems: MAX_ESCALATIONS,
      fields: [
        { key: 'groups', label: 'Groups', widget: 'text', placeholder: 'hr-leads', expression: false },
        { key: 'users', label: 'Users', widget: 'text', placeholder: 'boss@acme.test', expression: false },
        { key: 'roles', label: 'Roles', widget: 'text', placeholder: 'admin', expression: false },
        { key: 'amount', label: 'Decide within', widget: 'number', placeholder: '1', expression: false, default: 1 },
        unitField,
      ],
      default: [],
      expression: false,
      showWhen: { param: 'onDeadline', oneOf: ['escalate'] },
    }),
    reminders: param.list({
      label: 'Reminders',
      placeholder: 'Add a reminder',
      description: 'Emails to approvers who have not decided, this long before the deadline.',
      item: z.object({ amount, unit }).strict(),
      itemLabel: 'reminder',
      maxItems: MAX_REMINDERS,
      fields: [
        {
          key: 'amount',
          label: 'Before the deadline',
          widget: 'number',
          placeholder: '1',
          expression: false,
          default: 1,
        },
        unitField,
      ],
      default: [],
      expression: false,
      showWhen: { param: 'deadline', oneOf: DEADLINE_SET },
    }),
    smtp: param.credential({
      label: 'Email through',
      description: 'The SMTP credential for emails to approvers. Empty: the server’s mail settings, if any.',
      placeholder: 'Pick an SMTP credential',
      types: ['smtp'],
    }),
  },
  runtime: {
    kind: 'approval',
    plan: (params: ApprovalParams, input: unknown, nowMs: number) => approvalPlan(params, input, nowMs),
  },
  check: (params): ParamProblem[] => checkApprovalParams(params),
});
