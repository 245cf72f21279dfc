import type { NodeRunner } from '../define';
import { readItems } from '../items';
import { limitItems } from './limit';
import type { spec } from './spec';

export const run: NodeRunner<typeof spec.params> = async (_ctx, params, input) =>
  limitItems(readItems(input, params.field), params.count, params.from);
