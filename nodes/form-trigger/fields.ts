// The params a hosted form page shares between the Form trigger and the Form node: title, text, the fields (the
// Approval node's form rows plus email and file) and the submit button. `formPageOf` turns them into the page.
import { MAX_FORM_FILE_BYTES, type FormPage } from '../../contracts/form-page';
import { FORM_FIELD_TYPES as APPROVAL_FIELD_TYPES, MAX_FORM_FIELDS, formFields } from '../approval/spec';
import { formFieldsParam } from '../approval/form-fields-param';
import { param, type ParamProblem } from '../define';

export const FORM_FIELD_TYPES = [...APPROVAL_FIELD_TYPES, 'email', 'file'] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];

export interface FormFieldRow {
  key: string;
  label?: string;
  type: FormFieldType;
  required?: boolean;
  /** For `select`: the options, separated by commas. */
  options?: string;
}

export interface FormPageParams {
  title: string;
  description?: string;
  fields: FormFieldRow[];
  submitLabel?: string;
  maxFileMb?: number;
}

const DEFAULT_FILE_MB = 10;

/** The page params, as both node types declare them; `title` defaults differ per node. */
export function formPageParams(o: { title: string; titlePlaceholder: string; fieldsDefault: FormFieldRow[] }) {
  return {
    title: param.text({
      label: 'Form title',
      description: 'The heading of the page. Plain text: HTML is shown as written, never run.',
      placeholder: o.titlePlaceholder,
      required: true,
      maxLength: 200,
      default: o.title,
      expression: false,
    }),
    description: param.textarea({
      label: 'Text under the title',
      description: 'What the person filling in the form should know. Plain text; line breaks are kept.',
      placeholder: 'Tell us about the new hire. Fields marked * are required.',
      maxLength: 4000,
      expression: false,
    }),
    fields: formFieldsParam({
      types: FORM_FIELD_TYPES,
      maxFields: MAX_FORM_FIELDS,
      label: 'Fields',
      description:
        'Each field’s key names its value in the output. Types: text, textarea, number, date, select (options ' +
        'separated by commas), boolean (a switch), email (checked as an address) and file (stored as a file value).',
      placeholders: { key: 'email', label: 'Work email', options: 'Laptop, Phone' },
      default: o.fieldsDefault,
    }),
    submitLabel: param.text({
      label: 'Submit button',
      placeholder: 'Submit',
      default: 'Submit',
      maxLength: 60,
      expression: false,
    }),
    maxFileMb: param.number({
      label: 'Largest file (MB)',
      description: `Per file field. Larger files are refused with a message next to the field (at most ${MAX_FORM_FILE_BYTES / 1024 / 1024} MB).`,
      placeholder: String(DEFAULT_FILE_MB),
      default: DEFAULT_FILE_MB,
      min: 0.001,
      max: MAX_FORM_FILE_BYTES / 1024 / 1024,
      expression: false,
    }),
  };
}

/** The page the params describe. Plans frozen before a param existed lack it: defaults stand in. */
export function formPageOf(p: Partial<FormPageParams>): FormPage {
  return {
    title: p.title?.trim() || 'Form',
    ...(p.description?.trim() ? { description: p.description } : {}),
    fields: formFields(Array.isArray(p.fields) ? p.fields : []),
    submitLabel: p.submitLabel?.trim() || 'Submit',
    maxFileBytes: Math.round((p.maxFileMb ?? DEFAULT_FILE_MB) * 1024 * 1024),
  };
}

const filled = (value: unknown) => typeof value === 'string' && value.trim() !== '';

/** Keys used twice, select fields without options and forms without fields, as the compiler reports them. */
export function checkFormFields(params: Record<string, unknown>): ParamProblem[] {
  const rows = Array.isArray(params.fields) ? (params.fields as Array<Partial<FormFieldRow> | null>) : [];
  const problems: ParamProblem[] = [];
  if (rows.length === 0)
    problems.push({ path: ['fields'], message: 'Param "fields": add at least one field', incomplete: true });
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const key = typeof row?.key === 'string' ? row.key.trim() : '';
    if (key && seen.has(key))
      problems.push({ path: ['fields', i, 'key'], message: `Param "fields.${i}.key": the key "${key}" is used twice` });
    seen.add(key);
    if (row?.type === 'select' && !(row.options ?? '').split(',').some(filled))
      problems.push({
        path: ['fields', i, 'options'],
        message: `Param "fields.${i}.options": a select field needs options, separated by commas`,
      });
  });
  return problems;
}
