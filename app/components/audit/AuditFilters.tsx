// The audit log's filters as a GET form, so a filtered view is a link; and the export links for what it shows.
import { Form, Link } from '@remix-run/react';

export interface AuditFilterValues {
  actor?: string;
  action?: string;
  target?: string;
  from?: string;
  to?: string;
  view?: string;
}

const dayOf = (value: string | undefined) => (value && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : '');

export function AuditFilters({
  values,
  actions,
  busy,
}: {
  values: AuditFilterValues;
  actions: readonly string[];
  busy: boolean;
}) {
  const instance = values.view === 'instance';
  const exportQuery = (format: string) => new URLSearchParams({ ...values, format }).toString();
  return (
    <div className="card audit-filters">
      <Form method="get" className="audit-filter-form" aria-label="Filter the audit log">
        {instance && <input type="hidden" name="view" value="instance" />}
        <div className="field">
          <label htmlFor="audit-actor">Actor</label>
          <input
            id="audit-actor"
            className="input"
            name="actor"
            defaultValue={values.actor ?? ''}
            placeholder="Name, email or user id"
          />
        </div>
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select id="audit-action" className="select" name="action" defaultValue={values.action ?? ''}>
            <option value="">Any action</option>
            {actions.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-target">Target</label>
          <input
            id="audit-target"
            className="input"
            name="target"
            defaultValue={values.target ?? ''}
            placeholder="Name or id"
          />
        </div>
        <div className="field">
          <label htmlFor="audit-from">From (UTC)</label>
          <input id="audit-from" className="input" type="date" name="from" defaultValue={dayOf(values.from)} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">To (UTC)</label>
          <input id="audit-to" className="input" type="date" name="to" defaultValue={dayOf(values.to)} />
        </div>
        <div className="audit-filter-actions">
          <button className="btn primary" type="submit" disabled={busy}>
            {busy && <span className="spinner" aria-hidden="true" />}
            Apply
          </button>
          <Link className="btn ghost" to={instance ? '?view=instance' : '?'}>
            Clear
          </Link>
        </div>
      </Form>
      <div className="audit-export">
        <span className="muted">Export every matching entry:</span>
        <a className="btn small" href={`/api/audit?${exportQuery('csv')}`} download>
          CSV
        </a>
        <a className="btn small" href={`/api/audit?${exportQuery('json')}`} download>
          JSON
        </a>
      </div>
    </div>
  );
}
