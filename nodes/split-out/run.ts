import type { NodeRunner } from '../define';
import { readItems } from '../items';
import { splitOut } from './split';
import type { spec } from './spec';

export const run: NodeRunner<typeof spec.params> = async (_ctx, params, input) =>
  splitOut(readItems(input, params.field), params);
