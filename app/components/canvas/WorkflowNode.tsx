// The canvas card for every node type: icon, name, type, one handle per port, run status and problems.
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { memo, useEffect, useMemo, useRef } from 'react';
import { ERROR_PORT, outputPorts } from '../../../nodes/ports';
import { CATEGORY_LABELS, paramOrDefault } from '../../lib/node-description';
import type { BatonNode } from '../../stores/flow-document';
import { nodeProblems } from '../../stores/node-problems';
import { useEditor } from '../../stores/workflow-store-context';
import { iterationStep, useIterations } from '../runs/iteration-store';
import { loopOfNode, loopTally, durationLabel } from '../../lib/run-view';
import { NodeIcon } from './NodeIcon';

const STATUS_LABEL: Record<string, string> = {
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  skipped: 'Skipped',
  pending: 'Pending',
};

/** Vertical room per labelled output: a Switch with many rules grows taller instead of stacking its labels. */
const PORT_SPACING = 22;

function portTop(index: number, count: number): string {
  return `${((index + 1) / (count + 1)) * 100}%`;
}

/**
 * React Flow measures a node's handles when the node mounts or resizes, and a handle it has not measured cannot
 * start a connection (and its edges are not drawn). A Switch rule or an Error output adds a handle without either.
 */
function useRemeasureOnNewPorts(id: string, outputs: ReadonlyArray<{ id: string }>) {
  const updateNodeInternals = useUpdateNodeInternals();
  const ports = outputs.map((p) => p.id).join('\n');
  const measured = useRef(ports);
  useEffect(() => {
    if (measured.current === ports) return;
    measured.current = ports;
    updateNodeInternals(id);
  }, [id, ports, updateNodeInternals]);
}

export const WorkflowNode = memo(function WorkflowNode({ id, data, selected }: NodeProps<BatonNode>) {
  const spec = useEditor((s) => s.specs[data.type]);
  // A body node shows the iteration the run panel has chosen; a loop node its own status and a tally.
  const runId = useEditor((s) => s.run?.run.runId);
  const loopId = useEditor((s) => loopOfNode(s.run?.loops, id)?.nodeId);
  const tally = useEditor((s) => (s.run?.loops?.[id] ? loopTally(s.run.loops[id]) : undefined));
  const topStatus = useEditor((s) => s.run?.steps[id]?.status);
  const iterationStatus = useIterations((s) => iterationStep(s, runId, loopId, id)?.status);
  const status = loopId !== undefined && loopId !== id ? iterationStatus : topStatus;
  // A past run shown read-only: how long the node took and how many attempts it needed.
  const timing = useEditor((s) => {
    const step = s.readOnly && (loopId === undefined || loopId === id) ? s.run?.steps[id] : undefined;
    if (!step) return undefined;
    const parts = [durationLabel(step.durationMs), step.attempt > 1 ? `${step.attempt} attempts` : ''];
    return parts.filter(Boolean).join(' · ') || undefined;
  });
  const problems = useEditor((s) => nodeProblems(s.diagnostics, id).errors);
  const warnings = useEditor((s) => nodeProblems(s.diagnostics, id).warnings);
  const inputs = spec?.inputs ?? [];
  const outputs = useMemo(
    () => (spec ? outputPorts(spec, (key) => paramOrDefault(spec, data.params, key), data.policy) : []),
    [spec, data.params, data.policy],
  );
  useRemeasureOnNewPorts(id, outputs);
  const labelled = outputs.length > 1;
  const classes = [
    'wf-node',
    `cat-${spec?.category ?? 'unknown'}`,
    status ? `status-${status}` : '',
    problems ? 'has-problems' : warnings ? 'has-warnings' : '',
    selected ? 'selected' : '',
    data.disabled ? 'disabled' : '',
  ];

  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      data-testid="workflow-node"
      data-node-name={data.name}
      data-status={status ?? 'idle'}
      title={spec?.description}
      style={outputs.length > 2 ? { minHeight: (outputs.length + 1) * PORT_SPACING } : undefined}
    >
      {inputs.map((port, i) => (
        <Handle
          key={port.id}
          type="target"
          position={Position.Left}
          id={port.id}
          style={{ top: portTop(i, inputs.length) }}
          data-port={port.id}
          aria-label={`${data.name} input ${port.label}`}
        />
      ))}
      <div className="wf-node-icon">
        <NodeIcon icon={spec?.icon} category={spec?.category} size={18} />
      </div>
      <div className="wf-node-text">
        <div className="wf-node-name">{data.name}</div>
        <div className="wf-node-type">
          {!spec
            ? `Unknown type “${data.type}”`
            : spec.title !== data.name
              ? spec.title
              : CATEGORY_LABELS[spec.category]}
        </div>
        {timing && (
          <div className="wf-node-timing" data-testid="node-timing">
            {timing}
          </div>
        )}
      </div>
      {status && status !== 'pending' && (
        <span className={`wf-node-status ${status}`} aria-label={STATUS_LABEL[status]} title={STATUS_LABEL[status]}>
          {status === 'succeeded' ? '✓' : status === 'failed' ? '!' : status === 'skipped' ? '–' : ''}
        </span>
      )}
      {tally && (
        <span className="wf-node-tally" data-testid="loop-tally">
          {tally}
        </span>
      )}
      {problems + warnings > 0 && !status && (
        <span
          className={`wf-node-problems${problems ? '' : ' warning'}`}
          title={`${problems + warnings} problem${problems + warnings > 1 ? 's' : ''}: select the node to see them`}
        >
          {problems + warnings}
        </span>
      )}
      {outputs.map((port, i) => (
        <Handle
          key={port.id}
          type="source"
          position={Position.Right}
          id={port.id}
          className={port.id === ERROR_PORT.id ? 'error-port' : undefined}
          style={{ top: portTop(i, outputs.length) }}
          data-port={port.id}
          aria-label={`${data.name} output ${port.label}`}
        >
          {labelled && <span className="wf-port-label">{port.label}</span>}
        </Handle>
      ))}
    </div>
  );
});
