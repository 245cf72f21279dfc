// POST /api/runs/retry { ids: [...] } or { filter: { …the runs list's query… } }, with an optional version: retries
// each run as POST /api/runs/:id/retry does (audited each) and answers per run. By filter, up to BULK_LIMIT runs
// of the filter that can be retried (failed, cancelled, terminated, timed out; the filter's status narrows them).
import { z } from 'zod';
import { apiHandler } from '../lib/api-route.server';
import { json, parseWith, readJsonWith } from '../lib/http.server';
import { runListFilter, runListQuerySchema } from '../lib/run-list.server';
import { auditWorkflowAction } from '../lib/workflow-audit.server';
import { RETRY_VERSIONS, RETRYABLE_RUN_STATUSES, type RetryVersion } from '../../contracts/retries';
import { listRunPage, type RunListFilter, type RunListStatus } from '../../db/run-list';
import { getRun } from '../../db/runs';
import type { WorkspaceScope } from '../../db/workspaces';
import { startRetry } from '../../temporal/run-retry';

const BULK_LIMIT = 100;
const version = z.enum(RETRY_VERSIONS as [RetryVersion, ...RetryVersion[]]).default('current');

const bodySchema = z
  .object({
    ids: z.array(z.string().min(1).max(200)).min(1).max(BULK_LIMIT).optional(),
    filter: z.record(z.string()).optional(),
    version,
  })
  .strict()
  .refine((b) => (b.ids === undefined) !== (b.filter === undefined), {
    message: 'give either ids (run ids) or filter (the runs list query), not both',
    path: ['ids'],
  });

export type BulkRetryResult =
  { runId: string; ok: true; retryRunId: string } | { runId: string; ok: false; status: number; error: string };

/** The filter's runs that can be retried, newest first per status, at most BULK_LIMIT. */
async function retryableRunIds(scope: WorkspaceScope, filter: RunListFilter): Promise<string[]> {
  const statuses = (filter.status ? [filter.status] : RETRYABLE_RUN_STATUSES).filter((s) =>
    (RETRYABLE_RUN_STATUSES as readonly string[]).includes(s),
  ) as RunListStatus[];
  const ids: string[] = [];
  for (const status of statuses) {
    let cursor: string | undefined;
    do {
      const page = await listRunPage(scope, { ...filter, status }, { cursor, limit: 100 });
      ids.push(...page.runs.map((r) => r.runId));
      cursor = page.nextCursor;
    } while (cursor && ids.length < BULK_LIMIT);
  }
  return ids.slice(0, BULK_LIMIT);
}

const handle = apiHandler('/api/runs/retry', {
  POST: async ({ request, caller, user, ip }) => {
    const body = await readJsonWith(request, bodySchema, 64 * 1024);
    const runIds = body.ids
      ? [...new Set(body.ids)]
      : await retryableRunIds(caller.scope, runListFilter(parseWith(runListQuerySchema, body.filter)));
    const results: BulkRetryResult[] = [];
    for (const runId of runIds) {
      const run = await getRun(caller.scope, runId);
      if (!run) {
        results.push({ runId, ok: false, status: 404, error: `Run ${runId} does not exist.` });
        continue;
      }
      const answer = await startRetry(run, body.version, user.name);
      if (!answer.ok) {
        results.push({ runId, ok: false, status: answer.status, error: answer.message });
        continue;
      }
      results.push({ runId, ok: true, retryRunId: answer.value.runId });
      await auditWorkflowAction(
        { caller, ip },
        'run.start',
        { kind: 'run', id: answer.value.runId },
        {
          workflowId: run.workflowId,
          retryOf: runId,
          version: body.version,
          bulk: true,
        },
      );
    }
    return json({ results });
  },
});

export const loader = handle;
export const action = handle;
