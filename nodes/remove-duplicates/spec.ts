// Removes repeated items from a list, compared whole or on chosen fields.
import { defineNode, param } from '../define';
import { itemsParam, pathListParam } from '../items';
import { COMPARE_BY, KEEP } from './dedupe';

export const spec = defineNode({
  type: 'remove-duplicates',
  version: 1,
  title: 'Remove duplicates',
  description: 'Drop repeated items from a list, comparing whole items or chosen fields.',
  category: 'core',
  icon: '≠',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Items' }],
  params: {
    field: itemsParam(),
    compare: param.select({
      label: 'Compare',
      placeholder: 'item',
      values: COMPARE_BY,
      options: [
        { value: 'item', label: 'Whole items' },
        { value: 'fields', label: 'Chosen fields' },
      ],
      default: 'item',
      expression: false,
    }),
    fields: pathListParam({
      label: 'Fields to compare',
      description:
        'Comma-separated dotted paths inside each item. Items are duplicates when all these fields are equal ' +
        '(exactly: 18 and "18" differ).',
      placeholder: 'email, address.city',
      showWhen: { param: 'compare', oneOf: ['fields'] },
    }),
    keep: param.select({
      label: 'Keep',
      placeholder: 'first',
      values: KEEP,
      options: [
        { value: 'first', label: 'The first occurrence' },
        { value: 'last', label: 'The last occurrence' },
      ],
      default: 'first',
      expression: false,
    }),
  },
  runtime: { kind: 'activity', taskQueue: 'default', pure: true },
});
