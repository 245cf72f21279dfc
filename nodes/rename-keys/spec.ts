// Renames fields of the input object, or of each object when the input is a list. Pure.
import { z } from 'zod';
import { defineNode, param } from '../define';
import { MAX_PATTERN_LENGTH } from '../if/regex';
import { fieldPathProblem } from '../set-fields/apply';
import { keyPatternProblem } from './key-pattern';

const renames = param.keyValue({
  label: 'Renames',
  description:
    'Current field → new name. Dotted paths move nested fields ("user.name" → "contact.fullName"). Renames ' +
    'happen at once, so a → b with b → a swaps them; a new name that exists already is overwritten.',
  placeholder: 'first_name: firstName',
  default: {},
});

const pattern = param.text({
  label: 'Key pattern',
  description:
    'Optional regex (RE2 syntax) applied to every top-level key after the renames above; each match is ' +
    'replaced. Use (?i) for case-insensitive matching.',
  placeholder: '^data_(.*)$',
  default: '',
  maxLength: MAX_PATTERN_LENGTH,
});

export const spec = defineNode({
  type: 'rename-keys',
  version: 1,
  title: 'Rename keys',
  description: 'Rename fields of an object, or of every object in a list.',
  category: 'core',
  icon: 'edit',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Output' }],
  params: {
    renames: {
      ...renames,
      schema: renames.schema.superRefine((rec, ctx) => {
        for (const [from, to] of Object.entries(rec)) {
          const problem = fieldPathProblem(from) ?? fieldPathProblem(to);
          if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem, path: [from] });
        }
      }),
    },
    keepUnlisted: param.boolean({
      label: 'Keep other fields',
      description: 'On: fields not renamed stay as they are. Off: the output holds only the renamed fields.',
      placeholder: 'true',
      default: true,
      expression: false,
    }),
    pattern: {
      ...pattern,
      schema: pattern.schema.superRefine((p, ctx) => {
        const problem = p === '' ? undefined : keyPatternProblem(p);
        if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
      }),
    },
    replacement: param.text({
      label: 'Replacement',
      description: 'Replaces each match of the key pattern: $1 or $<name> insert a group, $$ a dollar sign.',
      placeholder: '$1',
      default: '',
      maxLength: MAX_PATTERN_LENGTH,
    }),
  },
  runtime: { kind: 'activity', taskQueue: 'default', pure: true },
});
