// Collects a list into one object: all items under one field, or each chosen field's values as a list.
import { z } from 'zod';
import { defineNode, param } from '../define';
import { itemsParam, parsePath, pathParam, pathProblem, writablePathProblem } from '../items';
import { AGGREGATE_MODES, outputNameOf } from './aggregate';

const fieldMap = param.keyValue({
  label: 'Fields to collect',
  description:
    'Field path in each item → output field name. A blank name uses the last part of the path ("user.email" ' +
    'gives "email").',
  placeholder: 'user.email',
  default: {},
  expression: false,
  maxEntries: 100,
  showWhen: { param: 'mode', oneOf: ['fields'] },
});

/** Output names that would overwrite each other: the same name, or one nested inside another ("a" and "a.b"). */
function clash(a: string, b: string): boolean {
  const [x, y] = [parsePath(a), parsePath(b)];
  const n = Math.min(x.length, y.length);
  return x.slice(0, n).every((s, i) => s === y[i]);
}

export const spec = defineNode({
  type: 'aggregate',
  version: 1,
  title: 'Aggregate',
  description: "Combine a list's items into one object: the whole list under one field, or lists of chosen fields.",
  category: 'core',
  icon: '∑',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Output' }],
  params: {
    field: itemsParam(),
    mode: param.select({
      label: 'Collect',
      placeholder: 'items',
      values: AGGREGATE_MODES,
      options: [
        { value: 'items', label: 'Every item, into one list field' },
        { value: 'fields', label: 'The values of chosen fields, one list each' },
      ],
      default: 'items',
      expression: false,
    }),
    outputField: pathParam({
      label: 'Output field',
      description: 'The field of the output object that holds the items. Dotted names nest.',
      placeholder: 'items',
      default: 'items',
      required: true,
      writable: true,
      showWhen: { param: 'mode', oneOf: ['items'] },
    }),
    fields: {
      ...fieldMap,
      schema: fieldMap.schema.superRefine((rec, ctx) => {
        const named: Array<[string, string]> = [];
        for (const [path, rename] of Object.entries(rec)) {
          const name = outputNameOf(path, rename);
          const problem =
            path.trim() === ''
              ? 'needs a field path, such as "user.email"'
              : (pathProblem(path) ?? writablePathProblem(name));
          const other = named.find(([, n]) => clash(n, name));
          const message =
            problem ??
            (other &&
              `goes to output field "${name}", which clashes with "${other[1]}" from "${other[0]}"; rename one`);
          if (message) ctx.addIssue({ code: z.ZodIssueCode.custom, message, path: [path] });
          named.push([path, name]);
        }
      }),
    },
    skipEmpty: param.boolean({
      label: 'Skip missing and null values',
      description: 'On: lists hold only the values present. Off: a missing or null value is collected as null.',
      placeholder: 'true',
      default: true,
      expression: false,
      showWhen: { param: 'mode', oneOf: ['fields'] },
    }),
  },
  runtime: { kind: 'activity', taskQueue: 'default', pure: true },
});
