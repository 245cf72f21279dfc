// The listing graph keeps the workflow's shape but none of its credential ids or secret values, wherever they sit
// (credential params, secret params, ids pasted into free text, lists and notes), and the manifest derives node
// types, credential types, inputs and permissions from the graph.
import { MarketplaceError } from '../../contracts/marketplace';
import { registry } from '../../nodes/index';
import type { DocumentNode, WorkflowDocument } from '../types';
import { listingGraphOf, listingTablesOf, manifestOf, tableTargetsOf, type SpecLookup } from './manifest';

const cred = (n: number) => `cred_${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;
const SECRETS = ['hook-shared-secret-XYZ', 'basic-password-XYZ'];
const CREDENTIALS = [1, 2, 3, 4, 5, 6, 7, 8].map(cred);

let x = 0;
const node = (id: string, type: string, params: Record<string, unknown>, extra: Partial<DocumentNode> = {}) => ({
  id,
  type,
  version: registry.latest(type)!.version,
  name: id,
  position: { x: (x += 200), y: 40 },
  params,
  ...extra,
});

const document: WorkflowDocument = {
  nodes: [
    node('hook', 'webhook-trigger', { path: 'in', auth: 'basic', secret: SECRETS[0], basicPassword: SECRETS[1] }),
    node('form', 'form-trigger', {
      title: 'Hire',
      access: 'password',
      password: CREDENTIALS[0],
      fields: [
        { key: 'email', label: 'Work email', type: 'email', required: true },
        { key: 'team', label: 'Team', type: 'text', required: false },
      ],
    }),
    node('api', 'http-request', {
      url: 'https://API.example.com/v1/users',
      authentication: 'credential',
      credential: CREDENTIALS[1],
      headers: { 'X-Copied': `Bearer ${CREDENTIALS[2]}` },
    }),
    node('dynamic', 'http-request', { url: '{{ $input.callback }}' }),
    node('mail', 'send-email', { credential: CREDENTIALS[3], to: 'a@b.test' }),
    node('slack', 'slack', { via: 'api', credential: CREDENTIALS[4], webhook: CREDENTIALS[5] }),
    node(
      'browse',
      'browser',
      {
        credential: CREDENTIALS[6],
        steps: [
          { action: 'goto', target: 'https://portal.example.org/login', value: '', name: '' },
          { action: 'fill', target: 'label=Note', value: `use ${CREDENTIALS[7]}`, name: '' },
        ],
      },
      { notes: `Login with ${CREDENTIALS[7]}` },
    ),
  ],
  edges: [{ id: 'e1', source: 'hook', sourcePort: 'out', target: 'api', targetPort: 'in' }],
  settings: { errorWorkflowId: 'a'.repeat(24) },
};

describe('listingGraphOf', () => {
  const graph = listingGraphOf(document);
  const text = JSON.stringify(graph);

  test.each([...CREDENTIALS, ...SECRETS])('the listing holds no trace of %s', (value) => {
    expect(text).not.toContain(value);
  });

  test('credential params are emptied, secret params removed, everything else kept', () => {
    const params = (id: string) => graph.nodes.find((n) => n.id === id)!.params;
    expect(params('api').credential).toBe('');
    expect(params('slack')).toMatchObject({ credential: '', webhook: '', via: 'api' });
    expect(params('hook')).toEqual({ path: 'in', auth: 'basic' });
    expect(params('api').url).toBe('https://API.example.com/v1/users');
    expect(graph.nodes.map((n) => n.position)).toEqual(document.nodes.map((n) => n.position));
    expect(graph.edges).toEqual(document.edges);
    expect(graph.settings).toEqual({});
  });

  test('the workflow document itself is left as it was', () => {
    expect(document.nodes[0].params.secret).toBe(SECRETS[0]);
  });

  test('a node type this Baton does not know is refused, naming the node', () => {
    const unknown = { ...document, nodes: [{ ...document.nodes[0], type: 'mystery', name: 'Odd step' }] };
    expect(() => listingGraphOf(unknown)).toThrow(MarketplaceError);
    expect(() => listingGraphOf(unknown)).toThrow(/Node "Odd step" \(hook\) is mystery@1/);
  });
});

describe('manifestOf', () => {
  const manifest = manifestOf(document, '0.1.0');

  test('lists node types once each, the credential types per param, and the form inputs', () => {
    expect(manifest.nodes.map((n) => n.type)).toEqual([
      'browser',
      'form-trigger',
      'http-request',
      'send-email',
      'slack',
      'webhook-trigger',
    ]);
    expect(manifest.credentials).toContainEqual({
      nodeId: 'form',
      nodeName: 'form',
      param: 'password',
      types: ['form-password'],
    });
    expect(manifest.credentials.filter((c) => c.nodeId === 'slack').map((c) => c.types)).toEqual([
      ['slack-bot'],
      ['slack-webhook'],
    ]);
    expect(manifest.inputs).toEqual([
      { key: 'email', label: 'Work email', type: 'email', required: true },
      { key: 'team', label: 'Team', type: 'text', required: false },
    ]);
    expect(manifest.minBatonVersion).toBe('0.1.0');
  });

  test('permissions: literal hosts, `*` for an expression, browser and email; no gpu here', () => {
    expect(manifest.permissions).toEqual({
      domains: ['*', 'api.example.com', 'portal.example.org'],
      browser: true,
      gpu: false,
      email: true,
    });
  });

  test('a node on the gpu queue asks for the gpu permission', () => {
    const base = registry.latest('set-fields')!;
    const specs: SpecLookup = {
      get: (type, version) =>
        type === 'local-vision'
          ? { ...base, type, runtime: { kind: 'activity', taskQueue: 'gpu' } }
          : registry.get(type, version),
    };
    const doc: WorkflowDocument = {
      nodes: [{ ...node('see', 'set-fields', {}), type: 'local-vision', version: base.version }],
      edges: [],
      settings: {},
    };
    expect(manifestOf(doc, '0.1.0', specs).permissions).toEqual({
      domains: [],
      browser: false,
      gpu: true,
      email: false,
    });
  });
});

describe('data tables', () => {
  const TABLE_A = 'dt_00000000-0000-4000-8000-00000000000a';
  const TABLE_B = 'dt_00000000-0000-4000-8000-00000000000b';
  const tables: WorkflowDocument = {
    nodes: [
      node('log', 'data-table', { table: TABLE_A, operation: 'insert', values: {} }),
      node('again', 'data-table', { table: TABLE_A, operation: 'insert', values: {} }),
      node('other', 'data-table', { table: TABLE_B, operation: 'insert', values: {} }),
      node('picked', 'data-table', { table: '{{ $input.table }}', operation: 'insert', values: {} }),
      node('unset', 'data-table', { table: '', operation: 'insert', values: {} }),
    ],
    edges: [],
    settings: {},
  };

  test('the listing graph empties every table param; an expression is emptied too (it may name a table id)', () => {
    const graph = listingGraphOf(tables);
    expect(graph.nodes.map((n) => n.params.table)).toEqual(['', '', '', '', '']);
    expect(JSON.stringify(graph)).not.toContain('dt_');
  });

  test('one need per distinct literal table, its targets in graph order; expressions and empty params name none', () => {
    const targets = tableTargetsOf(tables);
    expect([...targets]).toEqual([
      [
        TABLE_A,
        [
          { nodeId: 'log', param: 'table' },
          { nodeId: 'again', param: 'table' },
        ],
      ],
      [TABLE_B, [{ nodeId: 'other', param: 'table' }]],
    ]);
    const columns = [{ name: 'Item', type: 'string' as const }];
    const described = new Map([
      [TABLE_A, { name: 'IT equipment!', columns }],
      [TABLE_B, { name: 'it  equipment', columns: [] }],
    ]);
    expect(listingTablesOf(targets, described).map((t) => [t.key, t.name, t.targets.length])).toEqual([
      ['it-equipment', 'IT equipment!', 2],
      ['it-equipment-2', 'it  equipment', 1],
    ]);
  });
});
