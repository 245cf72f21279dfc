// Turns a list inside each item into items of their own: an order with lines becomes one item per line.
import { defineNode, param } from '../define';
import { itemsParam, pathListParam, pathParam } from '../items';
import { INCLUDE, MAX_SPLIT_ITEMS } from './split';

export const spec = defineNode({
  type: 'split-out',
  version: 1,
  title: 'Split out',
  description: `Turn a list field into separate items, up to ${MAX_SPLIT_ITEMS.toLocaleString('en')}, optionally keeping other fields.`,
  category: 'core',
  icon: '⇶',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Items' }],
  params: {
    field: itemsParam(),
    splitField: pathParam({
      label: 'Field to split out',
      description:
        'Dotted path, inside each item, of the list whose elements become items. A single value gives one ' +
        'item; null or a missing field gives none.',
      placeholder: 'lines',
      required: true,
    }),
    include: param.select({
      label: 'Include',
      placeholder: 'none',
      values: INCLUDE,
      options: [
        { value: 'none', label: 'Only the elements' },
        { value: 'all', label: 'All other fields of the item' },
        { value: 'selected', label: 'Selected fields of the item' },
      ],
      default: 'none',
      expression: false,
    }),
    includeFields: pathListParam({
      label: 'Fields to include',
      description: 'Comma-separated dotted paths of the item copied into each new item.',
      placeholder: 'orderId, customer.email',
      writable: true,
      showWhen: { param: 'include', oneOf: ['selected'] },
    }),
    destination: pathParam({
      label: 'Destination field',
      description:
        'Where each element goes in its new item. Empty: object elements merge with the included fields (their ' +
        "own fields win), other values go under the split field's name, or stand alone when nothing is included.",
      placeholder: 'line',
      writable: true,
    }),
  },
  runtime: { kind: 'activity', taskQueue: 'default', pure: true },
});
