import type { NodeRunner } from '../define';
import { serverFromCredential } from '../sql/credential';
import { postgresDialect } from '../sql/dialects';
import { openPostgres } from '../sql/postgres-session';
import { planOperation, runOperation, stepError } from '../sql/run-operation';
import { where } from '../sql/server-settings';
import type { spec } from './spec';

export const run: NodeRunner<typeof spec.params> = async (ctx, params) => {
  try {
    const plan = planOperation(postgresDialect, params);
    const server = await serverFromCredential(ctx, {
      id: params.credential,
      type: 'postgres',
      title: 'PostgreSQL',
      timeoutSeconds: params.timeoutSeconds,
    });
    return await runOperation(ctx, plan, params, {
      dialect: postgresDialect,
      target: `postgres://${where(server)}`,
      open: () => openPostgres(server, ctx.signal),
    });
  } catch (err) {
    throw stepError(ctx, 'PostgreSQL', params.operation, err);
  }
};
