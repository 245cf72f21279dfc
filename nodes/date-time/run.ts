import type { NodeRunner } from '../define';
import { dateTime } from './compute';
import type { spec } from './spec';

export const run: NodeRunner<typeof spec.params> = async (_ctx, params, input) => dateTime(params, input, Date.now);
