import type { NodeRunner } from '../define';
import { applyCrypto } from './digest';
import type { spec } from './spec';

export const run: NodeRunner<typeof spec.params> = async (_ctx, params, input) => applyCrypto(params, input);
