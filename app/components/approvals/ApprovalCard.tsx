// One request in the inbox: its run context (workflow, run, summary, data, who decided, time left) and, while the
// reviewer can act, the comment, the form and the JSON editor for the data, with Approve and Reject. Deciding goes
// through the page (ApprovalInbox), which confirms first.
import { Link } from '@remix-run/react';
import type { ApprovalView } from '../../lib/approval-view';
import { ApprovalFormFields, type FormValues } from './ApprovalFormFields';
import { decisionText, ruleText, timeLeftText } from './approval-text';
import { DataReview, type DataDraft } from './DataReview';

export interface Draft {
  comment: string;
  form: FormValues;
  data: DataDraft;
}

export function ApprovalCard(props: {
  approval: ApprovalView;
  draft: Draft;
  now: number;
  active: boolean;
  selected: boolean;
  busy: boolean;
  onDraft(draft: Draft): void;
  onSelect(selected: boolean): void;
  onActivate(): void;
  onDecide(decision: 'approve' | 'reject'): void;
}) {
  const { approval: a, draft, now, active, selected, busy } = props;
  const left = timeLeftText(a.deadlineAt, now);
  const overdue = left?.startsWith('overdue');
  const titleId = `approval-${a.id}-title`;
  return (
    <article
      className={`card approval-card${active ? ' active' : ''}${selected ? ' selected' : ''}`}
      aria-labelledby={titleId}
      aria-current={active || undefined}
      data-approval-id={a.id}
      onFocusCapture={props.onActivate}
      onMouseDown={props.onActivate}
    >
      <header className="approval-card-head">
        <input
          type="checkbox"
          className="approval-select"
          aria-label={`Select “${a.title}”`}
          checked={selected}
          onChange={(e) => props.onSelect(e.target.checked)}
        />
        <div className="approval-card-title">
          <h2 id={titleId}>
            <Link to={`/approvals/${encodeURIComponent(a.id)}`}>{a.title}</Link>
          </h2>
          <p className="muted approval-context">
            {a.workflowName} · {a.nodeName}
            {a.iteration ? ` (iteration ${a.iteration})` : ''} ·{' '}
            <Link to={`/runs/${encodeURIComponent(a.runId)}`}>run {a.runId.slice(0, 8)}</Link>
          </p>
        </div>
        <div className="approval-card-meta">
          <span className={`badge ${overdue ? 'failed' : left ? 'warning' : 'cancelled'}`} data-testid="time-left">
            {left ?? 'No deadline'}
          </span>
          <span className="muted" data-testid="progress">
            {a.progress.approvals} of {a.progress.needed} approvals · {ruleText(a.rule, a.progress.voters)}
          </span>
        </div>
      </header>
      {a.summary && <p className="approval-summary">{a.summary}</p>}
      <DataReview
        id={`approval-${a.id}-data`}
        data={a.data}
        draft={draft.data}
        editable={a.you.canDecide && !busy}
        onDraft={(data) => props.onDraft({ ...draft, data })}
      />
      {a.decisions.length > 0 && (
        <ul className="approval-decided" aria-label="Already decided">
          {a.decisions.map((d) => (
            <li key={`${d.approverId}-${d.at}`} className={d.decision}>
              {decisionText(d)}
              {d.comment ? `: “${d.comment}”` : ''}
            </li>
          ))}
        </ul>
      )}
      {a.you.canDecide ? (
        <div className="approval-decide">
          <ApprovalFormFields
            idPrefix={`approval-${a.id}-form`}
            fields={a.form}
            values={draft.form}
            disabled={busy}
            onChange={(form) => props.onDraft({ ...draft, form })}
          />
          <div className="field">
            <label htmlFor={`approval-${a.id}-comment`}>Comment</label>
            <textarea
              id={`approval-${a.id}-comment`}
              className="textarea"
              rows={2}
              placeholder="Optional: why you approve or reject"
              value={draft.comment}
              disabled={busy}
              onChange={(e) => props.onDraft({ ...draft, comment: e.target.value })}
            />
          </div>
          <div className="approval-actions">
            <button className="btn danger" type="button" disabled={busy} onClick={() => props.onDecide('reject')}>
              Reject <kbd>r</kbd>
            </button>
            <button className="btn primary" type="button" disabled={busy} onClick={() => props.onDecide('approve')}>
              Approve <kbd>a</kbd>
            </button>
          </div>
        </div>
      ) : (
        <p className="muted approval-you">
          {a.you.decided
            ? `You ${a.you.decided === 'approve' ? 'approved' : 'rejected'} this request.`
            : a.you.barred
              ? 'You started or published this run, so you may not decide it.'
              : 'Nothing for you to decide here now.'}
        </p>
      )}
    </article>
  );
}
