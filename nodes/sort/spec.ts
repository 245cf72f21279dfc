// Sorts a list by one or more fields of its items.
import { z } from 'zod';
import { defineNode, param, type ParamDef } from '../define';
import { fieldPathSchema, itemsParam } from '../items';
import { ORDERS, type SortKey } from './order';

export const MAX_SORT_KEYS = 20;
const EXAMPLE = '{ "field": "price", "order": "desc" }';

const keySchema = z
  .object(
    {
      field: fieldPathSchema,
      order: z.enum(ORDERS, { errorMap: () => ({ message: 'must be "asc" or "desc"' }) }).optional(),
    },
    { invalid_type_error: `must be a sort key such as ${EXAMPLE}` },
  )
  .strict();

const DEFAULT_KEYS: SortKey[] = [{ field: '', order: 'asc' }];

const keys: ParamDef<SortKey[]> = {
  ...param.json({
    label: 'Sort by',
    description:
      `A list of keys such as ${EXAMPLE}, applied in turn. "field" is a dotted path inside each item ("" for the ` +
      'item itself); "order" is "asc" (the default) or "desc". Numbers and numeric text sort by value, ISO dates ' +
      'by time, other text alphabetically; missing, null and empty values come last.',
    placeholder: `[${EXAMPLE}]`,
    required: true,
  }),
  schema: z
    .array(keySchema, { invalid_type_error: `must be a list of sort keys such as [${EXAMPLE}]` })
    .min(1, `needs at least one key, such as ${EXAMPLE}`)
    .max(MAX_SORT_KEYS, `has too many keys; the limit is ${MAX_SORT_KEYS}`),
  default: DEFAULT_KEYS,
};

export const spec = defineNode({
  type: 'sort',
  version: 1,
  title: 'Sort',
  description: 'Sort the items of a list by one or more fields, ascending or descending.',
  category: 'core',
  icon: '⇅',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Items' }],
  params: {
    field: itemsParam(),
    keys,
    ignoreCase: param.boolean({
      label: 'Ignore case',
      description: 'On: "apple" and "Apple" sort as equal (they keep their order). Off: lowercase comes first.',
      placeholder: 'false',
      default: false,
      expression: false,
    }),
  },
  runtime: { kind: 'activity', taskQueue: 'default', pure: true },
});
