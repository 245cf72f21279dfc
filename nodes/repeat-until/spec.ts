// Runs the nodes after its "Repeat" output, feeding each iteration the result of the one before (the first gets the
// loop's input), until the condition holds for a result ("Done") or the maximum number of iterations ran ("Max
// reached", with the last result). For polling: call an API in the body, repeat until it says ready.
import { defineNode, param } from '../define';
import { DELAY_UNITS, durationMs, type DelayUnit } from '../delay/spec';
import { OPERATORS, OPERATOR_LABELS, evaluateCondition, type Operator } from '../if/condition';

export const MAX_REPEAT_ITERATIONS = 100_000;

interface RepeatParams {
  left: unknown;
  operator: Operator;
  right: unknown;
  maxIterations: number;
  delayAmount: number;
  delayUnit: DelayUnit;
}

export const spec = defineNode({
  type: 'repeat-until',
  version: 1,
  title: 'Repeat until',
  description: 'Run the nodes after "Repeat" again and again, until a condition on their result holds.',
  category: 'flow',
  icon: 'repeat',
  inputs: [
    { id: 'in', label: 'Input' },
    { id: 'loopEnd', label: 'Loop end' },
  ],
  outputs: [
    { id: 'body', label: 'Repeat' },
    { id: 'done', label: 'Done' },
    { id: 'maxReached', label: 'Max reached' },
  ],
  params: {
    left: param.anyValue({
      label: 'Until',
      description: 'Checked on each iteration’s result ($input is that result).',
      placeholder: '{{ $input.body.status }}',
      default: '',
    }),
    operator: param.select({
      label: 'Operator',
      placeholder: 'equals',
      values: OPERATORS,
      options: OPERATORS.map((value) => ({ value, label: OPERATOR_LABELS[value] })),
      default: 'equals',
      expression: false,
    }),
    right: param.anyValue({ label: 'Compare with', placeholder: 'ready', default: '' }),
    maxIterations: param.number({
      label: 'At most',
      description: 'Iterations before giving up down "Max reached".',
      placeholder: '10',
      min: 1,
      max: MAX_REPEAT_ITERATIONS,
      int: true,
      default: 10,
      expression: false,
    }),
    delayAmount: param.number({
      label: 'Wait between iterations',
      placeholder: '0',
      min: 0,
      max: 86_400,
      default: 0,
      expression: false,
    }),
    delayUnit: param.select({
      label: 'Unit',
      placeholder: 'seconds',
      values: DELAY_UNITS,
      options: DELAY_UNITS.map((u) => ({ value: u, label: u })),
      default: 'seconds',
      expression: false,
    }),
  },
  runtime: {
    kind: 'loop',
    plan: (p: RepeatParams) => ({
      kind: 'repeat',
      maxIterations: p.maxIterations,
      delayMs: durationMs({ amount: p.delayAmount, unit: p.delayUnit }),
    }),
    until: (p: RepeatParams) => evaluateCondition(p.left, p.operator, p.right),
  },
});
