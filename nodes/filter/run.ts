import type { NodeRunner } from '../define';
import { readItems } from '../items';
import { filterItems } from './filter';
import type { spec } from './spec';

export const run: NodeRunner<typeof spec.params> = async (_ctx, params, input) =>
  filterItems(readItems(input, params.field), params.conditions, params.combine, params.mode);
