// The retries and re-runs of a run (temporal/run-retry.ts), found through their `retryOf` field.
import type { RunView } from '../contracts/run-record';
import { RunModel, toView } from './runs';
import type { WorkspaceScope } from './workspaces';

/** The runs that retry or re-run `runId`, oldest first; a retry is always in its run's workspace. */
export async function listRetriesOf(scope: WorkspaceScope, runId: string, limit = 100): Promise<RunView[]> {
  const docs = await RunModel.find({ retryOf: runId }, { trigger: 0, output: 0 }).limit(limit).lean();
  return docs
    .filter((d) => d.workspaceId === scope.workspaceId)
    .map(toView)
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
}
