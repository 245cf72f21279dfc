// The params every model-calling node shares (nodes/llm, nodes/agent): which model, its fallback, the prompt, the
// output's shape and the limits. workflows/agents.ts and activities/agents.ts read them under these names.
import { param, PARAM_LIMITS, type ParamProblem } from '../define';

export const OUTPUT_KINDS = ['text', 'json'] as const;

export const modelParams = {
  model: param.model({
    label: 'Model',
    description: 'A model of this workspace (Models page). Local models run on the gpu workers, others on default.',
    placeholder: 'Pick a model',
    required: true,
  }),
  fallbackModel: param.model({
    label: 'Fallback model',
    description: 'Tried when the model fails with a rate limit, a timeout, a server error or a too-long prompt.',
    placeholder: 'None',
  }),
  system: param.textarea({
    label: 'System prompt',
    description: 'Instructions the model follows throughout. May use expressions.',
    placeholder: 'You are a careful HR assistant.',
  }),
  prompt: param.textarea({
    label: 'Prompt',
    description: 'The request, usually built from the input with expressions.',
    placeholder: 'Summarise this candidate: {{ $input }}',
    required: true,
  }),
  output: param.select({
    label: 'Output',
    values: OUTPUT_KINDS,
    options: [
      { value: 'text', label: 'Text' },
      { value: 'json', label: 'JSON matching a schema' },
    ],
    default: 'text',
    placeholder: 'text',
    expression: false,
  }),
  schema: param.json({
    label: 'Output schema',
    description: 'A JSON Schema the answer must match; a mismatch is sent back to the model with the error.',
    placeholder: '{ "type": "object", "properties": { "score": { "type": "number" } }, "required": ["score"] }',
    showWhen: { param: 'output', oneOf: ['json'] },
    expression: false,
    maxLength: PARAM_LIMITS.text,
  }),
  reasks: param.number({
    label: 'Re-asks on a mismatch',
    description: 'How many times an answer that does not match the schema is sent back before the node fails.',
    int: true,
    min: 0,
    max: 5,
    default: 2,
    placeholder: '2',
    expression: false,
  }),
  maxTokens: param.number({
    label: 'Max tokens per call',
    int: true,
    min: 1,
    max: 200_000,
    default: 1024,
    placeholder: '1024',
    expression: false,
  }),
  temperature: param.number({
    label: 'Temperature',
    description: "Randomness of the answer, 0 to 2; empty: the model's default.",
    placeholder: '0.2',
    min: 0,
    max: 2,
    expression: false,
  }),
  budgetUsd: param.number({
    label: 'Budget (US$ per run)',
    description:
      "The run stops with an error once its model calls have cost this much (all nodes' calls in the run). Empty: no limit.",
    placeholder: 'No limit',
    min: 0,
    max: 1_000_000,
    expression: false,
  }),
};

export function checkModelParams(params: Record<string, unknown>): ParamProblem[] {
  if (params.output !== 'json') return [];
  const schema = params.schema;
  if (schema === undefined || schema === null || schema === '')
    return [
      { path: ['schema'], message: 'Param "schema": give the JSON Schema the answer must match', incomplete: true },
    ];
  if (typeof schema !== 'object' || Array.isArray(schema))
    return [{ path: ['schema'], message: 'Param "schema": must be a JSON Schema object, e.g. { "type": "object" }' }];
  return [];
}
