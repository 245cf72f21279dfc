import type { NodeRunner } from '../define';
import { readItems } from '../items';
import { sortItems } from './order';
import type { spec } from './spec';

export const run: NodeRunner<typeof spec.params> = async (_ctx, params, input) =>
  sortItems(readItems(input, params.field), params.keys, params.ignoreCase);
