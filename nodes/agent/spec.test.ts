// The LLM and Agent nodes as the compiler sees them, the tools list's checks, and the tool schema a Baton node makes.
import { compilePlan } from '../../ir/compile';
import type { WorkflowDocument } from '../../ir/types';
import { workflowDoc } from '../../test/run-harness';
import { parseJsonAnswer, schemaProblem } from '../../activities/agent-end';
import { registry } from '../index';
import { nodeToolSchema } from './tool-schema';
import { toolListProblems } from './tools';

const MODEL = 'mdl_00000000-0000-4000-8000-000000000001';

const doc = (type: string, params: Record<string, unknown>, settings: WorkflowDocument['settings'] = {}) => ({
  ...workflowDoc(
    [
      { id: 'Start', type: 'manual-trigger' },
      { id: 'Ask', type, params },
    ],
    [['Start', 'Ask']],
  ),
  settings,
});
const compile = (type: string, params: Record<string, unknown>, settings?: WorkflowDocument['settings']) =>
  compilePlan(doc(type, params, settings), { workflowId: 'wf', name: 'wf' });
const problems = (type: string, params: Record<string, unknown>, settings?: WorkflowDocument['settings']) => {
  const result = compile(type, params, settings);
  return result.ok ? [] : result.diagnostics.map((d) => ({ code: d.code, path: d.path, message: d.message }));
};

test('both compile to nodes the interpreter runs as agent loops; the agent has a "Max iterations" output', () => {
  const llm = compile('llm', { model: MODEL, prompt: 'Hi' });
  const agent = compile('agent', { model: MODEL, prompt: 'Hi', tools: [] });
  expect(llm.ok && llm.plan.nodes.Ask.kind).toBe('agent');
  expect(agent.ok && agent.plan.nodes.Ask.kind).toBe('agent');
  expect(registry.latest('agent')!.outputs.map((o) => o.id)).toEqual(['out', 'maxIterations']);
});

test('a model is required and must be a registry id; a JSON output needs a schema object', () => {
  expect(problems('llm', { prompt: 'Hi' })).toEqual([
    expect.objectContaining({ path: ['nodes', 1, 'params', 'model'], message: expect.stringContaining('model') }),
  ]);
  expect(problems('llm', { model: 'gpt-4o', prompt: 'Hi' })[0].message).toContain('must be the id of a model');
  expect(problems('llm', { model: MODEL, prompt: 'Hi', output: 'json', schema: [1] })[0].message).toContain(
    'must be a JSON Schema object',
  );
});

test('express workflows refuse model nodes, naming the node', () => {
  expect(problems('llm', { model: MODEL, prompt: 'Hi' }, { mode: 'express' })).toEqual([
    expect.objectContaining({
      code: 'express-waits',
      message: expect.stringContaining('call models in a durable loop'),
    }),
  ]);
});

test('the tools list: each row is checked, names are unique, sub-agents name tools that exist', () => {
  expect(toolListProblems({})).toEqual([{ path: [], message: 'must be a list of tools (a JSON array)' }]);
  expect(
    toolListProblems([
      { kind: 'http', name: 'weather', url: 'https://api.example.com/{city}' },
      { kind: 'http', name: 'weather', url: 'https://api.example.com/2' },
      { kind: 'node', name: 'bad name!', type: 'send-email' },
      { kind: 'mcp', name: 'files' },
      { kind: 'agent', name: 'helper', system: 'Help.', tools: ['weather', 'nothing'] },
      { kind: 'rocket', name: 'x' },
    ]).map((p) => p.message),
  ).toEqual([
    'tool "weather" is named twice (tools 1 and 2)',
    expect.stringContaining('tool 3: must be 1 to 64 letters'),
    'tool "files": give either "server" (stdio) or "credential" (HTTP)',
    expect.stringContaining('tool 6: Invalid discriminator value'),
    'sub-agent "helper" names no tool "nothing"',
  ]);
  const compiled = problems('agent', { model: MODEL, prompt: 'Hi', tools: [{ kind: 'node', name: 'x' }] });
  expect(compiled[0]).toMatchObject({ path: ['nodes', 1, 'params', 'tools', 0, 'type'] });
  expect(compiled[0].message).toContain('Param "tools": tool 1');
});

test("a node as a tool: its params become the arguments' schema, without what only the author may set", () => {
  const schema = nodeToolSchema(registry.latest('http-request')!, { method: 'GET' }) as {
    properties: Record<string, { type?: string; enum?: string[] }>;
    required?: string[];
  };
  expect(schema.properties.url).toMatchObject({ type: 'string' });
  expect(schema.properties.bodyType.enum).toEqual(['none', 'json', 'text']);
  expect(schema.properties).not.toHaveProperty('method'); // fixed by the author
  expect(schema.properties).not.toHaveProperty('credential'); // a credential is never the model's choice
  expect(schema.required).toContain('url');
});

test('answers as JSON: fenced or bare, checked against the schema with the error in words', () => {
  expect(parseJsonAnswer('```json\n{"a": 1}\n```')).toEqual({ ok: true, value: { a: 1 } });
  expect(parseJsonAnswer('{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  expect(parseJsonAnswer('Sure: a is 1')).toMatchObject({ ok: false, problem: expect.stringContaining('not JSON') });
  const schema = { type: 'object', properties: { a: { type: 'number' } }, required: ['a'] };
  expect(schemaProblem(schema, { a: 1 })).toBeUndefined();
  expect(schemaProblem(schema, { a: 'one' })).toBe('/a must be number');
  expect(schemaProblem(schema, {})).toContain("must have required property 'a'");
});
