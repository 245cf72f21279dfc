import type { NodeRunner } from '../define';
import { renameKeys } from './rename';
import type { spec } from './spec';

export const run: NodeRunner<typeof spec.params> = async (_ctx, params, input) => renameKeys(input, params);
