// The agent feed's head: model calls, tokens, cost and local compute time over the last 30 days (GET /api/ai-usage),
// for the workspace or the workflow the feed is filtered to. Read again when calls end.
import { useEffect, useState } from 'react';
import type { UsageTotals } from '../../../db/agent-calls';
import { apiFetch } from '../../lib/api-client';
import { durationLabel } from '../../lib/run-view';
import { costLabel } from '../runs/agent-calls-state';

export const USAGE_DAYS = 30;

const COUNT = new Intl.NumberFormat('en-US');

export function UsageSummary({ workflowId, refreshKey }: { workflowId: string; refreshKey: number }) {
  const [usage, setUsage] = useState<UsageTotals | { error: string }>();

  useEffect(() => {
    let disposed = false;
    const query = new URLSearchParams({ days: String(USAGE_DAYS) });
    if (workflowId) query.set('workflowId', workflowId);
    apiFetch<{ usage: UsageTotals }>(`/api/ai-usage?${query}`)
      .then(({ usage }) => !disposed && setUsage(usage))
      .catch(
        (err: Error) =>
          !disposed && setUsage((shown) => (shown && !('error' in shown) ? shown : { error: err.message })),
      );
    return () => {
      disposed = true;
    };
  }, [workflowId, refreshKey]);

  const scope = workflowId ? 'this workflow' : 'this workspace';
  return (
    <section className="card agent-usage" aria-label={`AI usage, last ${USAGE_DAYS} days`} data-testid="agent-usage">
      <h2>
        Last {USAGE_DAYS} days <span className="muted">· {scope}</span>
      </h2>
      {!usage ? (
        <p className="muted">Loading the usage…</p>
      ) : 'error' in usage ? (
        <p className="error-text" role="alert">
          The usage could not be loaded: {usage.error}
        </p>
      ) : (
        <dl className="agent-usage-figures">
          <div>
            <dt>Cost</dt>
            <dd data-testid="usage-cost">{costLabel(usage.costUsd)}</dd>
          </div>
          <div>
            <dt>Model calls</dt>
            <dd>{COUNT.format(usage.calls)}</dd>
          </div>
          <div>
            <dt>Input tokens</dt>
            <dd>{COUNT.format(usage.inputTokens)}</dd>
          </div>
          <div>
            <dt>Output tokens</dt>
            <dd>{COUNT.format(usage.outputTokens)}</dd>
          </div>
          <div>
            <dt>Local compute</dt>
            <dd>{usage.computeMs > 0 ? durationLabel(usage.computeMs) : '—'}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
