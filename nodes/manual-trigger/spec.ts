// Starts a run from the editor's "Run" button or the API. Its output is the run's trigger payload.
import { defineNode, param } from '../define';

export const spec = defineNode({
  type: 'manual-trigger',
  version: 1,
  title: 'Manual trigger',
  description: 'Start the workflow by hand, from the editor or the API.',
  category: 'trigger',
  icon: 'play',
  inputs: [],
  outputs: [{ id: 'out', label: 'Output' }],
  params: {
    samplePayload: param.json({
      label: 'Sample payload',
      description: 'JSON used as the trigger payload when a manual run is started without one.',
      placeholder: '{ "email": "ada@example.com" }',
      expression: false,
    }),
  },
  runtime: { kind: 'trigger', binding: 'manual', manualPayload },
});

/** The payload of a manual run: what the caller sent, else the sample payload, else an empty object. */
function manualPayload(params: { samplePayload?: unknown }, provided: unknown): unknown {
  if (provided !== undefined) return provided;
  return params.samplePayload ?? {};
}
