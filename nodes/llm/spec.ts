// Asks a model once: a prompt (and system prompt) with expressions, answered as text or as JSON matching a schema.
// A JSON answer that does not parse or match is sent back with the validation error, a bounded number of times.
// The call is a durable step of its own (workflows/agents.ts): a crash after it never pays for it again.
import { defineNode } from '../define';
import { checkModelParams, modelParams } from './model-params';

export const spec = defineNode({
  type: 'llm',
  version: 1,
  title: 'LLM',
  description: 'Ask a model: text or JSON that matches a schema, with token use and cost recorded.',
  category: 'ai',
  icon: 'sparkles',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Answer' }],
  params: modelParams,
  check: checkModelParams,
  runtime: { kind: 'agent', tools: false },
  // The timeout applies to each model call and each tool call, not to the whole loop.
  policy: { timeoutMs: 300_000 },
});
