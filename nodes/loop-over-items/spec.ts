// Runs the nodes drawn after its "Each item" output once per item (or batch of items) of its input, then sends the
// collected results down "Done". The body's last nodes connect back into its "Loop end" input. Each iteration is
// recorded as its own steps (iteration 1, 2, …), so the run panel shows every item's path.
import { defineNode, param } from '../define';

export const ITEM_FAILURE_MODES = ['stop', 'continue'] as const;
export const MAX_LOOP_CONCURRENCY = 50;
export const MAX_BATCH_SIZE = 1000;

export const spec = defineNode({
  type: 'loop-over-items',
  version: 1,
  title: 'Loop over items',
  description: 'Run the nodes after "Each item" once per item of the input; the results come out of "Done".',
  category: 'flow',
  icon: 'loop',
  inputs: [
    { id: 'in', label: 'Items' },
    { id: 'loopEnd', label: 'Loop end' },
  ],
  outputs: [
    { id: 'body', label: 'Each item' },
    { id: 'done', label: 'Done' },
  ],
  conditionalOutputs: [
    { port: { id: 'failed', label: 'Failed items' }, when: { param: 'onItemFailure', oneOf: ['continue'] } },
  ],
  params: {
    batchSize: param.number({
      label: 'Items per iteration',
      description: '1: each iteration gets one item. More: each gets a list of up to that many items.',
      placeholder: '1',
      min: 1,
      max: MAX_BATCH_SIZE,
      int: true,
      default: 1,
      expression: false,
    }),
    concurrency: param.number({
      label: 'Iterations at once',
      description: 'How many iterations run at the same time. Results keep the order of the items.',
      placeholder: '1',
      min: 1,
      max: MAX_LOOP_CONCURRENCY,
      int: true,
      default: 1,
      expression: false,
    }),
    onItemFailure: param.select({
      label: 'When an iteration fails',
      placeholder: 'stop',
      values: ITEM_FAILURE_MODES,
      options: [
        { value: 'stop', label: 'Fail the run' },
        { value: 'continue', label: 'Go on; send its items down "Failed items"' },
      ],
      default: 'stop',
      expression: false,
    }),
  },
  runtime: {
    kind: 'loop',
    plan: (p: { batchSize: number; concurrency: number; onItemFailure: (typeof ITEM_FAILURE_MODES)[number] }) => ({
      kind: 'items',
      batchSize: p.batchSize,
      concurrency: p.concurrency,
      continueOnItemFailure: p.onItemFailure === 'continue',
    }),
  },
});
