// Whole n8n files (test/n8n/*.json, written from n8n's export format) → Baton documents: layout, connections,
// placeholders, the summary, and bad input refused with the node and field named.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importN8nWorkflow, N8nImportError } from './import';
import { afterTrigger, compileImported } from './testing';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../test/n8n/${name}.json`, import.meta.url)), 'utf8');

function problemsOf(input: unknown): Array<{ path: string; message: string }> {
  try {
    importN8nWorkflow(input);
  } catch (err) {
    if (err instanceof N8nImportError) return err.problems;
    throw err;
  }
  throw new Error('the import was expected to fail');
}

describe('onboarding-branches.json (manual → Set → If → HTTP | Code → Merge → Wait → Email → No Op)', () => {
  const imported = importN8nWorkflow(fixture('onboarding-branches'));
  const byName = (name: string) => imported.document.nodes.find((n) => n.name === name);
  const edge = (from: string, to: string) =>
    imported.document.edges.find((e) => e.source === byName(from)?.id && e.target === byName(to)?.id);

  it('keeps the name, every node but the sticky note, and the layout (spread for wider cards)', () => {
    expect(imported.name).toBe('New hire onboarding (n8n)');
    expect(imported.document.nodes.map((n) => n.type)).toEqual([
      'manual-trigger',
      'set-fields',
      'if',
      'http-request',
      'code',
      'merge',
      'wait',
      'send-email',
      'set-fields',
    ]);
    expect(byName('Create GitHub invite')?.position).toEqual({ x: 990, y: -150 });
    expect(imported.summary.skipped).toEqual(['1 sticky note(s)']);
  });

  it("maps If's outputs 0 and 1 to its true and false ports", () => {
    expect(edge('Is engineer?', 'Create GitHub invite')).toMatchObject({ sourcePort: 'true', targetPort: 'in' });
    expect(edge('Is engineer?', 'Tag as other')).toMatchObject({ sourcePort: 'false', targetPort: 'in' });
  });

  it("lands Merge's inputs 0 and 1 on its one multi-edge input", () => {
    expect(edge('Create GitHub invite', 'Merge')).toMatchObject({ sourcePort: 'out', targetPort: 'in' });
    expect(edge('Tag as other', 'Merge')).toMatchObject({ sourcePort: 'out', targetPort: 'in' });
  });

  it('lists credentials to pick without importing anything of them, and the expressions to check', () => {
    expect(imported.summary.credentials).toEqual([
      { node: 'Create GitHub invite', n8nType: 'httpHeaderAuth', n8nName: 'GitHub token' },
      { node: 'Send Email', n8nType: 'smtp', n8nName: 'Company SMTP' },
    ]);
    expect(JSON.stringify(imported.document)).not.toMatch(/GitHub token|Company SMTP/);
    expect(imported.summary.expressions).toEqual([
      { node: 'Send Email', field: 'text', expression: "$json.fullName.split(' ')[0]" },
    ]);
  });

  it('compiles with nothing blocking the draft', () => {
    expect(compileImported(imported.document).blocking).toEqual([]);
  });
});

test('webhook-legacy.json (v1 nodes) compiles to a runnable plan', () => {
  const imported = importN8nWorkflow(fixture('webhook-legacy'));
  expect(imported.summary.placeholders).toEqual([]);
  expect(imported.summary.expressions).toEqual([
    { node: 'HTTP Request', field: 'bodyParametersJson', expression: 'JSON.stringify($json)' },
  ]);
  const { result } = compileImported(imported.document);
  expect(result.ok).toBe(true);
});

describe('schedule-unknown.json: unknown nodes become disabled placeholders', () => {
  const imported = importN8nWorkflow(fixture('schedule-unknown'));
  const sheet = imported.document.nodes.find((n) => n.name === 'Read sheet');

  it('keeps the original type and parameters and says what to replace it with', () => {
    expect(sheet).toMatchObject({
      type: 'n8n-placeholder',
      disabled: true,
      params: {
        originalType: 'n8n-nodes-base.googleSheets',
        originalTypeVersion: 4.5,
        replaceWith: 'Data table, or HTTP request to the Google Sheets API',
        originalParameters: {
          operation: 'read',
          documentId: { __rl: true, value: '1AbC', mode: 'id' },
          sheetName: { __rl: true, value: 'gid=0', mode: 'list' },
        },
      },
    });
    expect(imported.summary.placeholders.map((p) => p.node)).toEqual(['Read sheet', 'Route by status']);
  });

  it("connects every output of an unknown Switch from the placeholder's one output", () => {
    const route = imported.document.nodes.find((n) => n.name === 'Route by status')?.id;
    const out = imported.document.edges.filter((e) => e.source === route);
    expect(out.map((e) => e.sourcePort)).toEqual(['out', 'out']);
  });

  it('compiles: disabled placeholders pass their input through', () => {
    expect(compileImported(imported.document).blocking).toEqual([]);
  });
});

test('a node Baton would refuse as written is turned off and the reason listed', () => {
  const imported = importN8nWorkflow(
    afterTrigger({ name: 'Mail', type: 'n8n-nodes-base.emailSend', parameters: { subject: '={{ $json.a === 1 }}' } }),
  );
  expect(imported.document.nodes[1].disabled).toBe(true);
  expect(imported.summary.disabled).toEqual([{ node: 'Mail', reason: expect.stringContaining('Mail:') }]);
  expect(compileImported(imported.document).blocking).toEqual([]);
});

describe('bad input is refused, naming the node and field', () => {
  const node = { name: 'A', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} };

  it.each([
    ['text that is not JSON', '{ "nodes": [', 'file', /is not JSON/],
    ['a JSON array', '[]', 'file', /JSON object/],
    ['nodes not an array', { nodes: {}, connections: {} }, 'nodes', /must be an array/],
    ['a node that is not an object', { nodes: [7] }, 'nodes[0]', /must be an object/],
    ['a type that is not a string', { nodes: [{ ...node, type: 5 }] }, 'node "A".type', /n8n node type/],
    ['a position that is not [x, y]', { nodes: [{ ...node, position: ['a', 1] }] }, 'node "A".position', /\[x, y\]/],
    ['a position far off the canvas', { nodes: [{ ...node, position: [1e9, 0] }] }, 'node "A".position', /between/],
    ['parameters that are a list', { nodes: [{ ...node, parameters: [] }] }, 'node "A".parameters', /object/],
    ['two nodes with one name', { nodes: [node, node] }, 'node "A".name', /two nodes/],
    [
      'a connection to a missing node',
      { nodes: [node], connections: { A: { main: [[{ node: 'Ghost', type: 'main', index: 0 }]] } } },
      'connections["A"].main[0][0].node',
      /"Ghost" is not a node in the file/,
    ],
    [
      'a connection from a missing node',
      { nodes: [node], connections: { Ghost: { main: [[{ node: 'A', type: 'main', index: 0 }]] } } },
      'connections["Ghost"]',
      /not a node in the file/,
    ],
    [
      'a <script> in a name',
      { nodes: [{ ...node, name: '<script>alert(1)</script>' }] },
      'nodes[0].name',
      /HTML markup/,
    ],
    [
      'a control character in a name',
      { nodes: [{ ...node, name: 'A\u0000B' }] },
      'nodes[0].name',
      /control characters/,
    ],
  ])('%s', (_what, input, path, message) => {
    expect(problemsOf(input)).toEqual(expect.arrayContaining([{ path, message: expect.stringMatching(message) }]));
  });

  it('a __proto__ key inside parameters, named down to the key', () => {
    const problems = problemsOf(
      `{"nodes":[{"name":"A","type":"n8n-nodes-base.set","parameters":{"x":{"__proto__":{"p":1}}}}]}`,
    );
    expect(problems).toEqual([
      { path: expect.stringMatching(/^node "A"\.parameters\.x/), message: expect.any(String) },
    ]);
  });

  it('a 20 MB file, before parsing it', () => {
    const huge = JSON.stringify({ nodes: [{ ...node, parameters: { blob: 'x'.repeat(20 * 1024 * 1024) } }] });
    expect(problemsOf(huge)).toEqual([{ path: 'file', message: 'is 20.0 MB; the limit is 5 MB' }]);
  });

  it('an output the Baton node does not have', () => {
    const problems = problemsOf({
      nodes: [node, { ...node, name: 'B' }],
      connections: { A: { main: [[], [{ node: 'B', type: 'main', index: 0 }]] } },
    });
    expect(problems).toEqual([
      { path: 'connections["A"].main[1]', message: expect.stringMatching(/output 1 does not exist/) },
    ]);
  });

  it('the error message lists the problems', () => {
    expect(() => importN8nWorkflow('nope')).toThrow(/The n8n file cannot be imported: file: is not JSON/);
  });
});
