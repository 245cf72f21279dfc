// Starts a run when someone submits the workflow's hosted form at /form/<workflow id> (app/routes/form.$workflowId.tsx).
// The web finds it through its `form` binding: the page it shows, who may open it, and how the form ends come from
// here. The run's trigger payload is the submitted values by field key, files as file values (contracts/file-ref).
import type { FormAccess, FormEnding, FormTriggerPage } from '../../contracts/form-page';
import { defineNode, param, type ParamProblem, type ParamsOf } from '../define';
import { checkFormFields, formPageOf, formPageParams } from './fields';

export const FORM_ACCESS = ['public', 'password', 'members'] as const;
export const FORM_ENDINGS = ['message', 'redirect'] as const;
const DEFAULT_CONFIRMATION = 'Thank you. Your answers were received.';

const params = {
  ...formPageParams({
    title: 'Form',
    titlePlaceholder: 'New hire',
    fieldsDefault: [
      { key: 'name', label: 'Name', type: 'text', required: true },
      { key: 'email', label: 'Email', type: 'email', required: true },
    ],
  }),
  access: param.select({
    label: 'Who may open it',
    description:
      'Anyone with the link; people who know a password (kept in a "Form password" credential); or signed-in ' +
      'members of this workspace, recorded as the run’s starter.',
    placeholder: 'public',
    values: FORM_ACCESS,
    options: [
      { value: 'public', label: 'Anyone with the link' },
      { value: 'password', label: 'People with the password' },
      { value: 'members', label: 'Members of this workspace (sign-in)' },
    ],
    default: 'public',
    expression: false,
  }),
  password: param.credential({
    label: 'Password credential',
    description: 'A "Form password" credential of this workspace: changing it there changes the form’s password.',
    placeholder: 'Pick a Form password credential',
    types: ['form-password'],
    showWhen: { param: 'access', oneOf: ['password'] },
  }),
  ending: param.select({
    label: 'When the form is complete',
    description: 'After its last page (the Form nodes the run reaches add pages).',
    placeholder: 'message',
    values: FORM_ENDINGS,
    options: [
      { value: 'message', label: 'Show a message' },
      { value: 'redirect', label: 'Go to another page' },
    ],
    default: 'message',
    expression: false,
  }),
  confirmation: param.textarea({
    label: 'Message',
    placeholder: DEFAULT_CONFIRMATION,
    default: DEFAULT_CONFIRMATION,
    maxLength: 4000,
    expression: false,
    showWhen: { param: 'ending', oneOf: ['message'] },
  }),
  redirectUrl: param.url({
    label: 'Go to',
    description: 'An http(s) address the browser opens once the form is complete.',
    placeholder: 'https://intranet.example.com/welcome',
    expression: false,
    showWhen: { param: 'ending', oneOf: ['redirect'] },
  }),
};

/** Absent keys are possible: plans frozen before a param existed lack it. */
type Params = Partial<ParamsOf<typeof params>>;

function formAccess(p: Params): FormAccess {
  if (p.access === 'password') return { kind: 'password', credentialId: p.password ?? '' };
  return p.access === 'members' ? { kind: 'members' } : { kind: 'public' };
}

function formEnding(p: Params): FormEnding {
  if (p.ending === 'redirect' && p.redirectUrl) return { kind: 'redirect', url: p.redirectUrl };
  return { kind: 'message', text: p.confirmation?.trim() || DEFAULT_CONFIRMATION };
}

export function formTriggerPage(p: Params): FormTriggerPage {
  return { ...formPageOf(p), access: formAccess(p), ending: formEnding(p) };
}

function checkFormTrigger(p: Record<string, unknown>): ParamProblem[] {
  const problems = checkFormFields(p);
  if (p.access === 'password' && !p.password)
    problems.push({
      path: ['password'],
      message: 'Param "password": pick the Form password credential that holds the password',
      incomplete: true,
    });
  if (p.ending === 'redirect' && !p.redirectUrl)
    problems.push({ path: ['redirectUrl'], message: 'Param "redirectUrl": say where to go', incomplete: true });
  return problems;
}

export const spec = defineNode({
  type: 'form-trigger',
  version: 1,
  title: 'Form trigger',
  description: 'Start the workflow when someone submits its form page (text, choices, dates, files).',
  category: 'trigger',
  icon: 'form',
  inputs: [],
  outputs: [{ id: 'out', label: 'Answers' }],
  params,
  check: checkFormTrigger,
  runtime: {
    kind: 'trigger',
    binding: 'form',
    // A test run from the editor has no submission: the caller's input stands in for the answers.
    manualPayload: (_params: unknown, provided: unknown) => (provided === undefined ? {} : provided),
    form: { page: formTriggerPage, payload: (_params: unknown, values: Record<string, unknown>) => ({ ...values }) },
  },
});
