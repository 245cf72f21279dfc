import type { NodeRunner } from '../define';
import { readItems } from '../items';
import { collectFields, collectItems } from './aggregate';
import type { spec } from './spec';

export const run: NodeRunner<typeof spec.params> = async (_ctx, params, input) => {
  const items = readItems(input, params.field);
  return params.mode === 'items'
    ? collectItems(items, params.outputField)
    : collectFields(items, params.fields, params.skipEmpty);
};
