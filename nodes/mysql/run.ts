import type { NodeRunner } from '../define';
import { serverFromCredential } from '../sql/credential';
import { mysqlDialect } from '../sql/dialects';
import { openMysql } from '../sql/mysql-session';
import { planOperation, runOperation, stepError } from '../sql/run-operation';
import { where } from '../sql/server-settings';
import type { spec } from './spec';

export const run: NodeRunner<typeof spec.params> = async (ctx, params) => {
  try {
    const plan = planOperation(mysqlDialect, params);
    const server = await serverFromCredential(ctx, {
      id: params.credential,
      type: 'mysql',
      title: 'MySQL',
      timeoutSeconds: params.timeoutSeconds,
    });
    return await runOperation(ctx, plan, params, {
      dialect: mysqlDialect,
      target: `mysql://${where(server)}`,
      open: () => openMysql(server, ctx.signal),
    });
  } catch (err) {
    throw stepError(ctx, 'MySQL', params.operation, err);
  }
};
