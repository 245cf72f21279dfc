import type { NodeRunner } from '../define';
import { readItems } from '../items';
import { removeDuplicates } from './dedupe';
import type { spec } from './spec';

export const run: NodeRunner<typeof spec.params> = async (_ctx, params, input) =>
  removeDuplicates(readItems(input, params.field), params.compare, params.fields, params.keep);
