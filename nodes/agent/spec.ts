// An agent: a model that may call tools (Baton nodes, HTTP endpoints, MCP servers, sub-workflows, sub-agents) in a
// loop until it answers or runs out of iterations. Every model call and tool call is a durable step
// (workflows/agents.ts); tools marked "needs approval" wait for people first.
import { defineNode, param, PARAM_LIMITS } from '../define';
import { checkModelParams, modelParams } from '../llm/model-params';
import { toolListProblems } from './tools';

export const AGENT_PORTS = { out: 'out', maxIterations: 'maxIterations' } as const;
export const CONVERSATIONS = ['single', 'chat'] as const;

export const spec = defineNode({
  type: 'agent',
  version: 1,
  title: 'Agent',
  description: 'A model that calls tools until it has an answer; each call is recorded, costed and crash-safe.',
  category: 'ai',
  icon: 'bot',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [
    { id: AGENT_PORTS.out, label: 'Answer' },
    { id: AGENT_PORTS.maxIterations, label: 'Max iterations' },
  ],
  params: {
    ...modelParams,
    tools: param.json({
      label: 'Tools',
      description:
        'A JSON list of tools: {"kind":"node","name":"…","type":"send-email","params":{…}}, {"kind":"http",…}, {"kind":"mcp",…}, {"kind":"workflow",…} or {"kind":"agent",…}; add "needsApproval": true to ask people first.',
      default: [],
      placeholder: '[{ "kind": "http", "name": "weather", "url": "https://api.example.com/weather?city={city}" }]',
      expression: false,
      maxLength: PARAM_LIMITS.long,
    }),
    maxIterations: param.number({
      label: 'Max iterations',
      description: 'Model calls before the agent stops; the transcript so far goes down "Max iterations".',
      int: true,
      min: 1,
      max: 100,
      default: 10,
      placeholder: '10',
      expression: false,
    }),
    conversation: param.select({
      label: 'Conversation',
      description:
        'Chat: after each answer the agent waits for the next message from the chat page (a Chat trigger starts the run), until the person closes the chat or stays idle.',
      values: CONVERSATIONS,
      options: [
        { value: 'single', label: 'One answer' },
        { value: 'chat', label: 'Chat (waits for the next message)' },
      ],
      default: 'single',
      placeholder: 'single',
      expression: false,
    }),
    idleMinutes: param.number({
      label: 'Chat idle limit (minutes)',
      description: 'The chat ends when nobody writes for this long.',
      int: true,
      min: 1,
      max: 60 * 24 * 30,
      default: 60,
      placeholder: '60',
      expression: false,
      showWhen: { param: 'conversation', oneOf: ['chat'] },
    }),
    toolApprovers: param.text({
      label: 'Tool call approvers',
      description:
        'Who decides on tools marked "needsApproval": emails, group slugs and roles (owner, admin, editor), separated by commas. Empty: owners and admins.',
      placeholder: 'owner, admin',
      maxLength: 2000,
    }),
    memoryKey: param.text({
      label: 'Conversation memory key',
      description:
        'Keeps the conversation across runs under this key (e.g. {{ $input.employeeId }}); empty: memory lasts this run only.',
      placeholder: '{{ $input.employeeId }}',
      maxLength: 256,
    }),
  },
  check: (params) => [
    ...checkModelParams(params),
    ...toolListProblems(params.tools ?? []).map((p) => ({
      path: ['tools', ...p.path],
      message: `Param "tools": ${p.message}`,
    })),
  ],
  runtime: { kind: 'agent', tools: true },
  // The timeout applies to each model call and each tool call, not to the whole loop.
  policy: { timeoutMs: 300_000 },
});
