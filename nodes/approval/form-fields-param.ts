// The "fields" list param of a form, as the Approval node's form and the hosted form pages (nodes/form-trigger,
// nodes/form) declare it: one row per field (key, label, type, required, select options), keys safe as object keys.
import { z } from 'zod';
import { param, type ListField } from '../define';
import { FORBIDDEN_KEYS } from '../json-value';

const text = (max: number) => z.string().max(max, `is longer than ${max} characters`);

/** One row of the list: a field of the form. */
export interface FormFieldRowOf<T extends string> {
  key: string;
  label?: string;
  type: T;
  required?: boolean;
  /** For `select`: the options, separated by commas. */
  options?: string;
}

export function formFieldsParam<T extends string>(o: {
  types: readonly [T, ...T[]];
  maxFields: number;
  label: string;
  description: string;
  /** Examples shown in the empty key, label and options boxes. */
  placeholders: { key: string; label: string; options: string };
  default: FormFieldRowOf<T>[];
}) {
  const fields: ListField[] = [
    { key: 'key', label: 'Key', widget: 'text', placeholder: o.placeholders.key, expression: false },
    { key: 'label', label: 'Label', widget: 'text', placeholder: o.placeholders.label, expression: false },
    {
      key: 'type',
      label: 'Type',
      widget: 'select',
      options: o.types.map((t) => ({ value: t, label: t })),
      expression: false,
      default: 'text',
    },
    { key: 'required', label: 'Required', widget: 'boolean', expression: false, default: false },
    {
      key: 'options',
      label: 'Options (select)',
      widget: 'text',
      placeholder: o.placeholders.options,
      expression: false,
    },
  ];
  return param.list({
    label: o.label,
    placeholder: 'Add a field',
    description: o.description,
    item: z
      .object({
        key: z
          .string()
          .regex(/^[A-Za-z_][\w-]{0,63}$/, 'must be a name of letters, digits, _ or - (up to 64)')
          .refine((key) => !FORBIDDEN_KEYS.has(key), 'cannot be __proto__, constructor or prototype'),
        label: text(200).optional(),
        type: z.enum(o.types, { errorMap: () => ({ message: `must be one of ${o.types.join(', ')}` }) }),
        required: z.boolean().optional(),
        options: text(4000).optional(),
      })
      .strict() as z.ZodType<FormFieldRowOf<T>>,
    itemLabel: 'field',
    maxItems: o.maxFields,
    fields,
    default: o.default,
    expression: false,
  });
}
