// Runs a JavaScript function body in a QuickJS sandbox with time and memory limits.
import { defineNode, param } from '../define';

export const spec = defineNode({
  type: 'code',
  version: 1,
  title: 'Code',
  description: 'Transform data with JavaScript. `items` is the input as an array, `input` the raw input; return JSON.',
  category: 'core',
  icon: 'code',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Output' }],
  params: {
    code: param.code({
      label: 'JavaScript',
      description: 'A function body. No network or filesystem access; console.log output goes to the step log.',
      placeholder: 'return items.map((item) => ({ ...item, seen: true }));',
      default: 'return items;',
      required: true,
    }),
    timeoutMs: param.number({
      label: 'Time limit (ms)',
      placeholder: '5000',
      int: true,
      min: 10,
      max: 60_000,
      default: 5000,
      expression: false,
    }),
    memoryMb: param.number({
      label: 'Memory limit (MB)',
      description:
        "Reserved from the worker's shared Code memory budget while the node runs; it waits while the budget is taken.",
      placeholder: '64',
      int: true,
      min: 8,
      max: 512,
      default: 64,
      expression: false,
    }),
  },
  // The sandbox reaches nothing outside the worker. Within the default time limit a node runs locally, in a
  // chain with the pure nodes around it; a longer limit keeps it an activity, so it never holds a workflow task.
  runtime: { kind: 'activity', taskQueue: 'default', localWhen: (p) => Number(p.timeoutMs ?? 5000) <= 5000 },
  // Above the longest time limit, so the limit (with its clear message) fires before the activity timeout.
  policy: { timeoutMs: 90_000 },
});
