// The answers both install wizards send, checked on the server against the real FerretDB (docs/decisions/069): a
// credential param accepting several types (the HTTP node's) takes a credential of any of them, in "use template"
// and in a marketplace install, and refuses another type naming the node and param; "use template" creates the new
// table in the caller's workspace with the template's columns, and refuses another workspace's table id, an
// unknown table key or a missing input without creating any table or workflow. Fixture template:
// test/fixtures/templates-install/api-sync (manual trigger → HTTP request with a credential → data table insert).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { MarketplaceError } from '../../contracts/marketplace';
import { connectDb, disconnectDb } from '../../db/connection';
import { createCredential } from '../../db/credentials';
import { createDataTable, getDataTable, listDataTables } from '../../db/data-tables';
import { createListing } from '../../db/marketplace-listings';
import { createUser } from '../../db/users';
import { ENCRYPTION_KEY_ENV } from '../../db/vault-key';
import { getWorkflow, listWorkflows } from '../../db/workflows';
import { createWorkspace, membershipOf, scopeOf } from '../../db/workspaces';
import { listingGraphOf, manifestOf } from '../../ir/marketplace/manifest';
import type { WorkflowDocument } from '../../ir/types';
import { REPO_ROOT, testDatabaseUri } from '../../test/stack';
import type { Caller } from './caller.server';
import { currentBatonVersion } from './marketplace.server';
import { installListing } from './marketplace-install.server';
import { createFromTemplate, credentialNeeds, findTemplate, type TemplateUse } from './templates.server';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'templates-install');
const HTTP_TYPES = ['http-header-auth', 'basic-auth', 'bearer-token', 'oauth2-client-credentials'];
const saved = {
  home: process.env.BATON_HOME,
  key: process.env[ENCRYPTION_KEY_ENV],
  templates: process.env.BATON_TEMPLATES_DIR,
};
let home: string;
let bob: Caller;
let carol: Caller;
const creds = { basic: '', header: '', smtp: '' };

async function callerIn(workspace: string, email: string): Promise<Caller> {
  const user = await createUser({ email, name: email.split('@')[0], password: 'install-choices-password' });
  const ws = await createWorkspace({ name: workspace, ownerId: user.id });
  return { user, via: 'session', scope: scopeOf((await membershipOf(ws.id, user.id))!) };
}

const paramsOf = (document: unknown, nodeId: string) =>
  (document as WorkflowDocument).nodes.find((n) => n.id === nodeId)!.params as Record<string, unknown>;

/** "Use template" on the fixture; the answer's status and JSON body. */
async function useTemplate(caller: Caller, use: TemplateUse) {
  const res = await createFromTemplate(caller, 'api-sync', use, '127.0.0.1');
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const endpoint = { endpoint: 'https://api.example.com/items' };

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'baton-install-choices-'));
  process.env.BATON_HOME = home;
  process.env.BATON_TEMPLATES_DIR = FIXTURES;
  delete process.env[ENCRYPTION_KEY_ENV];
  await connectDb(testDatabaseUri('baton_test_install_choices'));
  await mongoose.connection.db!.dropDatabase();
  await mongoose.connection.syncIndexes();
  bob = await callerIn('Installer Inc', 'bob@choices.test');
  carol = await callerIn('Other Co', 'carol@choices.test');
  const smtp = { host: 'mail.example.com', port: 587, secure: false, user: 'u', password: 'p', from: '' };
  creds.basic = (
    await createCredential(bob.scope, { name: 'API basic', type: 'basic-auth', values: { user: 'u', password: 'p' } })
  ).id;
  creds.header = (
    await createCredential(bob.scope, {
      name: 'API header',
      type: 'http-header-auth',
      values: { name: 'X-Api-Key', value: 'k' },
    })
  ).id;
  creds.smtp = (await createCredential(bob.scope, { name: 'Mail', type: 'smtp', values: smtp })).id;
});

afterAll(async () => {
  await disconnectDb();
  rmSync(home, { recursive: true, force: true });
  for (const [env, value] of [
    ['BATON_HOME', saved.home],
    [ENCRYPTION_KEY_ENV, saved.key],
    ['BATON_TEMPLATES_DIR', saved.templates],
  ] as const) {
    if (value === undefined) delete process.env[env];
    else process.env[env] = value;
  }
});

describe('a credential param accepting several types', () => {
  test('the template wizard is offered every type the HTTP node accepts, the template’s own first', () => {
    const template = findTemplate('api-sync');
    expect(template).toBeDefined();
    expect(credentialNeeds(template!).map((c) => [c.key, c.types])).toEqual([['api', HTTP_TYPES]]);
  });

  test('use template takes a credential of the second type and the node points at it', async () => {
    const { status, body } = await useTemplate(bob, { inputs: endpoint, credentials: { api: creds.basic } });
    expect(status).toBe(201);
    const saved = await getWorkflow(bob.scope, body.workflow.id);
    expect(paramsOf(saved!.document, 'fetch')).toMatchObject({
      credential: creds.basic,
      url: endpoint.endpoint,
      authentication: 'credential',
    });
  });

  test('use template refuses a type the param does not accept, naming the node and param', async () => {
    const before = (await listWorkflows(bob.scope)).length;
    const { status, body } = await useTemplate(bob, { inputs: endpoint, credentials: { api: creds.smtp } });
    expect(status).toBe(400);
    expect(body.error.message).toBe(
      'Credential "api" (API key): "Mail" is a smtp credential; node "Fetch items" (fetch) param "credential" ' +
        `accepts ${HTTP_TYPES.join(' or ')}.`,
    );
    expect(body.error.field).toEqual({ kind: 'credential', key: 'api' });
    expect(await listWorkflows(bob.scope)).toHaveLength(before);
  });

  test('a marketplace install takes any accepted type and refuses another naming the node and param', async () => {
    const document = JSON.parse(
      readFileSync(path.join(FIXTURES, 'api-sync', 'workflow.json'), 'utf8'),
    ) as WorkflowDocument;
    const { listing } = await createListing({
      publisherWorkspaceId: carol.scope.workspaceId,
      workflowId: 'c'.repeat(24),
      meta: {
        title: 'API sync',
        description: '',
        category: 'Operations',
        tags: [],
        icon: '',
        visibility: 'instance',
      },
      content: {
        version: '1.0.0',
        changelog: '',
        manifest: manifestOf(document, currentBatonVersion()),
        graph: listingGraphOf(document),
      },
    });
    for (const id of [creds.header, creds.basic]) {
      const { workflow } = await installListing(bob, listing.id, { credentials: { 'fetch.credential': id } });
      expect(paramsOf((await getWorkflow(bob.scope, workflow.id))!.document, 'fetch').credential).toBe(id);
    }
    await expect(installListing(bob, listing.id, { credentials: { 'fetch.credential': creds.smtp } })).rejects.toThrow(
      new MarketplaceError(
        'invalid',
        'Credential for node "Fetch items" (fetch), param credential: "Mail" is a smtp credential; this node needs ' +
          `${HTTP_TYPES.join(' or ')}.`,
      ),
    );
  });
});

describe('tables made by use template', () => {
  test('a new table is created on the server in the caller’s workspace with the template’s columns', async () => {
    const before = (await listDataTables(bob.scope)).length;
    const { status, body } = await useTemplate(bob, {
      inputs: endpoint,
      tables: { calls: { mode: 'create', name: 'Bob’s API calls' } },
    });
    expect(status).toBe(201);
    const tableId = paramsOf((await getWorkflow(bob.scope, body.workflow.id))!.document, 'record').table as string;
    const table = await getDataTable(bob.scope, tableId);
    expect(table).toMatchObject({ name: 'Bob’s API calls', workspaceId: bob.scope.workspaceId });
    expect(table!.columns.map((c) => [c.name, c.type, c.required])).toEqual([
      ['Status', 'number', true],
      ['Called at', 'date', false],
    ]);
    expect(await listDataTables(bob.scope)).toHaveLength(before + 1);
    expect(await listDataTables(carol.scope)).toEqual([]);
  });

  test('an existing table of the caller’s workspace is used as it is', async () => {
    const own = await createDataTable(bob.scope, { name: 'Existing calls', columns: [] });
    const { status, body } = await useTemplate(bob, {
      inputs: endpoint,
      tables: { calls: { mode: 'existing', tableId: own.id } },
    });
    expect(status).toBe(201);
    expect(paramsOf((await getWorkflow(bob.scope, body.workflow.id))!.document, 'record').table).toBe(own.id);
  });

  test('another workspace’s table, an unknown key or a missing input is refused, and nothing is created', async () => {
    const theirs = await createDataTable(carol.scope, { name: 'Carol’s calls', columns: [] });
    const tablesBefore = (await listDataTables(bob.scope)).length;
    const workflowsBefore = (await listWorkflows(bob.scope)).length;

    const foreign = await useTemplate(bob, {
      inputs: endpoint,
      tables: { calls: { mode: 'existing', tableId: theirs.id } },
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.message).toBe(
      `Table "calls" (API calls): ${theirs.id} is not a data table of this workspace; ` +
        'create the table or pick one of this workspace’s tables.',
    );
    expect(foreign.body.error.field).toEqual({ kind: 'table', key: 'calls' });

    const unknown = await useTemplate(bob, {
      inputs: endpoint,
      tables: { calls: { mode: 'create', name: 'Never made' }, payroll: { mode: 'create', name: 'Nor this' } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe('Table "payroll" is not a table this workflow needs (it needs: calls).');

    const missingInput = await useTemplate(bob, { tables: { calls: { mode: 'create', name: 'Never made' } } });
    expect(missingInput.status).toBe(400);
    expect(missingInput.body.error.field).toEqual({ kind: 'input', key: 'endpoint' });

    const wrongCredential = await useTemplate(bob, {
      inputs: endpoint,
      credentials: { api: creds.smtp },
      tables: { calls: { mode: 'create', name: 'Never made' } },
    });
    expect(wrongCredential.status).toBe(400);

    expect(await listDataTables(bob.scope)).toHaveLength(tablesBefore);
    expect(await listWorkflows(bob.scope)).toHaveLength(workflowsBefore);
    expect(await getDataTable(carol.scope, theirs.id)).toMatchObject({ name: 'Carol’s calls' });
  });
});
