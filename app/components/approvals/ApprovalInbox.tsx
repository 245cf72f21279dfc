// The inbox list: requests with their drafts (comment, form, edited data), the current one (j/k), the selection
// (x, checkboxes) and the decisions, each confirmed in a dialog first, one at a time or in bulk.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useRevalidator } from '@remix-run/react';
import type { ApprovalView } from '../../lib/approval-view';
import { apiFetch, ApiError } from '../../lib/api-client';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { ApprovalCard, type Draft } from './ApprovalCard';
import { filledFormValues, initialFormValues } from './ApprovalFormFields';
import { editedData } from './DataReview';
import { useInboxKeys } from './useInboxKeys';

type Decision = 'approve' | 'reject';
type Asking = { ids: string[]; decision: Decision; comment: string };
type BulkResult = { id: string; ok: boolean; status: number | string; error?: string };

const verb = (d: Decision) => (d === 'approve' ? 'Approve' : 'Reject');

export function ApprovalInbox({
  approvals,
  serverNow,
  empty,
}: {
  approvals: ApprovalView[];
  serverNow: number;
  /** Shown when nothing is left to list (under the note of what was just decided, if any). */
  empty: ReactNode;
}) {
  const revalidator = useRevalidator();
  const [now, setNow] = useState(serverNow);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [activeId, setActiveId] = useState<string | undefined>(approvals[0]?.id);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [asking, setAsking] = useState<Asking | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ text: string; problems: string[] } | null>(null);
  // Decided here and not yet gone from the loader's list: hidden at once.
  const [done, setDone] = useState<Set<string>>(new Set());

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    setNow(Date.now());
    return () => clearInterval(timer);
  }, []);

  const shown = useMemo(() => approvals.filter((a) => !done.has(a.id)), [approvals, done]);
  const decidable = shown.filter((a) => a.you.canDecide);
  useEffect(() => {
    if (!shown.some((a) => a.id === activeId)) setActiveId(shown[0]?.id);
    setSelected((s) => new Set([...s].filter((id) => shown.some((a) => a.id === id))));
  }, [shown, activeId]);

  const draftOf = (a: ApprovalView): Draft =>
    drafts[a.id] ?? { comment: '', form: initialFormValues(a.form), data: { editing: false } };

  const ask = (ids: string[], decision: Decision) => {
    const ready = ids.filter((id) => shown.find((a) => a.id === id)?.you.canDecide);
    if (ready.length === 0) return;
    setError(null);
    const single = ready.length === 1 ? shown.find((a) => a.id === ready[0]) : undefined;
    setAsking({ ids: ready, decision, comment: single ? draftOf(single).comment : '' });
  };

  const move = (by: 1 | -1) => {
    const at = shown.findIndex((a) => a.id === activeId);
    const next = shown[Math.min(shown.length - 1, Math.max(0, at + by))];
    if (!next) return;
    setActiveId(next.id);
    document.querySelector(`[data-approval-id="${CSS.escape(next.id)}"]`)?.scrollIntoView({ block: 'nearest' });
  };

  const toggle = (id: string, on = !selected.has(id)) =>
    setSelected((s) => {
      const copy = new Set(s);
      if (on) copy.add(id);
      else copy.delete(id);
      return copy;
    });

  useInboxKeys(
    {
      move,
      toggleSelect: () => activeId && toggle(activeId),
      decide: (d) => activeId && ask([activeId], d),
    },
    asking === null,
  );

  const finish = (ids: string[], text: string, problems: string[] = []) => {
    setDone((d) => new Set([...d, ...ids]));
    setAsking(null);
    setNotice({ text, problems });
    revalidator.revalidate();
  };

  const confirm = async () => {
    if (!asking) return;
    setPending(true);
    setError(null);
    try {
      if (asking.ids.length === 1) {
        const approval = shown.find((a) => a.id === asking.ids[0])!;
        const draft = draftOf(approval);
        const edited = asking.decision === 'approve' ? editedData(draft.data, approval.data) : {};
        if (edited.error) throw new ApiError(400, edited.error);
        await apiFetch(`/api/approvals/${encodeURIComponent(approval.id)}/decision`, {
          method: 'POST',
          body: {
            decision: asking.decision,
            ...(asking.comment.trim() ? { comment: asking.comment.trim() } : {}),
            form: filledFormValues(draft.form),
            ...('data' in edited ? { data: edited.data } : {}),
          },
        });
        finish(asking.ids, `${asking.decision === 'approve' ? 'Approved' : 'Rejected'} “${approval.title}”.`);
      } else {
        const { results } = await apiFetch<{ results: BulkResult[] }>('/api/approvals/decisions', {
          method: 'POST',
          body: {
            ids: asking.ids,
            decision: asking.decision,
            ...(asking.comment.trim() ? { comment: asking.comment.trim() } : {}),
          },
        });
        const ok = results.filter((r) => r.ok).map((r) => r.id);
        const title = (id: string) => shown.find((a) => a.id === id)?.title ?? id;
        const problems = results.filter((r) => !r.ok).map((r) => `${title(r.id)}: ${r.error}`);
        finish(
          ok,
          `${asking.decision === 'approve' ? 'Approved' : 'Rejected'} ${ok.length} of ${results.length}.`,
          problems,
        );
      }
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setPending(false);
    }
  };

  const allSelected = decidable.length > 0 && decidable.every((a) => selected.has(a.id));
  const askedTitle = asking && (asking.ids.length === 1 ? shown.find((a) => a.id === asking.ids[0])?.title : undefined);

  return (
    <>
      {notice && (
        <div className={`banner ${notice.problems.length ? 'warning' : 'info'}`} role="status">
          <div>
            {notice.text}
            {notice.problems.length > 0 && (
              <ul className="approval-problems">
                {notice.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            )}
          </div>
          <button className="btn small ghost" type="button" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      )}
      {decidable.length > 0 && (
        <div className="inbox-toolbar" role="toolbar" aria-label="Bulk decide">
          <label className="inbox-select-all">
            <input
              type="checkbox"
              checked={allSelected}
              onChange={(e) => setSelected(new Set(e.target.checked ? decidable.map((a) => a.id) : []))}
            />
            {selected.size > 0 ? `${selected.size} selected` : 'Select all'}
          </label>
          {selected.size > 0 && (
            <>
              <button className="btn small danger" type="button" onClick={() => ask([...selected], 'reject')}>
                Reject selected
              </button>
              <button className="btn small primary" type="button" onClick={() => ask([...selected], 'approve')}>
                Approve selected
              </button>
            </>
          )}
          <span className="spacer" />
          <span className="muted inbox-keys" aria-hidden="true">
            <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>x</kbd> select · <kbd>a</kbd> approve · <kbd>r</kbd> reject
          </span>
        </div>
      )}
      {shown.length === 0 && empty}
      <div className="approval-list">
        {shown.map((approval) => (
          <ApprovalCard
            key={approval.id}
            approval={approval}
            draft={draftOf(approval)}
            now={now}
            active={approval.id === activeId}
            selected={selected.has(approval.id)}
            busy={pending && !!asking?.ids.includes(approval.id)}
            onDraft={(draft) => setDrafts((d) => ({ ...d, [approval.id]: draft }))}
            onSelect={(on) => toggle(approval.id, on)}
            onActivate={() => setActiveId(approval.id)}
            onDecide={(d) => ask([approval.id], d)}
          />
        ))}
      </div>
      <ConfirmDialog
        open={asking !== null}
        title={
          asking
            ? askedTitle
              ? `${verb(asking.decision)} “${askedTitle}”?`
              : `${verb(asking.decision)} ${asking.ids.length} requests?`
            : ''
        }
        confirmLabel={asking ? verb(asking.decision) : ''}
        danger={asking?.decision === 'reject'}
        pending={pending}
        error={error}
        onConfirm={() => void confirm()}
        onCancel={() => !pending && setAsking(null)}
      >
        {asking && (
          <div className="field">
            <label htmlFor="decision-comment">Comment</label>
            <textarea
              id="decision-comment"
              className="textarea"
              rows={3}
              placeholder="Optional: why"
              value={asking.comment}
              onChange={(e) => setAsking({ ...asking, comment: e.target.value })}
            />
            {asking.ids.length > 1 && (
              <span className="hint">The same decision and comment go to each selected request.</span>
            )}
          </div>
        )}
      </ConfirmDialog>
    </>
  );
}
