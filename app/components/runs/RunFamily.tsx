// A run's relatives: "Started by run … (node …)" for a run another started (Execute workflow, error workflow), and
// the runs it started, each linking to where it opens on its workflow's canvas.
import { Link } from '@remix-run/react';
import { useEffect, useState } from 'react';
import type { RunStatus } from '../../../contracts/run-status';
import { apiFetch } from '../../lib/api-client';
import { StatusBadge } from '../ui/StatusBadge';

export interface RelatedRun {
  runId: string;
  workflowId: string;
  workflowName?: string;
  status: RunStatus;
}

export interface RunFamilyInfo {
  parent?: RelatedRun & { nodeId?: string; nodeName?: string };
  children: RelatedRun[];
}

export const runPath = (r: Pick<RelatedRun, 'runId' | 'workflowId'>) =>
  `/workflows/${encodeURIComponent(r.workflowId)}?run=${encodeURIComponent(r.runId)}`;

/**
 * A run id short enough for a heading: its first 16 characters, then what Execute workflow or an error workflow
 * appended to its parent's id (`--sub-<node>-<iteration>`, `--error`), which is all that tells a child from its parent.
 */
export function shortRunId(runId: string): string {
  // A scheduled run's id is its workflow's plus the slot Temporal appended: the slot is what tells them apart.
  const slot = /^run_sched_[0-9a-f]{24}-(.+)$/.exec(runId)?.[1];
  if (slot) return `run_sched…${slot}`;
  const suffix = runId.indexOf('--');
  if (suffix === -1) return runId.slice(0, 16);
  return suffix <= 16 ? runId : `${runId.slice(0, 16)}…${runId.slice(suffix)}`;
}

/** The relatives as the page already knows them (runs page), or fetched for `runId` (run panel). */
export function RunFamily({ family }: { family: RunFamilyInfo }) {
  const { parent, children } = family;
  if (!parent && children.length === 0) return null;
  return (
    <div className="run-family">
      {parent && (
        <p className="run-parent">
          Started by run{' '}
          <Link to={runPath(parent)} className="mono" title={parent.runId}>
            {shortRunId(parent.runId)}
          </Link>
          {parent.workflowName && <> of {parent.workflowName}</>}
          {(parent.nodeName ?? parent.nodeId) && <> (node “{parent.nodeName ?? parent.nodeId}”)</>}
        </p>
      )}
      {children.length > 0 && (
        <div className="run-children">
          <span className="muted">Runs it started</span>
          <ul>
            {children.map((c) => (
              <li key={c.runId}>
                <Link to={runPath(c)} title={c.runId}>
                  {c.workflowName ?? c.workflowId}
                </Link>
                <StatusBadge status={c.status} />
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** Fetches a run's relatives again whenever its status changes: children appear while it runs. */
export function useRunFamily(runId: string | undefined, status: RunStatus | undefined): RunFamilyInfo | undefined {
  const [family, setFamily] = useState<{ runId: string; info: RunFamilyInfo }>();
  useEffect(() => {
    if (!runId) return;
    let disposed = false;
    apiFetch<RunFamilyInfo>(`/api/runs/${encodeURIComponent(runId)}`)
      .then(({ parent, children }) => !disposed && setFamily({ runId, info: { parent, children } }))
      // The panel works without relatives; the next status change asks again.
      .catch(() => undefined);
    return () => {
      disposed = true;
    };
  }, [runId, status]);
  return family && family.runId === runId ? family.info : undefined;
}
