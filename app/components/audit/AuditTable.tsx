// The audit entries of one page: time (UTC), actor, action, target, client address and what changed.
import { summarizeChange } from './change-summary';

export interface AuditRow {
  id: string;
  at: string;
  actor: { id: string; name?: string; via?: string };
  action: string;
  target?: { kind: string; id: string; name?: string };
  ip?: string;
  change?: Record<string, unknown>;
}

/** `2025-03-01 09:00:12 UTC`: the same on server and client, and the zone the date filters use. */
const utcTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

function actionTone(action: string): string {
  if (action === 'auth.sign-in-failed') return 'failed';
  if (/\.(delete|remove|revoke|terminate)$/.test(action)) return 'warning';
  return '';
}

export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <table className="table audit-table">
      <thead>
        <tr>
          <th>Time</th>
          <th>Actor</th>
          <th>Action</th>
          <th>Target</th>
          <th>IP</th>
          <th>Change</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            <td className="mono nowrap" title={row.at}>
              {utcTime(row.at)}
            </td>
            <td>
              <div className="audit-actor">{row.actor.name ?? row.actor.id}</div>
              <div className="muted small">
                {row.actor.name && row.actor.name !== row.actor.id && <span className="mono">{row.actor.id}</span>}
                {row.actor.via === 'token' && <span className="badge audit-via">token</span>}
              </div>
            </td>
            <td>
              <span className={`badge ${actionTone(row.action)}`}>{row.action}</span>
            </td>
            <td className="audit-target">
              {row.target ? (
                <>
                  <div title={row.target.id}>{row.target.name ?? <span className="mono">{row.target.id}</span>}</div>
                  <div className="muted small">{row.target.kind}</div>
                </>
              ) : (
                <span className="muted">—</span>
              )}
            </td>
            <td className="mono nowrap">{row.ip ?? <span className="muted">—</span>}</td>
            <td className="audit-change">
              {row.change ? (
                <details>
                  <summary>{summarizeChange(row.change)}</summary>
                  <pre>{JSON.stringify(row.change, null, 2)}</pre>
                </details>
              ) : (
                <span className="muted">—</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
