// Install, update and rollback of marketplace listings against the real FerretDB (docs/decisions/069): workspace A
// lists HR onboarding, workspace B installs it mapping a credential, edits a node, takes A's next version (its edit
// kept, A's change applied, the credential mapping kept), settles a conflict and rolls back. The refusals: a
// tampered version, a revoked key, a newer minimum Baton, an unknown node type, a credential of the wrong type or of
// another workspace, a mapping naming no credential param, a draft changed since the review. Data tables: a listing
// published from a workflow using one of A's tables carries its name and columns (never its id); B installs creating
// the table or mapping one of its own, A's table is refused, and an update keeps B's table.
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { MarketplaceError, type ListingGraph } from '../../contracts/marketplace';
import { connectDb, disconnectDb } from '../../db/connection';
import { createCredential } from '../../db/credentials';
import { createDataTable, getDataTable, listDataTables } from '../../db/data-tables';
import { addVersion, createListing, getListing } from '../../db/marketplace-listings';
import { revokeKey } from '../../db/publisher-keys';
import { createUser } from '../../db/users';
import {
  createWorkflow,
  getWorkflow,
  publishVersion as publishWorkflowVersion,
  updateWorkflow,
} from '../../db/workflows';
import { createWorkspace, membershipOf, scopeOf } from '../../db/workspaces';
import { ENCRYPTION_KEY_ENV } from '../../db/vault-key';
import { listingGraphOf, manifestOf } from '../../ir/marketplace/manifest';
import { threeWayMerge } from '../../ir/merge/three-way';
import type { WorkflowDocument } from '../../ir/types';
import { REPO_ROOT, testDatabaseUri } from '../../test/stack';
import type { Caller } from './caller.server';
import { currentBatonVersion, publishListing } from './marketplace.server';
import { installListing, installPreflight, visibleListing } from './marketplace-install.server';
import { applyUpdate, marketplaceStatus, rollbackUpdate, updatePreview } from './marketplace-update.server';

const savedHome = process.env.BATON_HOME;
const savedKey = process.env[ENCRYPTION_KEY_ENV];
let home: string;
let alice: Caller;
let bob: Caller;
const ids = { bobSmtp: '', bobBearer: '', aliceSmtp: '' };

const onboarding = JSON.parse(
  readFileSync(path.join(REPO_ROOT, 'templates', 'hr-onboarding', 'workflow.json'), 'utf8'),
) as WorkflowDocument;

async function callerIn(workspace: string, email: string): Promise<Caller> {
  const user = await createUser({ email, name: email.split('@')[0], password: 'install-test-password' });
  const ws = await createWorkspace({ name: workspace, ownerId: user.id });
  return { user, via: 'session', scope: scopeOf((await membershipOf(ws.id, user.id))!) };
}

/** A document with one node's params changed. */
function edited(document: WorkflowDocument, nodeId: string, change: (params: Record<string, unknown>) => void) {
  const copy = JSON.parse(JSON.stringify(document)) as WorkflowDocument;
  change(copy.nodes.find((n) => n.id === nodeId)!.params as Record<string, unknown>);
  return copy;
}

const fieldsOf = (doc: unknown, nodeId: string) =>
  (doc as WorkflowDocument).nodes.find((n) => n.id === nodeId)!.params as Record<string, unknown>;

async function listOnboarding(publisher: Caller, over: { graph?: ListingGraph; minBaton?: string } = {}) {
  const manifest = manifestOf(onboarding, over.minBaton ?? currentBatonVersion());
  const { listing } = await createListing({
    publisherWorkspaceId: publisher.scope.workspaceId,
    workflowId: 'a'.repeat(24),
    meta: {
      title: 'HR onboarding',
      description: 'From a new-hire form to a welcome email.',
      category: 'HR',
      tags: ['onboarding'],
      icon: '',
      visibility: 'instance',
    },
    content: { version: '1.0.0', changelog: 'First', manifest, graph: over.graph ?? listingGraphOf(onboarding) },
  });
  return listing;
}

async function refusal(promise: Promise<unknown>): Promise<MarketplaceError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof MarketplaceError) return err;
    throw err;
  }
  throw new Error('expected a MarketplaceError');
}

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'baton-install-'));
  process.env.BATON_HOME = home;
  delete process.env[ENCRYPTION_KEY_ENV];
  await connectDb(testDatabaseUri('baton_test_marketplace_install'));
  await mongoose.connection.db!.dropDatabase();
  await mongoose.connection.syncIndexes();
  alice = await callerIn('Publisher Co', 'alice@install.test');
  bob = await callerIn('Installer Inc', 'bob@install.test');
  const smtp = { host: 'mail.example.com', port: 587, secure: false, user: 'u', password: 'p', from: '' };
  ids.bobSmtp = (await createCredential(bob.scope, { name: 'Mail', type: 'smtp', values: smtp })).id;
  ids.bobBearer = (await createCredential(bob.scope, { name: 'Key', type: 'bearer-token', values: { token: 't' } })).id;
  ids.aliceSmtp = (await createCredential(alice.scope, { name: 'A mail', type: 'smtp', values: smtp })).id;
});

afterAll(async () => {
  await disconnectDb();
  rmSync(home, { recursive: true, force: true });
  process.env.BATON_HOME = savedHome;
  if (savedKey === undefined) delete process.env[ENCRYPTION_KEY_ENV];
  else process.env[ENCRYPTION_KEY_ENV] = savedKey;
});

describe('install', () => {
  test('makes a draft from the listing graph with the mapping applied, records it and counts it', async () => {
    const listing = await listOnboarding(alice);
    const before = await installPreflight(bob, listing.id);
    expect(before).toMatchObject({ publisher: { name: 'Publisher Co' }, installed: [], problems: { '1.0.0': [] } });

    const { workflow, install } = await installListing(bob, listing.id, {
      name: 'Our onboarding',
      credentials: { 'welcome.credential': ids.bobSmtp, 'approval.smtp': '' },
    });
    expect(workflow).toMatchObject({ name: 'Our onboarding', workspaceId: bob.scope.workspaceId });
    const stored = await getWorkflow(bob.scope, workflow.id);
    expect(fieldsOf(stored!.document, 'welcome').credential).toBe(ids.bobSmtp);
    expect(fieldsOf(stored!.document, 'approval').smtp).toBeUndefined(); // not picked yet: unset, as in any draft
    expect((stored!.document as WorkflowDocument).nodes.map((n) => n.id)).toEqual(onboarding.nodes.map((n) => n.id));
    expect(install).toMatchObject({ listingId: listing.id, version: '1.0.0', by: bob.user.id, rollbackTo: null });
    expect((await getListing(listing.id))!.installs).toBe(1);

    const after = await installPreflight(bob, listing.id);
    expect(after.installed).toEqual([
      expect.objectContaining({ workflowId: workflow.id, workflowName: 'Our onboarding', version: '1.0.0' }),
    ]);
    // Another install by the same workspace counts again (decision 069).
    await installListing(bob, listing.id, { credentials: {} });
    expect((await getListing(listing.id))!.installs).toBe(2);
  });

  test('refuses a credential of the wrong type, of another workspace, or a mapping naming no credential param', async () => {
    const listing = await listOnboarding(alice);
    const wrongType = await refusal(
      installListing(bob, listing.id, { credentials: { 'welcome.credential': ids.bobBearer } }),
    );
    expect(wrongType.message).toMatch(
      /node "Welcome email" \(welcome\), param credential: "Key" is a bearer-token credential; this node needs smtp/,
    );
    const foreign = await refusal(
      installListing(bob, listing.id, { credentials: { 'welcome.credential': ids.aliceSmtp } }),
    );
    expect(foreign.message).toContain(`${ids.aliceSmtp} is not a credential of this workspace`);
    const unknown = await refusal(installListing(bob, listing.id, { credentials: { 'settings.fields': ids.bobSmtp } }));
    expect(unknown.message).toMatch(
      /"settings.fields" names no credential param of this listing \(it has: .*welcome\.credential/,
    );
    expect((await getListing(listing.id))!.installs).toBe(0);
  });

  test('refuses a tampered version and one signed with a revoked key, and the preflight says why', async () => {
    const tampered = await listOnboarding(alice);
    await mongoose.connection
      .db!.collection('marketplace_listing_versions')
      .updateOne({ _id: `${tampered.id}@1.0.0` as never }, { $set: { changelog: 'Now with a crypto miner' } });
    const err = await refusal(installListing(bob, tampered.id, { credentials: {} }));
    expect(err.message).toContain('1.0.0 does not match its signature: it was changed after its publisher signed it');
    expect((await installPreflight(bob, tampered.id)).problems['1.0.0']).toHaveLength(1);

    const carol = await callerIn('Revoked Ltd', 'carol@install.test');
    const revoked = await listOnboarding(carol);
    const { keyId } = (await mongoose.connection
      .db!.collection('marketplace_listing_versions')
      .findOne({ _id: `${revoked.id}@1.0.0` as never }))!;
    await revokeKey(carol.scope.workspaceId, keyId);
    const refused = await refusal(installListing(bob, revoked.id, { credentials: {} }));
    expect(refused.message).toContain(`signed with key ${keyId}, which its publisher revoked`);
  });

  test('refuses a version needing a newer Baton, or a node type this Baton does not know', async () => {
    const newer = await listOnboarding(alice, { minBaton: '99.0.0' });
    expect((await refusal(installListing(bob, newer.id, { credentials: {} }))).message).toContain(
      `needs Baton 99.0.0 or later; this Baton is ${currentBatonVersion()}`,
    );
    const graph = listingGraphOf(onboarding);
    graph.nodes[1] = { ...graph.nodes[1], type: 'teleporter', version: 3 };
    const unknown = await listOnboarding(alice, { graph });
    expect((await refusal(installListing(bob, unknown.id, { credentials: {} }))).message).toContain(
      'Node "Settings" (settings) is teleporter@3, which this Baton does not know',
    );
  });

  test('a listing hidden from the caller reads as missing', async () => {
    const { listing } = await createListing({
      publisherWorkspaceId: alice.scope.workspaceId,
      workflowId: 'a'.repeat(24),
      meta: { title: 'Private', description: '', category: 'HR', tags: [], icon: '', visibility: 'workspace' },
      content: {
        version: '1.0.0',
        changelog: '',
        manifest: manifestOf(onboarding, currentBatonVersion()),
        graph: listingGraphOf(onboarding),
      },
    });
    expect((await refusal(installListing(bob, listing.id, { credentials: {} }))).code).toBe('not-found');
  });
});

describe('update and rollback', () => {
  test('keeps the user’s edit and credential mapping, applies the update’s change, and rolls back', async () => {
    const listing = await listOnboarding(alice);
    const { workflow } = await installListing(bob, listing.id, { credentials: { 'welcome.credential': ids.bobSmtp } });
    expect(await marketplaceStatus(bob, workflow.id)).toMatchObject({ installedVersion: '1.0.0', hasUpdate: false });

    // B edits the Settings node.
    const installed = (await getWorkflow(bob.scope, workflow.id))!;
    const mine = edited(installed.document as WorkflowDocument, 'settings', (p) => {
      (p.fields as Record<string, unknown>).companyName = 'Bob & Co';
    });
    const saved = await updateWorkflow(bob.scope, workflow.id, installed.revision, { document: mine });
    expect(saved.ok).toBe(true);

    // A publishes 1.1.0, changing the welcome email's subject.
    const next = edited(onboarding, 'welcome', (p) => {
      p.subject = 'Welcome aboard!';
    });
    await addVersion(alice.scope.workspaceId, listing.id, {
      version: '1.1.0',
      changelog: 'A warmer welcome',
      manifest: manifestOf(next, currentBatonVersion()),
      graph: listingGraphOf(next),
    });
    const status = await marketplaceStatus(bob, workflow.id);
    expect(status).toMatchObject({ installedVersion: '1.0.0', latestVersion: '1.1.0', hasUpdate: true });

    const preview = await updatePreview(bob, workflow.id);
    expect(preview).toMatchObject({ fromVersion: '1.0.0', toVersion: '1.1.0', changelog: 'A warmer welcome' });
    expect(preview.keptCredentials).toEqual([{ nodeId: 'welcome', param: 'credential' }]);
    const merge = threeWayMerge(preview.base, preview.ours, preview.theirs);
    expect(merge.conflicts).toEqual([]);
    // The emptied credential of the update is no change at all, on either side.
    expect(merge.changes.filter((c) => c.path.includes('credential'))).toEqual([]);

    const applied = await applyUpdate(bob, workflow.id, { version: '1.1.0', revision: preview.revision, choices: {} });
    expect(applied.install).toMatchObject({ version: '1.1.0', rollbackTo: '1.0.0' });
    const updated = (await getWorkflow(bob.scope, workflow.id))!.document;
    expect((fieldsOf(updated, 'settings').fields as Record<string, unknown>).companyName).toBe('Bob & Co');
    expect(fieldsOf(updated, 'welcome').subject).toBe('Welcome aboard!');
    expect(fieldsOf(updated, 'welcome').credential).toBe(ids.bobSmtp);
    expect(await marketplaceStatus(bob, workflow.id)).toMatchObject({ installedVersion: '1.1.0', hasUpdate: false });

    const rolledBack = await rollbackUpdate(bob, workflow.id);
    expect(rolledBack.install).toMatchObject({ version: '1.0.0', rollbackTo: null });
    expect(rolledBack.install.history.map((h) => [h.action, h.version, h.toVersion])).toEqual([
      ['update', '1.0.0', '1.1.0'],
      ['rollback', '1.1.0', '1.0.0'],
    ]);
    const restored = (await getWorkflow(bob.scope, workflow.id))!.document;
    expect(fieldsOf(restored, 'welcome').subject).toBe(fieldsOf(mine, 'welcome').subject);
    expect((fieldsOf(restored, 'settings').fields as Record<string, unknown>).companyName).toBe('Bob & Co');
    expect((await refusal(rollbackUpdate(bob, workflow.id))).message).toContain('has no update to roll back');
    expect(await marketplaceStatus(bob, workflow.id)).toMatchObject({ hasUpdate: true });
  });

  test('a conflict must be settled; the choice is applied; a stale review and a tampered update are refused', async () => {
    const listing = await listOnboarding(alice);
    const { workflow } = await installListing(bob, listing.id, { credentials: {} });
    const installed = (await getWorkflow(bob.scope, workflow.id))!;
    const mine = edited(installed.document as WorkflowDocument, 'welcome', (p) => {
      p.subject = 'Hi from Bob';
    });
    await updateWorkflow(bob.scope, workflow.id, installed.revision, { document: mine });
    const theirs = edited(onboarding, 'welcome', (p) => {
      p.subject = 'Hi from Alice';
    });
    await addVersion(alice.scope.workspaceId, listing.id, {
      version: '2.0.0',
      changelog: '',
      manifest: manifestOf(theirs, currentBatonVersion()),
      graph: listingGraphOf(theirs),
    });
    const preview = await updatePreview(bob, workflow.id, '2.0.0');
    const [conflict] = threeWayMerge(preview.base, preview.ours, preview.theirs).conflicts;
    expect(conflict).toMatchObject({ nodeId: 'welcome', ours: 'Hi from Bob', theirs: 'Hi from Alice' });

    const open = await refusal(
      applyUpdate(bob, workflow.id, { version: '2.0.0', revision: preview.revision, choices: {} }),
    );
    expect(open.message).toBe('Choose which version to keep for Welcome email › params.subject');
    const stale = await refusal(
      applyUpdate(bob, workflow.id, { version: '2.0.0', revision: preview.revision - 1, choices: {} }),
    );
    expect(stale.message).toContain('was changed since you reviewed the update');

    await mongoose.connection
      .db!.collection('marketplace_listing_versions')
      .updateOne({ _id: `${listing.id}@2.0.0` as never }, { $set: { changelog: 'Edited in the store' } });
    const tampered = await refusal(
      applyUpdate(bob, workflow.id, {
        version: '2.0.0',
        revision: preview.revision,
        choices: { [conflict.id]: 'theirs' },
      }),
    );
    expect(tampered.message).toContain('does not match its signature');
    await mongoose.connection
      .db!.collection('marketplace_listing_versions')
      .updateOne({ _id: `${listing.id}@2.0.0` as never }, { $set: { changelog: '' } });

    await applyUpdate(bob, workflow.id, {
      version: '2.0.0',
      revision: preview.revision,
      choices: { [conflict.id]: 'theirs' },
    });
    expect(fieldsOf((await getWorkflow(bob.scope, workflow.id))!.document, 'welcome').subject).toBe('Hi from Alice');
    // Not newer than what is installed now.
    expect((await refusal(updatePreview(bob, workflow.id, '1.0.0'))).message).toContain('1.0.0 is not newer');
  });

  test('another workspace cannot read or change the install', async () => {
    const listing = await listOnboarding(alice);
    const { workflow } = await installListing(bob, listing.id, { credentials: {} });
    expect((await refusal(marketplaceStatus(alice, workflow.id))).code).toBe('not-found');
    expect((await refusal(rollbackUpdate(alice, workflow.id))).code).toBe('not-found');
  });
});

describe('data tables', () => {
  const equipmentColumns = [
    { name: 'Employee', type: 'string' as const, required: true },
    { name: 'Item', type: 'string' as const },
    { name: 'Done', type: 'boolean' as const },
  ];

  /** A publishes onboarding with its IT tasks node writing to A's own table named `name` (its key: `key`). */
  async function publishWithTable(name: string, key: string): Promise<{ listingId: string; aliceTable: string }> {
    const aliceTable = await createDataTable(alice.scope, { name, columns: equipmentColumns });
    const document = edited(onboarding, 'itTasks', (p) => {
      p.table = aliceTable.id;
    });
    const workflow = await createWorkflow(alice.scope, { name: 'Onboarding', ownerId: alice.user.id, document });
    await publishWorkflowVersion(alice.scope, {
      workflowId: workflow.id,
      document,
      planHash: 'h'.repeat(64),
      createdBy: alice.user.id,
    });
    const res = await publishListing(alice, {
      workflowId: workflow.id,
      title: 'Onboarding with a table',
      description: '',
      category: 'HR',
      tags: [],
      icon: '',
      visibility: 'instance',
      version: '1.0.0',
      changelog: '',
    });
    expect(res.status).toBe(201);
    const { listing, version } = (await res.json()) as {
      listing: { id: string };
      version: { graph: ListingGraph; manifest: { tables?: unknown } };
    };
    // The listing carries the table's name and columns and a key, never A's table id.
    expect(version.manifest.tables).toEqual([
      {
        key,
        name,
        columns: [
          { name: 'Employee', type: 'string', required: true },
          { name: 'Item', type: 'string' },
          { name: 'Done', type: 'boolean' },
        ],
        targets: [{ nodeId: 'itTasks', param: 'table' }],
      },
    ]);
    expect(fieldsOf(version.graph, 'itTasks').table).toBe('');
    expect(JSON.stringify(version)).not.toContain(aliceTable.id);
    return { listingId: listing.id, aliceTable: aliceTable.id };
  }

  test('install creates the table with the listed columns, or maps one of the workspace’s own', async () => {
    const { listingId } = await publishWithTable('IT equipment', 'it-equipment');
    const created = await installListing(bob, listingId, {
      credentials: {},
      tables: { 'it-equipment': { mode: 'create', name: 'Bob’s IT equipment' } },
    });
    const tableId = fieldsOf((await getWorkflow(bob.scope, created.workflow.id))!.document, 'itTasks').table as string;
    const table = await getDataTable(bob.scope, tableId);
    expect(table).toMatchObject({ name: 'Bob’s IT equipment', workspaceId: bob.scope.workspaceId });
    expect(table!.columns.map((c) => [c.name, c.type, c.required])).toEqual([
      ['Employee', 'string', true],
      ['Item', 'string', false],
      ['Done', 'boolean', false],
    ]);

    const own = await createDataTable(bob.scope, { name: 'Existing equipment', columns: equipmentColumns });
    const mapped = await installListing(bob, listingId, {
      credentials: {},
      tables: { 'it-equipment': { mode: 'existing', tableId: own.id } },
    });
    expect(fieldsOf((await getWorkflow(bob.scope, mapped.workflow.id))!.document, 'itTasks').table).toBe(own.id);
  });

  test('refuses a table of another workspace and a key naming no table, creating nothing', async () => {
    const { listingId, aliceTable } = await publishWithTable('Laptops & badges', 'laptops-badges');
    const before = (await listDataTables(bob.scope)).length;
    const foreign = await refusal(
      installListing(bob, listingId, {
        credentials: {},
        tables: { 'laptops-badges': { mode: 'existing', tableId: aliceTable } },
      }),
    );
    expect(foreign.message).toBe(
      `Table "laptops-badges" (Laptops & badges): ${aliceTable} is not a data table of this workspace; ` +
        'create the table or pick one of this workspace’s tables.',
    );
    const unknown = await refusal(
      installListing(bob, listingId, {
        credentials: {},
        tables: { 'laptops-badges': { mode: 'create', name: 'Never made' }, payroll: { mode: 'create', name: 'P' } },
      }),
    );
    expect(unknown.message).toContain('Table "payroll" is not a table this workflow needs (it needs: laptops-badges)');
    expect(await listDataTables(bob.scope)).toHaveLength(before);
    expect((await getListing(listingId))!.installs).toBe(0);
  });

  test('an update keeps the installed workflow’s table: the emptied param is no change and no conflict', async () => {
    const { listingId, aliceTable } = await publishWithTable('Desk kit', 'desk-kit');
    const own = await createDataTable(bob.scope, { name: 'Kept equipment', columns: equipmentColumns });
    const { workflow } = await installListing(bob, listingId, {
      credentials: {},
      tables: { 'desk-kit': { mode: 'existing', tableId: own.id } },
    });
    // As a version listed before table params were emptied: its graph held the publisher's table.
    const base = listingGraphOf(onboarding);
    base.nodes.find((n) => n.id === 'itTasks')!.params.table = aliceTable;
    await mongoose.connection
      .db!.collection('marketplace_installs')
      .updateOne({ _id: workflow.id as never }, { $set: { baseGraphJson: JSON.stringify(base) } });
    const { versions } = await visibleListing(bob, listingId);
    const next = edited(onboarding, 'welcome', (p) => {
      p.subject = 'Welcome, with a table';
    });
    await addVersion(alice.scope.workspaceId, listingId, {
      version: '1.1.0',
      changelog: '',
      manifest: versions[0].manifest,
      graph: listingGraphOf(next),
    });
    const preview = await updatePreview(bob, workflow.id, '1.1.0');
    const merge = threeWayMerge(preview.base, preview.ours, preview.theirs);
    expect(merge.conflicts).toEqual([]);
    expect(merge.changes.filter((c) => c.nodeId === 'itTasks')).toEqual([]);
    await applyUpdate(bob, workflow.id, { version: '1.1.0', revision: preview.revision, choices: {} });
    const updated = (await getWorkflow(bob.scope, workflow.id))!.document;
    expect(fieldsOf(updated, 'itTasks').table).toBe(own.id);
    expect(fieldsOf(updated, 'welcome').subject).toBe('Welcome, with a table');
  });
});
