// The run page's node detail: the selected node's status, attempts, timings, error with its classification, and its
// input and output; for an LLM or Agent node, its model and tool calls too (an "Agent calls" tab), and the run's AI
// usage whatever is selected.
import { useState } from 'react';
import type { StepInfo } from '../../../contracts/step-record';
import { isRetryable } from '../../../contracts/errors';
import { dateTime } from '../../lib/format';
import { durationLabel, isFinished } from '../../lib/run-view';
import { useEditor } from '../../stores/workflow-store-context';
import { StatusBadge } from '../ui/StatusBadge';
import { AGENT_NODE_TYPES, AgentCalls, AgentRunTotals } from './AgentCalls';
import { callsOfStep } from './agent-calls-state';
import { BrowserFilmstrip } from './BrowserFilmstrip';
import { BROWSER_NODE_TYPE, filmFileIds } from './browser-filmstrip-state';
import { RunValueView } from './RunValueView';
import { ReusedFrom } from './StepDetail';
import { useAgentCalls } from './useAgentCalls';

const field = (runId: string, nodeId: string, name: 'input' | 'output', iteration = 0) =>
  `/api/runs/${encodeURIComponent(runId)}/steps/${encodeURIComponent(nodeId)}/${name}${iteration > 0 ? `?iteration=${iteration}` : ''}`;

type Tab = 'agent' | 'io';

export function RunNodeDetail({ runId, step }: { runId: string; step: StepInfo | undefined }) {
  const hasAgents = useEditor((s) => s.nodes.some((n) => AGENT_NODE_TYPES.has(n.data.type)));
  const runActive = useEditor((s) => !!s.run && !isFinished(s.run.run.status));
  // A step learns its type from the REST refresh; the drawn node knows it from the start.
  const nodeType = useEditor((s) => (step ? s.nodes.find((n) => n.id === step.nodeId)?.data.type : undefined));
  const agent = useAgentCalls(runId, { enabled: hasAgents, active: runActive });
  const [tab, setTab] = useState<Tab>('agent');
  const allCalls = Object.values(agent.state.calls);
  const runTotals = hasAgents && <AgentRunTotals calls={allCalls} />;
  if (!step)
    return (
      <section className="card node-detail" aria-label="Node detail">
        {runTotals}
        <p className="muted">Select a node on the canvas or the timeline to see its input, output and errors.</p>
      </section>
    );
  const agentStep = AGENT_NODE_TYPES.has(step.type ?? nodeType ?? '');
  const shown: Tab = agentStep ? tab : 'io';
  const browserStep = (step.type ?? nodeType) === BROWSER_NODE_TYPE;
  const queued =
    step.scheduledAt && step.startedAt
      ? new Date(step.startedAt).getTime() - new Date(step.scheduledAt).getTime()
      : undefined;
  return (
    <section className="card node-detail" aria-label="Node detail">
      {runTotals}
      <h2>
        {step.nodeName} <StatusBadge status={step.status} /> {step.reusedFrom && <ReusedFrom runId={step.reusedFrom} />}
      </h2>
      <p className="run-meta">
        <span>
          Attempts: <strong data-testid="node-attempts">{step.attempt}</strong>
        </span>
        {step.durationMs !== undefined && <span>Ran {durationLabel(step.durationMs)}</span>}
        {queued !== undefined && queued > 0 && <span>Queued {durationLabel(queued)}</span>}
        {step.startedAt && <span>Started {dateTime(step.startedAt)}</span>}
      </p>
      {step.error && (
        <div className="banner error" role="alert">
          <strong>{step.error.message}</strong>
          {step.error.code && (
            <div className="muted">
              Error class <code>{step.error.code}</code>
              {!isRetryable(step.error.code) && ' · not retried: fix the node or its data'}
            </div>
          )}
        </div>
      )}
      {browserStep && <BrowserFilmstrip step={step} />}
      {agentStep && <StepTabs selected={shown} onSelect={setTab} />}
      {shown === 'agent' ? (
        <div role="tabpanel" id="step-panel-agent" aria-labelledby="step-tab-agent">
          <AgentCalls
            calls={callsOfStep(agent.state, step.nodeId, step.iteration ?? 0)}
            stepRunning={step.status === 'running'}
            loading={agent.loading}
            error={agent.error}
          />
        </div>
      ) : (
        <div {...(agentStep ? { role: 'tabpanel', id: 'step-panel-io', 'aria-labelledby': 'step-tab-io' } : {})}>
          <RunValueView
            label="Input"
            value={step.input}
            preview={step.inputPreview}
            download={field(runId, step.nodeId, 'input', step.iteration)}
          />
          <RunValueView
            label="Output"
            value={step.output}
            preview={step.outputPreview}
            download={field(runId, step.nodeId, 'output', step.iteration)}
            // The filmstrip shows a Browser step's screenshots and trace: the file cards would repeat them.
            shownElsewhere={browserStep ? filmFileIds(step.output) : undefined}
          />
        </div>
      )}
    </section>
  );
}

const TABS: Array<{ key: Tab; label: string }> = [
  { key: 'agent', label: 'Agent calls' },
  { key: 'io', label: 'Input & output' },
];

/** An LLM or Agent step's two views; arrow keys move between them (WAI-ARIA tabs). */
function StepTabs({ selected, onSelect }: { selected: Tab; onSelect: (tab: Tab) => void }) {
  return (
    <div
      className="step-tabs"
      role="tablist"
      aria-label="Step views"
      onKeyDown={(e) => {
        if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
        const next = selected === 'agent' ? 'io' : 'agent';
        onSelect(next);
        document.getElementById(`step-tab-${next}`)?.focus();
      }}
    >
      {TABS.map((t) => (
        <button
          key={t.key}
          type="button"
          role="tab"
          id={`step-tab-${t.key}`}
          aria-selected={t.key === selected}
          aria-controls={`step-panel-${t.key}`}
          tabIndex={t.key === selected ? 0 : -1}
          className={`step-tab${t.key === selected ? ' active' : ''}`}
          onClick={() => onSelect(t.key)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
