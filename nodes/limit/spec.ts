// Keeps the first or last N items of a list.
import { defineNode, param } from '../define';
import { itemsParam } from '../items';
import { LIMIT_FROM, MAX_LIMIT } from './limit';

export const spec = defineNode({
  type: 'limit',
  version: 1,
  title: 'Limit',
  description: 'Keep only the first or last N items of a list.',
  category: 'core',
  icon: '⤓',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Items' }],
  params: {
    field: itemsParam(),
    count: param.number({
      label: 'Max items',
      description: `How many items to keep, from 0 to ${MAX_LIMIT.toLocaleString('en')}. Shorter lists pass whole.`,
      placeholder: '10',
      int: true,
      min: 0,
      max: MAX_LIMIT,
      default: 10,
    }),
    from: param.select({
      label: 'Keep',
      placeholder: 'first',
      values: LIMIT_FROM,
      options: [
        { value: 'first', label: 'The first items' },
        { value: 'last', label: 'The last items' },
      ],
      default: 'first',
      expression: false,
    }),
  },
  runtime: { kind: 'activity', taskQueue: 'default', pure: true },
});
