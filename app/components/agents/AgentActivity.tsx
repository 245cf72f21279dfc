// The agent activity feed's list: filters (workflow, agent node name, kept in the URL), then every model and tool
// call newest first, live (a running model call shows the text arriving), each linked to its run; "Load more" pages
// back in time.
import { Form, Link, useSubmit } from '@remix-run/react';
import { dateTime, timeAgo } from '../../lib/format';
import { durationLabel } from '../../lib/run-view';
import { costLabel, replyOf, tokensLabel, type CallView } from '../runs/agent-calls-state';
import { CallStatus } from '../runs/AgentCalls';
import { shortRunId } from '../runs/RunFamily';
import type { ActivityFilter, useAgentActivity } from './useAgentActivity';

const TAIL = 160;

/** One line of what the call is about: the text arriving, the reply, the arguments or the error. */
function gist(call: CallView): string {
  if (call.error) return call.error;
  if (call.kind === 'tool') return call.input ?? '';
  const { text, toolCalls } = replyOf(call);
  if (call.status === 'running') return text.length > TAIL ? `…${text.slice(-TAIL)}` : text;
  if (toolCalls.length > 0) return `Asks for ${toolCalls.map((c) => c.name).join(', ')}`;
  return text.length > TAIL ? `${text.slice(0, TAIL)}…` : text;
}

function FilterBar({ filter, workflows }: { filter: ActivityFilter; workflows: Array<{ id: string; name: string }> }) {
  const submit = useSubmit();
  return (
    <Form method="get" className="agent-filters" aria-label="Filter agent activity">
      <select
        name="workflowId"
        className="input"
        aria-label="Workflow"
        defaultValue={filter.workflowId}
        key={filter.workflowId}
        onChange={(e) => submit(e.currentTarget.form)}
      >
        <option value="">All workflows</option>
        {workflows.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </select>
      <input
        name="node"
        className="input"
        aria-label="Agent node name"
        placeholder="Agent node name (exact)"
        defaultValue={filter.node}
        key={filter.node}
        maxLength={200}
      />
      <button type="submit" className="btn small">
        Filter
      </button>
      {(filter.workflowId || filter.node) && (
        <Link to="/agents" className="btn ghost small">
          Clear
        </Link>
      )}
    </Form>
  );
}

function CallRowView({ call, workflowName }: { call: CallView; workflowName: string | undefined }) {
  const model = call.kind === 'model';
  const line = gist(call);
  return (
    <tr data-testid="activity-row" data-kind={call.kind} data-status={call.status}>
      <td className="muted" title={dateTime(call.startedAt)}>
        {timeAgo(call.startedAt)}
      </td>
      <td className="agent-feed-call">
        <div className="agent-feed-head">
          <span className="agent-call-kind">{model ? 'Model' : 'Tool'}</span>
          <strong className="mono">{call.name}</strong>
          <CallStatus status={call.status} />
        </div>
        {line && (
          <div
            className={`agent-feed-gist${call.error ? ' error-text' : ''}${call.status === 'running' && model ? ' streaming' : ''}`}
            data-testid={call.status === 'running' && model ? 'activity-streaming' : undefined}
          >
            {line}
          </div>
        )}
        {call.note && <div className="agent-call-note">{call.note}</div>}
      </td>
      <td>
        {call.nodeName}
        {call.key.includes('/') && <span className="badge accent agent-sub">sub-agent</span>}
      </td>
      <td>{workflowName ?? <span className="muted">Deleted workflow</span>}</td>
      <td>
        <Link to={`/runs/${encodeURIComponent(call.runId)}`} className="mono" title={call.runId}>
          {shortRunId(call.runId)}
        </Link>
      </td>
      <td className="muted">
        {model && call.usage ? tokensLabel(call.usage.inputTokens, call.usage.outputTokens) : '—'}
      </td>
      <td>{model && call.costUsd !== undefined ? costLabel(call.costUsd) : '—'}</td>
      <td className="muted">{durationLabel(call.durationMs) || '—'}</td>
    </tr>
  );
}

interface Props {
  filter: ActivityFilter;
  workflows: Array<{ id: string; name: string }>;
  activity: ReturnType<typeof useAgentActivity>;
}

export function AgentActivity({ filter, workflows, activity }: Props) {
  const { calls, status, more, hasMore, loadMore, retry } = activity;
  const names = new Map(workflows.map((w) => [w.id, w.name]));
  const filtered = !!(filter.workflowId || filter.node);
  return (
    <div className="agent-activity">
      <FilterBar filter={filter} workflows={workflows} />
      {status === 'loading' ? (
        <div className="card empty" aria-busy="true">
          <p className="muted">Loading agent activity…</p>
        </div>
      ) : typeof status === 'object' ? (
        <div className="banner error" role="alert">
          The agent activity could not be loaded: {status.error}{' '}
          <button type="button" className="btn small" onClick={retry}>
            Try again
          </button>
        </div>
      ) : calls.length === 0 ? (
        <div className="card empty" data-testid="activity-empty">
          <h2>{filtered ? 'No calls match' : 'No agent activity yet'}</h2>
          <p>
            {filtered
              ? 'Change or clear the filters. The agent node name must match the node’s name exactly.'
              : 'When a run reaches an LLM or Agent node, each model call and tool call it makes shows here as it happens, with its tokens and cost, and a link to the run.'}
          </p>
        </div>
      ) : (
        <div className="card table-card">
          <table className="table agent-feed" aria-label="Agent calls, newest first">
            <thead>
              <tr>
                <th>When</th>
                <th>Call</th>
                <th>Agent node</th>
                <th>Workflow</th>
                <th>Run</th>
                <th>Tokens</th>
                <th>Cost</th>
                <th>Took</th>
              </tr>
            </thead>
            <tbody>
              {calls.map((call) => (
                <CallRowView key={call.id} call={call} workflowName={names.get(call.workflowId)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {status === 'ready' && hasMore && (
        <div className="agent-more">
          <button type="button" className="btn" disabled={more === 'loading'} onClick={() => void loadMore()}>
            {more === 'loading' ? 'Loading…' : 'Load more'}
          </button>
          {typeof more === 'object' && (
            <span className="error-text" role="alert">
              {more.error}
            </span>
          )}
        </div>
      )}
    </div>
  );
}
