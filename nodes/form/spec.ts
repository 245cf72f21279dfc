// Another page of the workflow's hosted form, mid-run: the run waits here (like a Wait node, workflows/waits.ts)
// until the person who submitted the Form trigger's page fills this one in; the form's page takes them here when
// the run arrives (app/routes/form.run.$runId.$signature.tsx). Its output is this page's answers by field key.
import { defineNode, param, type WaitPlan } from '../define';
import { DELAY_UNITS, MAX_DELAY_MS, durationMs, type DelayUnit } from '../delay/spec';
import { checkFormFields, formPageOf, formPageParams, type FormPageParams } from '../form-trigger/fields';

export const FORM_EXPIRY = ['never', 'after'] as const;

export interface FormNodeParams extends FormPageParams {
  expires: (typeof FORM_EXPIRY)[number];
  expiresAmount?: number;
  expiresUnit: DelayUnit;
}

export function formStepPlan(p: Pick<FormNodeParams, 'expires' | 'expiresAmount' | 'expiresUnit'>): WaitPlan {
  return {
    kind: 'event',
    source: 'form',
    ...(p.expires === 'after' && p.expiresAmount !== undefined
      ? { timeoutMs: durationMs({ amount: p.expiresAmount, unit: p.expiresUnit }) }
      : {}),
  };
}

/** The page a Form node shows, from its params as written in the plan (they take no expressions). */
export const formStepPage = (params: Partial<FormNodeParams>) => formPageOf(params);

export const spec = defineNode({
  type: 'form',
  version: 1,
  title: 'Form',
  description:
    'Show the next page of the form to the person who submitted the Form trigger, and wait for their answers.',
  category: 'human',
  icon: 'form',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Answers' }],
  conditionalOutputs: [{ port: { id: 'timeout', label: 'Expired' }, when: { param: 'expires', oneOf: ['after'] } }],
  params: {
    ...formPageParams({
      title: 'Next page',
      titlePlaceholder: 'Equipment',
      fieldsDefault: [{ key: 'notes', label: 'Notes', type: 'textarea' }],
    }),
    expires: param.select({
      label: 'Expires',
      description:
        'Unanswered until then, the page closes, its link says so, and the input goes down "Expired" instead.',
      placeholder: 'never',
      values: FORM_EXPIRY,
      options: [
        { value: 'never', label: 'Never: wait as long as it takes' },
        { value: 'after', label: 'After a while' },
      ],
      default: 'never',
      expression: false,
    }),
    expiresAmount: param.number({
      label: 'Expires after',
      placeholder: '7',
      min: 0,
      max: MAX_DELAY_MS / 1000,
      default: 7,
      expression: false,
      showWhen: { param: 'expires', oneOf: ['after'] },
    }),
    expiresUnit: param.select({
      label: 'Unit',
      placeholder: 'days',
      values: DELAY_UNITS,
      options: DELAY_UNITS.map((u) => ({ value: u, label: u })),
      default: 'days',
      expression: false,
      showWhen: { param: 'expires', oneOf: ['after'] },
    }),
  },
  check: checkFormFields,
  runtime: { kind: 'wait', plan: (params: FormNodeParams) => formStepPlan(params), awaits: () => 'form' },
});
