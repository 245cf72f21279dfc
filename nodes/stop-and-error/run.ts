import type { NodeRunner } from '../define';
import type { spec } from './spec';
import { stopError } from './stop';

export const run: NodeRunner<typeof spec.params> = async (_ctx, params) => {
  throw stopError(params.message, params.code);
};
