// POST /api/runs/bulk { action: 'cancel', runIds: [...] } or { action: 'cancel', filter: { …the list's query… } }:
// asks each run still queued or running to stop, as POST /api/runs/:id/cancel does one by one (audited each). By
// filter, up to BULK_LIMIT unfinished runs of the filter are cancelled; the answer says which were and why not.
import { z } from 'zod';
import { apiHandler } from '../lib/api-route.server';
import { json, readJsonWith } from '../lib/http.server';
import { parseRunListQuery, runListFilter } from '../lib/run-list.server';
import { auditWorkflowAction } from '../lib/workflow-audit.server';
import { isTerminalRunStatus } from '../../contracts/run-status';
import { listRunPage, type RunListFilter, type RunListStatus } from '../../db/run-list';
import { getRun } from '../../db/runs';
import type { WorkspaceScope } from '../../db/workspaces';
import { requestCancel } from '../../temporal/run-control';

const BULK_LIMIT = 500;
const UNFINISHED: RunListStatus[] = ['queued', 'running', 'awaiting-approval'];

const bodySchema = z.union([
  z
    .object({ action: z.literal('cancel'), runIds: z.array(z.string().min(1).max(200)).min(1).max(BULK_LIMIT) })
    .strict(),
  z.object({ action: z.literal('cancel'), filter: z.record(z.string()) }).strict(),
]);

/** The unfinished runs of the filter, newest first, at most BULK_LIMIT. */
async function unfinishedRunIds(scope: WorkspaceScope, filter: RunListFilter): Promise<string[]> {
  const statuses = filter.status ? [filter.status].filter((s) => UNFINISHED.includes(s)) : ['queued', 'running'];
  const ids: string[] = [];
  for (const status of statuses as RunListStatus[]) {
    let cursor: string | undefined;
    do {
      const page = await listRunPage(scope, { ...filter, status }, { cursor, limit: 200 });
      ids.push(...page.runs.map((r) => r.runId));
      cursor = page.nextCursor;
    } while (cursor && ids.length < BULK_LIMIT);
  }
  return ids.slice(0, BULK_LIMIT);
}

const handle = apiHandler('/api/runs/bulk', {
  POST: async ({ request, caller, user, ip }) => {
    const body = await readJsonWith(request, bodySchema, 64 * 1024);
    const runIds =
      'runIds' in body
        ? [...new Set(body.runIds)]
        : await unfinishedRunIds(caller.scope, runListFilter(parseRunListQuery(Object.entries(body.filter))));
    const cancelled: string[] = [];
    const skipped: Array<{ runId: string; reason: string }> = [];
    for (const runId of runIds) {
      const run = await getRun(caller.scope, runId);
      if (!run) {
        skipped.push({ runId, reason: 'does not exist' });
        continue;
      }
      if (isTerminalRunStatus(run.status)) {
        skipped.push({ runId, reason: `already ${run.status}` });
        continue;
      }
      const answer = await requestCancel(runId, user.name, 'bulk cancel');
      if (!answer.ok) {
        skipped.push({ runId, reason: answer.message });
        continue;
      }
      cancelled.push(runId);
      await auditWorkflowAction(
        { caller, ip },
        'run.cancel',
        { kind: 'run', id: runId },
        {
          workflowId: run.workflowId,
          bulk: true,
        },
      );
    }
    return json({ cancelled, skipped });
  },
});

export const loader = handle;
export const action = handle;
