// Routes its input, unchanged, to the `true` or `false` output. Evaluated inside the workflow (no activity).
import { defineNode, param } from '../define';
import { OPERATORS, OPERATOR_LABELS, evaluateCondition, type Operator } from './condition';

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
