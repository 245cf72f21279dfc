// The canvas card for every node type: icon, name, type, one handle per port, run status and problems.
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { outputPorts } from '../../../nodes/ports';
import { CATEGORY_LABELS, paramOrDefault } from '../../lib/node-description';
import type { BatonNode } from '../../stores/flow-document';
import { nodeProblems } from '../../stores/node-problems';
import { useEditor } from '../../stores/workflow-store-context';
import { NodeIcon } from './NodeIcon';

const STATUS_LABEL: Record<string, string> = {
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  skipped: 'Skipped',
  pending: 'Pending',
};

function portTop(index: number, count: number): string {
  return `${((index + 1) / (count + 1)) * 100}%`;
}

export const WorkflowNode = memo(function WorkflowNode({ id, data, selected }: NodeProps<BatonNode>) {
  const spec = useEditor((s) => s.specs[data.type]);
  const status = useEditor((s) => s.run?.steps[id]?.status);
  const problems = useEditor((s) => nodeProblems(s.diagnostics, id).errors);
  const warnings = useEditor((s) => nodeProblems(s.diagnostics, id).warnings);
  const inputs = spec?.inputs ?? [];
  const outputs = useMemo(
    () => (spec ? outputPorts(spec, (key) => paramOrDefault(spec, data.params, key), data.policy) : []),
    [spec, data.params, data.policy],
  );
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
      </div>
      {status && status !== 'pending' && (
        <span className={`wf-node-status ${status}`} aria-label={STATUS_LABEL[status]} title={STATUS_LABEL[status]}>
          {status === 'succeeded' ? '✓' : status === 'failed' ? '!' : status === 'skipped' ? '–' : ''}
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
