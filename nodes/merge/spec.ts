// Joins branches. The interpreter waits for every *active* incoming edge (branches not taken are skipped),
// then calls `combine`. Its single input port accepts any number of edges.
import { defineNode, param } from '../define';
import { MERGE_MODES, combineInputs, type MergeMode } from './combine';

export const spec = defineNode({
  type: 'merge',
  version: 1,
  title: 'Merge',
  description: 'Wait for the incoming branches that ran and join their outputs.',
  category: 'flow',
  icon: 'merge',
  inputs: [{ id: 'in', label: 'Inputs' }],
  outputs: [{ id: 'out', label: 'Output' }],
  params: {
    mode: param.select({
      label: 'Mode',
      placeholder: 'append',
      values: MERGE_MODES,
      options: [
        { value: 'append', label: 'Append: a list of all inputs' },
        { value: 'combine', label: 'Combine: merge objects into one' },
        { value: 'first', label: 'First: the first input only' },
      ],
      default: 'append',
      expression: false,
    }),
  },
  runtime: {
    kind: 'merge',
    combine: (params: { mode: MergeMode }, inputs: unknown[]) => combineInputs(params.mode, inputs),
  },
});
