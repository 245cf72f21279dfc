// Keeps the items that match conditions on their fields (or, in "discard" mode, the ones that do not).
import { z } from 'zod';
import { PARAM_LIMITS, defineNode, jsonValue, param, type ParamDef } from '../define';
import { NodeError } from '../errors';
import { OPERATORS, UNARY_OPERATORS, evaluateCondition } from '../if/condition';
import { fieldPathSchema, itemsParam } from '../items';
import { COMBINES, FILTER_MODES, conditionMessage, type Condition } from './filter';

export const MAX_CONDITIONS = 50;
const EXAMPLE = '{ "field": "status", "operator": "equals", "value": "active" }';

const conditionSchema = z
  .object(
    {
      field: fieldPathSchema,
      operator: z.enum(OPERATORS, { errorMap: () => ({ message: `must be one of ${OPERATORS.join(', ')}` }) }),
      value: jsonValue(PARAM_LIMITS.text).optional(),
    },
    { invalid_type_error: `must be a condition such as ${EXAMPLE}` },
  )
  .strict()
  .superRefine((c, ctx) => {
    if (!UNARY_OPERATORS.has(c.operator) && c.value === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${c.operator}" needs a value`, path: ['value'] });
    } else if (c.operator === 'matchesRegex') {
      // Compiles the pattern once here, so a bad regex is reported as a param (in the editor when it is literal).
      try {
        evaluateCondition('', 'matchesRegex', c.value);
      } catch (err) {
        if (!(err instanceof NodeError)) throw err;
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: conditionMessage(err.message), path: ['value'] });
      }
    }
  }) as z.ZodType<Condition>;

const DEFAULT_CONDITIONS: Condition[] = [{ field: '', operator: 'isNotEmpty', value: '' }];

const conditions: ParamDef<Condition[]> = {
  ...param.json({
    label: 'Conditions',
    description:
      `A list of conditions such as ${EXAMPLE}. "field" is a dotted path inside each item ("" for the item ` +
      `itself); "operator" is one of ${OPERATORS.join(', ')}; "value" may be an expression, evaluated once ` +
      'over the input.',
    placeholder: `[${EXAMPLE}]`,
    required: true,
  }),
  schema: z
    .array(conditionSchema, { invalid_type_error: `must be a list of conditions such as [${EXAMPLE}]` })
    .min(1, `needs at least one condition, such as ${EXAMPLE}`)
    .max(MAX_CONDITIONS, `has too many conditions; the limit is ${MAX_CONDITIONS}`),
  default: DEFAULT_CONDITIONS,
};

export const spec = defineNode({
  type: 'filter',
  version: 1,
  title: 'Filter',
  description: 'Keep the items of a list that match conditions, or the ones that do not.',
  category: 'core',
  icon: 'filter',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Items' }],
  params: {
    field: itemsParam(),
    conditions,
    combine: param.select({
      label: 'Match',
      placeholder: 'all',
      values: COMBINES,
      options: [
        { value: 'all', label: 'All conditions (AND)' },
        { value: 'any', label: 'Any condition (OR)' },
      ],
      default: 'all',
      expression: false,
    }),
    mode: param.select({
      label: 'Output',
      placeholder: 'keep',
      values: FILTER_MODES,
      options: [
        { value: 'keep', label: 'The items that match' },
        { value: 'discard', label: 'The items that do not match' },
      ],
      default: 'keep',
      expression: false,
    }),
  },
  runtime: { kind: 'activity', taskQueue: 'default', pure: true },
});
