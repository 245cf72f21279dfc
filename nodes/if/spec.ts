// Routes its input, unchanged, to the `true` or `false` output. Evaluated inside the workflow (no activity).
import { defineNode, param } from '../define';
import { OPERATORS, evaluateCondition, type Operator } from './condition';

const OPERATOR_LABELS: Record<Operator, string> = {
  equals: 'equals',
  notEquals: 'does not equal',
  gt: 'is greater than',
  gte: 'is greater than or equal to',
  lt: 'is less than',
  lte: 'is less than or equal to',
  contains: 'contains',
  notContains: 'does not contain',
  isEmpty: 'is empty',
  isNotEmpty: 'is not empty',
  isTrue: 'is true',
  isFalse: 'is false',
  matchesRegex: 'matches regex',
};

export const spec = defineNode({
  type: 'if',
  version: 1,
  title: 'If',
  description: 'Send the input down the true or false branch depending on a condition.',
  category: 'flow',
  icon: 'split',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [
    { id: 'true', label: 'True' },
    { id: 'false', label: 'False' },
  ],
  params: {
    left: param.anyValue({ label: 'Value', placeholder: '{{ $input.age }}', default: '' }),
    operator: param.select({
      label: 'Operator',
      placeholder: 'equals',
      values: OPERATORS,
      options: OPERATORS.map((value) => ({ value, label: OPERATOR_LABELS[value] })),
      default: 'equals',
      expression: false,
    }),
    right: param.anyValue({
      label: 'Compare with',
      description: 'Ignored by "is empty", "is true" and the like. For "matches regex", the pattern.',
      placeholder: '18',
      default: '',
    }),
  },
  runtime: {
    kind: 'branch',
    route: (params: { left: unknown; operator: Operator; right: unknown }, _input: unknown) =>
      evaluateCondition(params.left, params.operator, params.right) ? 'true' : 'false',
  },
});
