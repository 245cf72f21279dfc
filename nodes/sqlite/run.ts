import type { NodeRunner } from '../define';
import { NodeError } from '../errors';
import { sqliteDialect } from '../sql/dialects';
import { planOperation, runOperation, stepError } from '../sql/run-operation';
import { checkSqliteQuery, sqliteFile } from '../sql/sqlite-files';
import { openSqlite } from '../sql/sqlite-session';
import type { spec } from './spec';

export const run: NodeRunner<typeof spec.params> = async (ctx, params) => {
  try {
    const plan = planOperation(sqliteDialect, params);
    if (params.operation === 'query') checkSqliteQuery(params.sql ?? '');
    // The workspace comes from the run's workflow, never from the plan, as for credentials (decision 037).
    const workspaceId = await ctx.workspaceId?.();
    if (!workspaceId)
      throw new NodeError(`SQLite node "${ctx.nodeName}": the run's workflow ${ctx.workflowId} no longer exists`, {
        code: 'workflow-missing',
        retryable: false,
      });
    const file = sqliteFile(workspaceId, params.file, !plan.readOnly);
    const timeoutMs = params.timeoutSeconds * 1000;
    return await runOperation(ctx, plan, params, {
      dialect: sqliteDialect,
      target: file,
      open: (readOnly) => openSqlite(file, { readOnly, timeoutMs, signal: ctx.signal }),
    });
  } catch (err) {
    throw stepError(ctx, 'SQLite', params.operation, err);
  }
};
