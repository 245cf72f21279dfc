// Routes its input, unchanged, down the output of the first rule that matches (or of every rule that matches),
// else down the fallback output. One output per rule (nodes/ports.ts). Evaluated inside the workflow, as If is.
import { z } from 'zod';
import { defineNode, param } from '../define';
import { OPERATORS, OPERATOR_LABELS, evaluateCondition, type Operator } from '../if/condition';

export const MAX_RULES = 64;

export interface SwitchRule {
  /** The output's label on the canvas. */
  output?: string;
  value?: unknown;
  operator: Operator;
  compare?: unknown;
}

const rule: z.ZodType<SwitchRule> = z
  .object({
    output: z.string().max(128).optional(),
    value: z.unknown().optional(),
    operator: z.enum(OPERATORS, {
      errorMap: () => ({ message: `must be one of ${OPERATORS.join(', ')}` }),
    }),
    compare: z.unknown().optional(),
  })
  .strict();

/** The ports the input goes down: the matching rules' (by index), else the fallback, else none. */
export function routeSwitch(params: { rules: SwitchRule[]; fallbackOutput: boolean; allMatching: boolean }): string[] {
  const matched: string[] = [];
  for (const [i, r] of params.rules.entries()) {
    if (!evaluateCondition(r.value ?? '', r.operator, r.compare ?? '')) continue;
    matched.push(String(i));
    if (!params.allMatching) break;
  }
  if (matched.length > 0) return matched;
  return params.fallbackOutput ? ['fallback'] : [];
}

export const spec = defineNode({
  type: 'switch',
  version: 1,
  title: 'Switch',
  description: 'Send the input down one of several outputs, by rules; unmatched input goes to the fallback output.',
  category: 'flow',
  icon: 'switch',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [],
  listOutputs: {
    param: 'rules',
    labelKey: 'output',
    labelPrefix: 'Rule',
    fallback: { param: 'fallbackOutput', port: { id: 'fallback', label: 'Fallback' } },
  },
  params: {
    rules: param.list({
      label: 'Rules',
      placeholder: 'Add a rule',
      description:
        'Checked in order; each rule has its own output. For a rule written as one expression, put it in Value and pick "is true".',
      item: rule,
      itemLabel: 'rule',
      maxItems: MAX_RULES,
      fields: [
        { key: 'output', label: 'Output name', widget: 'text', placeholder: 'Large', expression: false },
        { key: 'value', label: 'Value', widget: 'text', placeholder: '{{ $input.amount }}', expression: true },
        {
          key: 'operator',
          label: 'Operator',
          widget: 'select',
          options: OPERATORS.map((value) => ({ value, label: OPERATOR_LABELS[value] })),
          expression: false,
          default: 'equals',
        },
        { key: 'compare', label: 'Compare with', widget: 'text', placeholder: '1000', expression: true },
      ],
      default: [{ output: '', value: '', operator: 'equals', compare: '' }],
    }),
    fallbackOutput: param.boolean({
      label: 'Fallback output',
      placeholder: 'true',
      description: 'Send input no rule matches down a "Fallback" output. Off: such input stops here.',
      default: true,
      expression: false,
    }),
    allMatching: param.boolean({
      label: 'Send to every matching output',
      placeholder: 'false',
      description: 'Off: only the first matching rule’s output.',
      default: false,
      expression: false,
    }),
  },
  runtime: {
    kind: 'branch',
    route: (params: { rules: SwitchRule[]; fallbackOutput: boolean; allMatching: boolean }) => routeSwitch(params),
  },
});
