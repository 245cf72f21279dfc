// Builds an object from named values (often expressions over the input), optionally on top of the input.
import { z } from 'zod';
import { defineNode, param } from '../define';
import { fieldPathProblem } from './apply';

const fields = param.jsonMap({
  label: 'Fields',
  description: 'Field name → value. Dotted names such as "user.name" set nested fields; values may be expressions.',
  placeholder: '{{ $input.email }}',
  default: {},
});

export const spec = defineNode({
  type: 'set-fields',
  version: 1,
  title: 'Set fields',
  description: 'Add or overwrite fields, or build a new object from expressions.',
  category: 'core',
  icon: 'pencil',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Output' }],
  params: {
    fields: {
      ...fields,
      schema: fields.schema.superRefine((rec, ctx) => {
        for (const name of Object.keys(rec)) {
          const problem = fieldPathProblem(name);
          if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem, path: [name] });
        }
      }),
    },
    keepInput: param.boolean({
      label: 'Keep input fields',
      description: 'On: merge the fields into the input object. Off: output only these fields.',
      placeholder: 'true',
      default: true,
      expression: false,
    }),
  },
  runtime: { kind: 'activity', taskQueue: 'default', pure: true },
});
