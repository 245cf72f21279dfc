// The run page's agent panel for an LLM or Agent step: its model calls (model, tokens, cost, time, the reply as it
// streams in, notes such as a JSON tool protocol or a fallback) and tool calls (arguments, result, status), in
// transcript order with each sub-agent's calls indented under the tool call that started it, and the step's totals.
import type { CSSProperties } from 'react';
import type { StepInfo } from '../../../contracts/step-record';
import type { AgentCallStatus } from '../../../db/agent-calls';
import { durationLabel } from '../../lib/run-view';
import {
  callRows,
  callsOfStep,
  costLabel,
  replyOf,
  tokensLabel,
  totalsOf,
  type CallRow,
  type CallTotals,
  type CallView,
} from './agent-calls-state';
import { useAgentCalls } from './useAgentCalls';

/** Node types whose steps have agent calls. */
export const AGENT_NODE_TYPES: ReadonlySet<string> = new Set(['llm', 'agent']);

const STATUS_LABELS: Record<AgentCallStatus, string> = {
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  rejected: 'Rejected',
};

export function CallStatus({ status }: { status: AgentCallStatus }) {
  return (
    <span className={`badge ${status}`} data-status={status}>
      <span className="dot" />
      {STATUS_LABELS[status] ?? status}
    </span>
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "3 model calls · 2 tool calls · 1,234 in · 56 out tokens · $0.0012". */
export function totalsLabel(totals: CallTotals): string {
  return [
    plural(totals.modelCalls, 'model call'),
    plural(totals.toolCalls, 'tool call'),
    `${tokensLabel(totals.inputTokens, totals.outputTokens)} tokens`,
    costLabel(totals.costUsd),
  ].join(' · ');
}

/** JSON text indented for reading; other text as it is. */
function readable(text: string | undefined): string {
  if (text === undefined) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function ModelCallBody({ call }: { call: CallView }) {
  const { text, toolCalls } = replyOf(call);
  const running = call.status === 'running';
  return (
    <>
      {(text || running) && (
        <pre className={`agent-reply${running ? ' streaming' : ''}`} data-testid="agent-reply" aria-label="Reply">
          {text}
          {running && <span className="agent-caret" aria-hidden="true" />}
        </pre>
      )}
      {toolCalls.length > 0 && <p className="muted agent-asks">Asks for {toolCalls.map((c) => c.name).join(', ')}</p>}
      {call.error && <p className="error-text">{call.error}</p>}
    </>
  );
}

function ToolCallBody({ call, derived }: { call: CallView; derived?: boolean }) {
  return (
    <div className="agent-tool-io">
      <div>
        <h5>Arguments</h5>
        <pre aria-label="Arguments">{readable(call.input) || '—'}</pre>
      </div>
      {derived ? (
        <p className="muted">A sub-agent answers this call: its calls follow.</p>
      ) : (
        <div>
          <h5>Result</h5>
          {call.output !== undefined ? (
            <pre aria-label="Result" className={call.status === 'succeeded' ? undefined : 'failed'}>
              {readable(call.output)}
            </pre>
          ) : call.error ? (
            <p className="error-text">{call.error}</p>
          ) : (
            <p className="muted">{call.status === 'running' ? 'Running…' : 'No result recorded.'}</p>
          )}
        </div>
      )}
    </div>
  );
}

function CallItem({ row }: { row: CallRow }) {
  const { call, depth, derived, subAgent } = row;
  const model = call.kind === 'model';
  return (
    <li
      className={`agent-call ${call.kind}`}
      style={{ '--depth': depth } as CSSProperties}
      data-testid="agent-call"
      data-depth={depth}
      data-kind={call.kind}
      data-status={call.status}
    >
      <div className="agent-call-head">
        <span className="agent-call-kind">{model ? 'Model' : derived || subAgent ? 'Sub-agent' : 'Tool'}</span>
        <strong className="mono agent-call-name">{call.name}</strong>
        <CallStatus status={call.status} />
        {model && call.usage && (
          <span className="muted" data-testid="agent-call-tokens">
            {tokensLabel(call.usage.inputTokens, call.usage.outputTokens)} tokens
          </span>
        )}
        {model && call.costUsd !== undefined && <span data-testid="agent-call-cost">{costLabel(call.costUsd)}</span>}
        {call.durationMs !== undefined && <span className="muted">{durationLabel(call.durationMs)}</span>}
        {call.attempt > 1 && <span className="muted">attempt {call.attempt}</span>}
      </div>
      {call.note && <p className="agent-call-note">{call.note}</p>}
      {model ? <ModelCallBody call={call} /> : <ToolCallBody call={call} derived={derived} />}
    </li>
  );
}

interface Props {
  /**
   * The step's calls (its node's, in its iteration, sub-agents included). Totals count the rows shown: a tool call
   * that started a sub-agent has no record of its own, but is a tool call all the same.
   */
  calls: CallView[];
  /** The step is still running: no call yet means none has started yet. */
  stepRunning: boolean;
  loading: boolean;
  error?: string;
}

export function AgentCalls({ calls, stepRunning, loading, error }: Props) {
  const rows = callRows(calls);
  return (
    <section className="agent-calls" aria-label="Agent calls" data-testid="agent-calls">
      <p className="agent-totals" data-testid="agent-node-totals">
        {totalsLabel(totalsOf(rows.map((r) => r.call)))}
      </p>
      {error && (
        <div className="banner error" role="alert">
          The agent calls could not be loaded: {error}
        </div>
      )}
      {rows.length === 0 ? (
        <p className="muted">
          {loading
            ? 'Loading the agent calls…'
            : stepRunning
              ? 'No model call has started yet.'
              : 'This step made no model or tool calls.'}
        </p>
      ) : (
        <ol className="agent-call-list">
          {rows.map((row) => (
            <CallItem key={row.call.id} row={row} />
          ))}
        </ol>
      )}
    </section>
  );
}

/** The whole run's AI usage, shown on the run page whatever node is selected. */
export function AgentRunTotals({ calls }: { calls: CallView[] }) {
  if (calls.length === 0) return null;
  return (
    <p className="agent-run-totals" data-testid="agent-run-totals">
      <span className="muted">This run’s AI usage:</span> {totalsLabel(totalsOf(callRows(calls).map((r) => r.call)))}
    </p>
  );
}

/** The agent panel of one step, with its own fetch and live events: for the editor's run panel. */
export function StepAgentCalls({ runId, step }: { runId: string; step: StepInfo }) {
  const running = step.status === 'running';
  const agent = useAgentCalls(runId, { enabled: true, active: running });
  return (
    <AgentCalls
      calls={callsOfStep(agent.state, step.nodeId, step.iteration ?? 0)}
      stepRunning={running}
      loading={agent.loading}
      error={agent.error}
    />
  );
}
