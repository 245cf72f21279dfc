// The templates API through the real web server, with the fixture template (test/fixtures/templates/hello): the
// gallery cards and a template's detail; "use template" builds the workflow server-side with the answers written
// into their nodes (a table chosen as new is created with it); refusals name the input or credential key (a
// credential of another workspace, one of the wrong type, a missing input); a viewer may look but not use; a
// client-built document is not accepted. And the README renderer shows hostile markup as text.
import { join } from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import mongoose from 'mongoose';
import { REPO_ROOT } from '../test/stack';
import { parseReadme } from './components/templates/readme-blocks';
import { TemplateReadme } from './components/templates/TemplateReadme';
import { startWebStack, type WebStack, viewerAndOutsider } from './web-test-stack';

let stack: WebStack;
let viewerToken: string;
let otherToken: string;

beforeAll(async () => {
  stack = await startWebStack('templates', {
    env: { BATON_TEMPLATES_DIR: join(REPO_ROOT, 'test', 'fixtures', 'templates') },
  });
  await mongoose.connect(stack.mongoUri);
  ({ viewerToken, otherToken } = await viewerAndOutsider());
}, 240_000);

afterAll(async () => {
  await mongoose.disconnect();
  await stack?.stop();
});

const unique = () => Math.random().toString(36).slice(2, 8);

async function smtpCredential(token?: string) {
  const res = await stack.api(
    'POST',
    '/api/credentials',
    {
      name: `Mail ${unique()}`,
      type: 'smtp',
      values: { host: '127.0.0.1', port: 1025, secure: false, from: 'hr@acme.test' },
    },
    token ? { token } : {},
  );
  expect(res.status).toBe(201);
  return res.body.credential.id as string;
}

describe('the catalog', () => {
  test('GET /api/templates lists the cards with node types and needed credentials', async () => {
    const res = await stack.api('GET', '/api/templates', undefined, { token: viewerToken });
    expect(res.status).toBe(200);
    expect(res.body.templates).toHaveLength(1);
    const [card] = res.body.templates;
    expect(card).toMatchObject({ slug: 'hello', title: 'Hello mail', category: 'Operations', tags: ['test', 'email'] });
    expect(card.nodes.map((n: { type: string }) => n.type)).toEqual([
      'manual-trigger',
      'set-fields',
      'send-email',
      'data-table',
    ]);
    expect(card.credentials).toEqual([{ key: 'mail', label: 'Mail server', type: 'smtp', typeTitle: 'SMTP' }]);
    expect(card.document).toBeUndefined();
  });

  test('GET /api/templates/:slug has the document and README; an unknown slug is a 404 naming it', async () => {
    const res = await stack.api('GET', '/api/templates/hello');
    expect(res.status).toBe(200);
    expect(res.body.template.document.nodes).toHaveLength(4);
    expect(res.body.template.readme).toContain('Node by node');
    const missing = await stack.api('GET', '/api/templates/no-such-thing');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('"no-such-thing"');
  });
});

describe('using a template', () => {
  test('creates the workflow in the caller’s workspace with inputs, credential and table in their nodes', async () => {
    const credential = await smtpCredential();
    const table = await stack.api('POST', '/api/data-tables', {
      name: `Greeted ${unique()}`,
      columns: [{ name: 'Email', type: 'string', required: true, unique: true }],
    });
    expect(table.status).toBe(201);
    const res = await stack.api('POST', '/api/templates/hello/workflows', {
      name: 'Greeter',
      inputs: { companyName: 'Globex', greeterEmail: 'hi@globex.test' },
      credentials: { mail: credential },
      tables: { greeted: table.body.table.id },
    });
    expect(res.status).toBe(201);
    const saved = await stack.api('GET', `/api/workflows/${res.body.workflow.id}`);
    expect(saved.body.workflow.name).toBe('Greeter');
    const params = (id: string) =>
      saved.body.workflow.document.nodes.find((n: { id: string }) => n.id === id).params as Record<string, unknown>;
    expect(params('settings').fields).toEqual({ companyName: 'Globex', greeterEmail: 'hi@globex.test' });
    expect(params('greet').credential).toBe(credential);
    expect(params('record').table).toBe(table.body.table.id);
    expect(res.body.warnings).toEqual([]);
  });

  test('a table chosen as new is created on the server with the workflow; a refused one makes none', async () => {
    const before = (await stack.api('GET', '/api/data-tables')).body.tables.length;
    const refused = await stack.api('POST', '/api/templates/hello/workflows', {
      inputs: { companyName: 'X' },
      tables: { greeted: { mode: 'create', name: 'Never made' } },
    });
    expect(refused.status).toBe(400);
    expect((await stack.api('GET', '/api/data-tables')).body.tables).toHaveLength(before);
    const res = await stack.api('POST', '/api/templates/hello/workflows', {
      inputs: { greeterEmail: 'a@b.test' },
      tables: { greeted: { mode: 'create', name: `Greeted ${unique()}` } },
    });
    expect(res.status).toBe(201);
    const tables = (await stack.api('GET', '/api/data-tables')).body.tables as Array<{ id: string; name: string }>;
    expect(tables).toHaveLength(before + 1);
    const saved = await stack.api('GET', `/api/workflows/${res.body.workflow.id}`);
    const record = saved.body.workflow.document.nodes.find((n: { id: string }) => n.id === 'record');
    expect(tables.map((t) => t.id)).toContain(record.params.table);
  });

  test('without a credential the workflow is saved as a draft, the empty credential a warning', async () => {
    const res = await stack.api('POST', '/api/templates/hello/workflows', { inputs: { greeterEmail: 'a@b.test' } });
    expect(res.status).toBe(201);
    expect(res.body.workflow.name).toBe('Hello mail');
    expect(res.body.warnings.map((w: { nodeId: string }) => w.nodeId)).toContain('record');
  });

  test('a viewer may read the catalog but not use a template', async () => {
    const res = await stack.api(
      'POST',
      '/api/templates/hello/workflows',
      { inputs: { greeterEmail: 'a@b.test' } },
      { token: viewerToken },
    );
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('workflow.write');
  });

  test('a credential of another workspace is refused naming the credential key', async () => {
    const foreign = await smtpCredential(otherToken);
    const res = await stack.api('POST', '/api/templates/hello/workflows', {
      inputs: { greeterEmail: 'a@b.test' },
      credentials: { mail: foreign },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      `Credential "mail" (Mail server): ${foreign} is not a credential of this workspace`,
    );
    expect(res.body.error.field).toEqual({ kind: 'credential', key: 'mail' });
  });

  test('a credential of the wrong type is refused naming the key, the node, the param and both types', async () => {
    const bearer = await stack.api('POST', '/api/credentials', {
      name: `Key ${unique()}`,
      type: 'bearer-token',
      values: { token: 'secret-value' },
    });
    const res = await stack.api('POST', '/api/templates/hello/workflows', {
      inputs: { greeterEmail: 'a@b.test' },
      credentials: { mail: bearer.body.credential.id },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /^Credential "mail" \(Mail server\): ".*" is a bearer-token credential; node "Greeting" \(greet\) param "credential" accepts smtp\.$/,
    );
    expect(JSON.stringify(res.body)).not.toContain('secret-value');
  });

  test('a missing required input and a table of another workspace are refused naming the key', async () => {
    const missing = await stack.api('POST', '/api/templates/hello/workflows', { inputs: { companyName: 'X' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe('Input "greeterEmail" (Greeter email) is required.');
    expect(missing.body.error.field).toEqual({ kind: 'input', key: 'greeterEmail' });
    const foreignTable = await stack.api(
      'POST',
      '/api/data-tables',
      { name: `Theirs ${unique()}` },
      { token: otherToken },
    );
    const res = await stack.api('POST', '/api/templates/hello/workflows', {
      inputs: { greeterEmail: 'a@b.test' },
      tables: { greeted: foreignTable.body.table.id },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('Table "greeted" (Greeted people)');
  });

  test('a client-built document is not accepted', async () => {
    const res = await stack.api('POST', '/api/templates/hello/workflows', {
      inputs: { greeterEmail: 'a@b.test' },
      document: { nodes: [], edges: [] },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('document');
  });
});

describe('the README renderer', () => {
  test('hostile markup in a README shows as text, and the Markdown subset becomes elements', () => {
    const source = [
      '# The template title (the page shows it already)',
      '## Title <img src=x onerror="alert(1)">',
      '',
      'Some **bold** and `code`.',
      '',
      '- one <script>alert(2)</script>',
      '- two',
      '',
      '| Node | What it does |',
      '|---|---|',
      '| Form | <b>asks</b> |',
    ].join('\n');
    const html = renderToStaticMarkup(createElement(TemplateReadme, { source }));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<td>&lt;b&gt;asks&lt;/b&gt;</td>');
    expect(html).not.toContain('template title');
    expect(parseReadme(source).map((b) => b.kind)).toEqual(['heading', 'paragraph', 'list', 'table']);
  });
});
