// Never reached: the compiler refuses an enabled placeholder, and a disabled one is compiled out.
import type { NodeRunner } from '../define';
import { NodeError } from '../errors';
import type { spec } from './spec';

export const run: NodeRunner<typeof spec.params> = async (_ctx, params) => {
  throw new NodeError(`Placeholder for the n8n node "${params.originalType ?? 'unknown'}" cannot run; replace it`, {
    code: 'param-invalid',
    retryable: false,
  });
};
