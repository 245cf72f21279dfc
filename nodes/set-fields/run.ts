import type { NodeRunner } from '../define';
import { applyFields } from './apply';
import type { spec } from './spec';

export const run: NodeRunner<typeof spec.params> = async (_ctx, params, input) =>
  applyFields(input, params.fields, params.keepInput);
