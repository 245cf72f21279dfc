// The inbox's list of browser takeovers waiting for the caller (docs/decisions/059), above their approvals: each
// names the step and why it failed, and opens the task's page with the live browser.
import { Link } from '@remix-run/react';
import type { TakeoverTask } from '../../../contracts/browser-takeover';
import { timeLeftText } from '../approvals/approval-text';

export function TakeoverInboxList({ takeovers, serverNow }: { takeovers: TakeoverTask[]; serverNow: number }) {
  if (takeovers.length === 0) return null;
  return (
    <section className="takeover-inbox" aria-label="Browsers waiting for a person" data-testid="takeover-inbox">
      {takeovers.map((t) => (
        <article key={t.id} className="card takeover-inbox-item">
          <div>
            <h2>
              Browser needs a person: {t.step} — {t.reason}
            </h2>
            <p className="muted">
              {t.workflowName} · {t.nodeName} · {timeLeftText(t.deadlineAt, serverNow)}
            </p>
          </div>
          <Link className="btn small primary" to={`/takeovers/${encodeURIComponent(t.id)}`}>
            Take over
          </Link>
        </article>
      ))}
    </section>
  );
}
