// The runs list of the runs pages: filter bar (in the URL, so a filtered view can be shared), search by run id or
// tag, the table, "Load more" by cursor, live status of the rows shown, bulk cancel, and keys: `/` search, j/k move,
// x select, Enter open.
import { Form, Link, useNavigate, useNavigation, useSearchParams, useSubmit } from '@remix-run/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { RunInfo } from '../../../contracts/run-record';
import { isTerminalRunStatus } from '../../../contracts/run-status';
import { apiFetch, ApiError } from '../../lib/api-client';
import { dateTime, timeAgo } from '../../lib/format';
import { subscribeLive } from '../../lib/live.client';
import { durationLabel, runDurationMs } from '../../lib/run-view';
import type { RunsPageData } from '../../lib/runs-page.server';
import { RunStatusBadge } from './RunStatusBadge';
import { RunFamily, shortRunId, type RunFamilyInfo } from './RunFamily';
import { RunStopControls } from './RunStopControls';

export const MODE_LABELS: Record<string, string> = {
  manual: 'Manual',
  webhook: 'Webhook',
  form: 'Form',
  chat: 'Chat',
  schedule: 'Schedule',
  subworkflow: 'Another run',
  error: 'Error workflow',
};

const STATUS_OPTIONS: Array<[string, string]> = [
  ['queued', 'Queued'],
  ['running', 'Running'],
  ['awaiting-approval', 'Waiting for approval'],
  ['succeeded', 'Succeeded'],
  ['failed', 'Failed'],
  ['cancelled', 'Cancelled'],
  ['terminated', 'Terminated'],
  ['timed-out', 'Timed out'],
];

/** One select of the filter bar, named for its query key, "any" first; a new URL value remounts it (`key`). */
function FilterSelect({
  name,
  label,
  anyLabel,
  value,
  options,
}: {
  name: string;
  label: string;
  anyLabel: string;
  value: string;
  options: Array<[string, string]>;
}) {
  return (
    <select name={name} className="input" aria-label={label} defaultValue={value} key={value}>
      <option value="">{anyLabel}</option>
      {options.map(([option, text]) => (
        <option key={option} value={option}>
          {text}
        </option>
      ))}
    </select>
  );
}

/** Live status: the rows shown follow their runs' events through the rooms of their workflows. */
function useLiveRows(runs: RunInfo[], setRuns: (update: (rows: RunInfo[]) => RunInfo[]) => void) {
  const workflowIds = useMemo(() => [...new Set(runs.map((r) => r.workflowId))].sort().join(' '), [runs]);
  useEffect(() => {
    if (!workflowIds) return;
    const offs = workflowIds.split(' ').map((workflowId) =>
      subscribeLive({ workflowId }, (event) => {
        if (event.kind !== 'run') return;
        setRuns((rows) =>
          rows.map((r) =>
            r.runId !== event.runId
              ? r
              : {
                  ...r,
                  status: event.status,
                  awaiting: event.awaiting,
                  ...(isTerminalRunStatus(event.status) ? { endedAt: event.at, awaiting: undefined } : {}),
                  ...(event.error ? { error: event.error } : {}),
                },
          ),
        );
      }),
    );
    return () => offs.forEach((off) => off());
  }, [workflowIds, setRuns]);
}

/**
 * `workflow`: the list is one workflow's (its runs page): no workflow filter or column, a version column instead.
 * `families`: by run id, the runs that started a row's run and that it started, linked under its id.
 */
export function RunsList({
  data,
  workflow,
  families,
}: {
  data: RunsPageData;
  workflow?: { id: string; name: string };
  families?: Record<string, RunFamilyInfo | undefined>;
}) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const submit = useSubmit();
  const loading = useNavigation().state === 'loading';
  const [runs, setRuns] = useState(data.runs);
  const [cursor, setCursor] = useState(data.nextCursor);
  const [more, setMore] = useState<'idle' | 'loading' | string>('idle');
  const [active, setActive] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const search = useRef<HTMLInputElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const names = useMemo(() => new Map(data.workflows.map((w) => [w.id, w.name])), [data.workflows]);
  const people = useMemo(() => new Map(data.members.map((m) => [m.id, m.name])), [data.members]);
  const filtered = [...(workflow ? [] : ['workflowId']), 'status', 'mode', 'startedBy', 'from', 'to', 'q'].some((k) =>
    params.get(k),
  );

  // A new filter loads new data: start over from its first page.
  useEffect(() => {
    setRuns(data.runs);
    setCursor(data.nextCursor);
    setActive(0);
    setSelected(new Set());
  }, [data]);
  useLiveRows(runs, setRuns);

  // A workflow's own list opens a run on its canvas, in the editor (as its run panel's links do); the workspace's on
  // the run page.
  const runHref = (runId: string) =>
    workflow
      ? `/workflows/${encodeURIComponent(workflow.id)}?run=${encodeURIComponent(runId)}`
      : `/runs/${encodeURIComponent(runId)}`;
  const open = (runId: string) => navigate(runHref(runId));
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('input, select, textarea, [role="dialog"]')) {
        if (e.key === 'Escape') target.blur();
        return;
      }
      if (e.key === '/') {
        e.preventDefault();
        search.current?.focus();
      } else if (e.key === 'j') setActive((i) => Math.min(i + 1, runs.length - 1));
      else if (e.key === 'k') setActive((i) => Math.max(i - 1, 0));
      else if (e.key === 'Enter' && runs[active]) open(runs[active].runId);
      else if (e.key === 'x' && runs[active]) toggle(runs[active].runId);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  useEffect(() => {
    document.querySelector(`[data-row-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const toggle = (runId: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(runId)) next.delete(runId);
      else next.add(runId);
      return next;
    });

  const loadMore = async () => {
    if (!cursor) return;
    setMore('loading');
    const query = new URLSearchParams(params);
    if (workflow) query.set('workflowId', workflow.id);
    query.set('cursor', cursor);
    try {
      const page = await apiFetch<{ runs: RunInfo[]; nextCursor?: string }>(`/api/runs?${query}`);
      setRuns((rows) => [...rows, ...page.runs.filter((r) => !rows.some((x) => x.runId === r.runId))]);
      setCursor(page.nextCursor ?? null);
      setMore('idle');
    } catch (err) {
      setMore(err instanceof Error ? err.message : String(err));
    }
  };

  const bulkCancel = async (body: Record<string, unknown>) => {
    try {
      const answer = await apiFetch<{ cancelled: string[]; skipped: Array<{ runId: string; reason: string }> }>(
        '/api/runs/bulk',
        { method: 'POST', body: { action: 'cancel', ...body } },
      );
      setNotice(
        `Asked ${answer.cancelled.length} run${answer.cancelled.length === 1 ? '' : 's'} to stop` +
          (answer.skipped.length ? `; ${answer.skipped.length} skipped (already finished or not found).` : '.'),
      );
      setSelected(new Set());
    } catch (err) {
      setNotice(err instanceof ApiError ? err.message : String(err));
    }
  };
  const unfinishedSelected = runs.filter((r) => selected.has(r.runId) && !isTerminalRunStatus(r.status));
  const filterQuery = () => {
    const query: Record<string, string> = {};
    for (const [k, v] of params) if (v && k !== 'cursor') query[k] = v;
    if (workflow) query.workflowId = workflow.id;
    return query;
  };

  return (
    <div className="runs-list">
      <Form
        method="get"
        ref={form}
        className="runs-filters card"
        onChange={(e) => {
          // Selects and dates apply at once; the search box applies on Enter.
          if ((e.target as HTMLInputElement).name !== 'q') submit(e.currentTarget);
        }}
      >
        <input
          ref={search}
          type="search"
          name="q"
          className="input runs-search"
          placeholder="Search by run id or tag (employeeId=42)   /"
          aria-label="Search runs by run id or tag"
          defaultValue={data.query.q}
          key={`q:${data.query.q}`}
        />
        {!workflow && (
          <FilterSelect
            name="workflowId"
            label="Workflow"
            anyLabel="All workflows"
            value={data.query.workflowId}
            options={data.workflows.map((w) => [w.id, w.name])}
          />
        )}
        <FilterSelect
          name="status"
          label="Status"
          anyLabel="Any status"
          value={data.query.status}
          options={STATUS_OPTIONS}
        />
        <FilterSelect
          name="mode"
          label="Trigger"
          anyLabel="Any trigger"
          value={data.query.mode}
          options={Object.entries(MODE_LABELS)}
        />
        <FilterSelect
          name="startedBy"
          label="Started by"
          anyLabel="Anyone"
          value={data.query.startedBy}
          options={data.members.map((m) => [m.id, m.name])}
        />
        <label className="runs-date">
          From{' '}
          <input
            type="date"
            name="from"
            className="input"
            defaultValue={data.query.from}
            key={`f:${data.query.from}`}
          />
        </label>
        <label className="runs-date">
          To <input type="date" name="to" className="input" defaultValue={data.query.to} key={`t:${data.query.to}`} />
        </label>
        {filtered && (
          <Link className="btn ghost small" to="?">
            Clear
          </Link>
        )}
      </Form>

      <div className="runs-actions">
        <span className="muted" aria-live="polite">
          {loading ? 'Loading…' : `${runs.length}${cursor ? '+' : ''} run${runs.length === 1 ? '' : 's'}`}
        </span>
        <button
          type="button"
          className="btn small"
          disabled={unfinishedSelected.length === 0}
          onClick={() => void bulkCancel({ runIds: unfinishedSelected.map((r) => r.runId) })}
        >
          Cancel selected{unfinishedSelected.length ? ` (${unfinishedSelected.length})` : ''}
        </button>
        {filtered && (
          <button type="button" className="btn ghost small" onClick={() => void bulkCancel({ filter: filterQuery() })}>
            Cancel all unfinished matching
          </button>
        )}
        {notice && (
          <span className="runs-notice" role="status">
            {notice}
          </span>
        )}
      </div>

      {runs.length === 0 ? (
        <div className="card empty">
          <h2>{filtered ? 'No runs match' : 'No runs yet'}</h2>
          <p>
            {filtered
              ? 'Change or clear the filters. A tag search needs the exact key=value a node set.'
              : workflow
                ? 'Open the editor and press Run, or publish the workflow and call its webhook.'
                : 'Open a workflow and press Run, or publish it and call its webhook.'}
          </p>
        </div>
      ) : (
        <div className={`card table-card${loading ? ' is-loading' : ''}`}>
          <table className="table runs-table" aria-label="Runs">
            <thead>
              <tr>
                <th className="check">
                  <span className="visually-hidden">Select</span>
                </th>
                <th>Status</th>
                <th>Run</th>
                <th>{workflow ? 'Version' : 'Workflow'}</th>
                <th>Trigger</th>
                <th>Started by</th>
                <th>Started</th>
                <th>Duration</th>
                <th>Tags</th>
                <th className="actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r, i) => (
                <tr
                  key={r.runId}
                  data-row-index={i}
                  data-run-id={r.runId}
                  className={`row-link${i === active ? ' active' : ''}`}
                  onClick={() => open(r.runId)}
                >
                  <td className="check" onClick={(e) => e.stopPropagation()}>
                    <input
                      type="checkbox"
                      aria-label={`Select run ${r.runId}`}
                      checked={selected.has(r.runId)}
                      onChange={() => toggle(r.runId)}
                    />
                  </td>
                  <td>
                    <RunStatusBadge status={r.status} awaiting={r.awaiting} />
                  </td>
                  <td className="name-cell">
                    <Link to={runHref(r.runId)} className="mono" title={r.runId}>
                      {shortRunId(r.runId)}
                    </Link>
                    {r.error && (
                      <div className="error-text" title={r.error.message}>
                        {r.error.message.length > 80 ? `${r.error.message.slice(0, 80)}…` : r.error.message}
                      </div>
                    )}
                    {families?.[r.runId] && (
                      // Its links open other runs, not this one.
                      <div onClick={(e) => e.stopPropagation()}>
                        <RunFamily family={families[r.runId]!} />
                      </div>
                    )}
                  </td>
                  <td>
                    {!workflow && (names.get(r.workflowId) ?? <span className="muted">Deleted workflow</span>)}{' '}
                    {r.workflowVersion ? (
                      <span className="badge accent">v{r.workflowVersion}</span>
                    ) : (
                      <span className="muted">Draft</span>
                    )}
                  </td>
                  <td className="muted">{MODE_LABELS[r.mode ?? 'manual'] ?? r.mode}</td>
                  <td>
                    {r.startedBy ? (people.get(r.startedBy) ?? 'Former member') : <span className="muted">—</span>}
                  </td>
                  <td title={dateTime(r.startedAt)}>{timeAgo(r.startedAt)}</td>
                  <td>{durationLabel(runDurationMs(r)) || <span className="muted">—</span>}</td>
                  <td className="tags-cell">
                    {Object.entries(r.tags ?? {}).map(([k, v]) => (
                      <span key={k} className="tag-chip" title={`${k}=${v}`}>
                        {k}={v.length > 24 ? `${v.slice(0, 24)}…` : v}
                      </span>
                    ))}
                  </td>
                  {/* Clicks in the controls and their dialog must not open the run. */}
                  <td className="actions" onClick={(e) => e.stopPropagation()}>
                    <RunStopControls
                      runId={r.runId}
                      status={r.status}
                      onChanged={(run) =>
                        setRuns((rows) => rows.map((x) => (x.runId === run.runId ? { ...x, ...run } : x)))
                      }
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <div className="runs-more">
          <button type="button" className="btn" disabled={more === 'loading'} onClick={() => void loadMore()}>
            {more === 'loading' ? 'Loading…' : 'Load more'}
          </button>
          {more !== 'idle' && more !== 'loading' && (
            <span className="error-text" role="alert">
              {more}
            </span>
          )}
        </div>
      )}
      <p className="hint runs-keys">
        <kbd>/</kbd> search · <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>x</kbd> select · <kbd>Enter</kbd> open
      </p>
    </div>
  );
}
