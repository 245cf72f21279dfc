// Runs another workflow's published version (a pinned one, or whichever is published when the node runs) as a
// Temporal child workflow of this run, with an input built by expression. Waiting, its output is the child run's
// output (its last nodes' outputs by name); not waiting, the child's run id. The two runs link both ways in history.
import { defineNode, param } from '../define';
import { NodeError } from '../errors';

export const SUBWORKFLOW_MODES = ['wait', 'forget'] as const;

export interface SubworkflowParams {
  workflowId: string;
  version: string;
  input?: unknown;
  mode: (typeof SUBWORKFLOW_MODES)[number];
}

/** `latest`, or a published version number. */
export function versionOf(text: string): number | 'latest' {
  if (text.trim() === 'latest') return 'latest';
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new NodeError(`Param "version": "${text.slice(0, 40)}" is neither "latest" nor a version number`, {
      code: 'param-invalid',
      retryable: false,
    });
  return n;
}

export const spec = defineNode({
  type: 'execute-workflow',
  version: 1,
  title: 'Execute workflow',
  description: 'Run another workflow as part of this run: wait for its output, or start it and go on.',
  category: 'flow',
  icon: 'workflow',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Output' }],
  params: {
    workflowId: param.workflow({ label: 'Workflow', placeholder: 'Pick a workflow', required: true }),
    version: param.text({
      label: 'Version',
      description: '"latest": the version published when this node runs. A number pins that published version.',
      placeholder: 'latest',
      default: 'latest',
      expression: false,
      maxLength: 12,
      pattern: { regex: /^(latest|[1-9]\d{0,8})$/, message: 'must be "latest" or a version number' },
    }),
    input: param.anyValue({
      label: 'Input',
      description: 'What the workflow’s trigger receives. By default this node’s input.',
      placeholder: '{{ { "email": $input.email } }}',
      default: '{{ $input }}',
    }),
    mode: param.select({
      label: 'Then',
      placeholder: 'wait',
      values: SUBWORKFLOW_MODES,
      options: [
        { value: 'wait', label: 'Wait for it to finish; its output is this node’s output' },
        { value: 'forget', label: 'Start it and go on; the output is its run id' },
      ],
      default: 'wait',
      expression: false,
    }),
  },
  runtime: {
    kind: 'subworkflow',
    target: (p: SubworkflowParams) => ({
      workflowId: p.workflowId,
      version: versionOf(p.version),
      wait: p.mode === 'wait',
      input: p.input ?? null,
    }),
  },
});
