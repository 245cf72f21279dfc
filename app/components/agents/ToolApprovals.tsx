// Agents waiting for a person: tool calls marked "needs approval" whose request waits for the caller (their pending
// approvals, GET /api/approvals, whose data is `{ tool, arguments }`). Such a call has no call record until it is
// decided. Only requests the caller may decide are listed: the approvals API answers for the caller's own inbox.
import { Link } from '@remix-run/react';
import { useEffect, useState } from 'react';
import type { ApprovalView } from '../../lib/approval-view';
import { apiFetch } from '../../lib/api-client';
import { dateTime, timeAgo } from '../../lib/format';
import { subscribeInbox } from '../../lib/live.client';
import { shortRunId } from '../runs/RunFamily';
import type { ActivityFilter } from './useAgentActivity';

interface ToolRequest {
  tool: string;
  arguments: unknown;
}

function toolRequestOf(approval: ApprovalView): ToolRequest | undefined {
  const data = approval.data as Partial<ToolRequest> | null;
  return data && typeof data === 'object' && typeof data.tool === 'string' && 'arguments' in data
    ? { tool: data.tool, arguments: data.arguments }
    : undefined;
}

const argumentsLine = (value: unknown) => {
  const text = JSON.stringify(value ?? {});
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
};

export function ToolApprovals({
  workspaceId,
  filter,
  refreshKey,
}: {
  workspaceId: string;
  filter: ActivityFilter;
  refreshKey: number;
}) {
  const [approvals, setApprovals] = useState<ApprovalView[]>([]);
  const [error, setError] = useState<string>();
  const [changes, setChanges] = useState(0);

  useEffect(() => subscribeInbox(workspaceId, () => setChanges((n) => n + 1)), [workspaceId]);
  useEffect(() => {
    let disposed = false;
    apiFetch<{ approvals: ApprovalView[] }>('/api/approvals?status=pending&limit=100')
      .then(({ approvals: page }) => {
        if (disposed) return;
        setApprovals(page);
        setError(undefined);
      })
      .catch((err: Error) => !disposed && setError(err.message));
    return () => {
      disposed = true;
    };
  }, [changes, refreshKey]);

  const waiting = approvals.flatMap((approval) => {
    const request = toolRequestOf(approval);
    if (!request) return [];
    if (filter.workflowId && approval.workflowId !== filter.workflowId) return [];
    if (filter.node && approval.nodeName !== filter.node) return [];
    return [{ approval, request }];
  });
  if (waiting.length === 0 && !error) return null;
  return (
    <section className="card agent-waiting" aria-label="Tool calls waiting for your approval">
      <h2>Waiting for your approval</h2>
      {error && (
        <p className="error-text" role="alert">
          The pending approvals could not be loaded: {error}
        </p>
      )}
      <ul>
        {waiting.map(({ approval, request }) => (
          <li key={approval.id} data-testid="agent-waiting">
            <span className="badge warning">
              <span className="dot" />
              Waiting
            </span>
            <span>
              <strong>{approval.nodeName}</strong> wants to call <strong className="mono">{request.tool}</strong>
            </span>
            <code className="agent-args-line">{argumentsLine(request.arguments)}</code>
            <span className="muted">{approval.workflowName}</span>
            <Link to={`/runs/${encodeURIComponent(approval.runId)}`} className="mono" title={approval.runId}>
              {shortRunId(approval.runId)}
            </Link>
            <span className="muted" title={dateTime(approval.createdAt)}>
              {timeAgo(approval.createdAt)}
            </span>
            <Link className="btn small" to={`/approvals/${encodeURIComponent(approval.id)}`}>
              Review
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
