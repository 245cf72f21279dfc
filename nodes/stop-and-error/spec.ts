// Fails the run on purpose, with the author's message and error code: for input a workflow must refuse (a missing
// employee id, an amount over a limit). Nothing follows it, so it has no output.
import { z } from 'zod';
import { defineNode, param } from '../define';
import { codeProblem } from './stop';

const code = param.text({
  label: 'Error code',
  description:
    'A short code for the failure, kept on the run as its error code so callers and error handling can tell failures apart.',
  placeholder: 'invalid-input',
  default: 'stopped',
  maxLength: 64,
  expression: false,
});

export const spec = defineNode({
  type: 'stop-and-error',
  version: 1,
  title: 'Stop and error',
  description: 'Fail the run here with your own message and error code.',
  category: 'flow',
  icon: 'stop',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [],
  params: {
    message: param.text({
      label: 'Error message',
      description: 'What the run reports as its error; may be an expression over the input.',
      placeholder: 'Employee {{ $input.id }} has no start date',
      required: true,
      maxLength: 2000,
    }),
    code: {
      ...code,
      schema: code.schema.superRefine((value, ctx) => {
        const problem = codeProblem(value);
        if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
      }),
    },
  },
  // It computes its failure from params alone: pure, so it runs in a chain with the nodes before it.
  runtime: { kind: 'activity', taskQueue: 'default', pure: true },
});
