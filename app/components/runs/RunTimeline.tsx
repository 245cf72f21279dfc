// The run page's timeline (Gantt): one row per node execution, on the run's time axis. Each attempt is its own bar,
// with its queue wait (asked of a worker → started, hatched grey) apart from its run time; Wait, Delay and Approval
// nodes are drawn as waits. Live: a running run's bars grow each second.
import { useEffect, useState } from 'react';
import type { RunInfo } from '../../../contracts/run-record';
import type { StepInfo } from '../../../contracts/step-record';
import { durationLabel } from '../../lib/run-view';

const WAIT_TYPES = new Set(['wait', 'delay', 'approval']);

interface Bar {
  kind: 'queue' | 'run' | 'wait';
  status: string;
  from: number;
  to: number;
  title: string;
}

const ms = (t: string | undefined) => (t ? new Date(t).getTime() : undefined);

/** The bars of one step: each earlier attempt (queue wait, then run), then the latest one. */
export function stepBars(step: StepInfo, now: number): Bar[] {
  const bars: Bar[] = [];
  const attempt = (
    a: { attempt: number; scheduledAt?: string; startedAt?: string; endedAt?: string },
    status: string,
  ) => {
    const scheduled = ms(a.scheduledAt);
    const started = ms(a.startedAt);
    if (scheduled !== undefined && started !== undefined && started > scheduled)
      bars.push({
        kind: 'queue',
        status,
        from: scheduled,
        to: started,
        title: `Attempt ${a.attempt}: waited ${durationLabel(started - scheduled)} for a worker`,
      });
    if (started !== undefined) {
      const end = ms(a.endedAt) ?? now;
      const kind = WAIT_TYPES.has(step.type ?? '') ? 'wait' : 'run';
      bars.push({
        kind,
        status,
        from: started,
        to: end,
        title: `Attempt ${a.attempt}: ${kind === 'wait' ? 'waited' : 'ran'} ${durationLabel(end - started)} (${status})`,
      });
    }
  };
  for (const earlier of step.attempts ?? []) attempt(earlier, 'failed');
  attempt(step, step.status);
  return bars;
}

export function RunTimeline({
  run,
  steps,
  selected,
  onSelect,
}: {
  run: RunInfo;
  steps: StepInfo[];
  selected?: string;
  onSelect(nodeId: string): void;
}) {
  const running = !run.endedAt;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [running]);
  const rows = steps
    .filter((s) => s.startedAt)
    .sort((a, b) => (ms(a.startedAt) ?? 0) - (ms(b.startedAt) ?? 0))
    .map((step) => ({ step, bars: stepBars(step, now) }));
  const start = Math.min(ms(run.startedAt) ?? now, ...rows.flatMap((r) => r.bars.map((b) => b.from)));
  const end = Math.max(ms(run.endedAt) ?? now, ...rows.flatMap((r) => r.bars.map((b) => b.to)), start + 1);
  const pct = (t: number) => `${((t - start) / (end - start)) * 100}%`;
  return (
    <section className="card timeline" aria-label="Timeline">
      <div className="timeline-legend">
        <strong>Timeline</strong>
        <span>
          <i className="timeline-bar queue" style={{ position: 'static' }} />
          queue wait
        </span>
        <span>
          <i className="timeline-bar" style={{ position: 'static' }} />
          running
        </span>
        <span>
          <i className="timeline-bar wait" style={{ position: 'static' }} />
          waiting
        </span>
        <span className="muted">{durationLabel(end - start)} in all</span>
      </div>
      {rows.length === 0 && <p className="muted">No node has started yet.</p>}
      {rows.map(({ step, bars }) => (
        <div
          key={`${step.nodeId}:${step.iteration ?? 0}`}
          className={`timeline-row${step.nodeId === selected ? ' selected' : ''}`}
          data-testid="timeline-row"
          data-node-name={step.nodeName}
          onClick={() => onSelect(step.nodeId)}
        >
          <span
            className="timeline-name"
            title={step.reusedFrom ? `${step.nodeName}: reused from run ${step.reusedFrom}` : step.nodeName}
          >
            {step.nodeName}
            {step.reusedFrom && <span className="muted"> · reused</span>}
          </span>
          <span className="timeline-track">
            {bars.map((bar, i) => (
              <span
                key={i}
                className={`timeline-bar ${bar.kind === 'run' ? bar.status : bar.kind}`}
                data-bar={bar.kind}
                title={bar.title}
                style={{ left: pct(bar.from), width: `calc(${pct(bar.to)} - ${pct(bar.from)})` }}
              />
            ))}
          </span>
          <span className="muted">{durationLabel(step.durationMs) || (step.status === 'running' ? '…' : '')}</span>
        </div>
      ))}
    </section>
  );
}
