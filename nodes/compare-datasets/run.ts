import type { NodeRunner } from '../define';
import { compareDatasets } from './compare';
import type { spec } from './spec';

export const run: NodeRunner<typeof spec.params> = async (_ctx, params) => compareDatasets(params);
