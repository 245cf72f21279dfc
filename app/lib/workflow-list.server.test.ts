// The workflow list's "Update available" (docs/decisions/069) against the real FerretDB: workspace A lists HR
// onboarding, B installs it twice and has a workflow of its own. After A lists 1.1.0 the list offers it for both
// installs, and not for B's own workflow; an update takes it away from that install and a rollback brings it back;
// a listing unpublished since offers nothing. Each case agrees with the editor notice (marketplaceStatus), and
// neither A's list nor another workspace's sees B's installs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from '../../db/connection';
import { addVersion, createListing, setUnpublished } from '../../db/marketplace-listings';
import { offeredVersion } from '../../db/marketplace-update-offers';
import { createUser } from '../../db/users';
import { ENCRYPTION_KEY_ENV } from '../../db/vault-key';
import { createWorkflow, getWorkflow } from '../../db/workflows';
import { createWorkspace, membershipOf, scopeOf } from '../../db/workspaces';
import { listingGraphOf, manifestOf } from '../../ir/marketplace/manifest';
import type { WorkflowDocument } from '../../ir/types';
import { REPO_ROOT, testDatabaseUri } from '../../test/stack';
import type { Caller } from './caller.server';
import { currentBatonVersion } from './marketplace.server';
import { installListing } from './marketplace-install.server';
import { applyUpdate, marketplaceStatus, rollbackUpdate } from './marketplace-update.server';
import { listWorkflowsWithLastRun } from './workflow-list.server';

const savedHome = process.env.BATON_HOME;
const savedKey = process.env[ENCRYPTION_KEY_ENV];
let home: string;
let alice: Caller;
let bob: Caller;

const onboarding = JSON.parse(
  readFileSync(path.join(REPO_ROOT, 'templates', 'hr-onboarding', 'workflow.json'), 'utf8'),
) as WorkflowDocument;

async function callerIn(workspace: string, email: string): Promise<Caller> {
  const user = await createUser({ email, name: email.split('@')[0], password: 'list-test-password' });
  const ws = await createWorkspace({ name: workspace, ownerId: user.id });
  return { user, via: 'session', scope: scopeOf((await membershipOf(ws.id, user.id))!) };
}

function withSubject(subject: string): WorkflowDocument {
  const copy = JSON.parse(JSON.stringify(onboarding)) as WorkflowDocument;
  (copy.nodes.find((n) => n.id === 'welcome')!.params as Record<string, unknown>).subject = subject;
  return copy;
}

const content = (version: string, document: WorkflowDocument) => ({
  version,
  changelog: `Release ${version}.`,
  manifest: manifestOf(document, currentBatonVersion()),
  graph: listingGraphOf(document),
});

async function listOnboarding(title: string) {
  const { listing } = await createListing({
    publisherWorkspaceId: alice.scope.workspaceId,
    workflowId: 'a'.repeat(24),
    meta: { title, description: 'Onboarding.', category: 'HR', tags: [], icon: '', visibility: 'instance' },
    content: content('1.0.0', onboarding),
  });
  return listing;
}

/** What B's list says of each workflow, by name. */
async function badges(caller: Caller): Promise<Record<string, string | null>> {
  const items = await listWorkflowsWithLastRun(caller.scope);
  return Object.fromEntries(items.map((w) => [w.name, w.updateAvailable]));
}

/** The editor notice's answer for the same workflow: the version it offers, or null. */
async function noticeOffers(caller: Caller, workflowId: string): Promise<string | null> {
  const status = await marketplaceStatus(caller, workflowId);
  return status.hasUpdate ? status.latestVersion : null;
}

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'baton-list-'));
  process.env.BATON_HOME = home;
  delete process.env[ENCRYPTION_KEY_ENV];
  await connectDb(testDatabaseUri('baton_test_workflow_list'));
  await mongoose.connection.db!.dropDatabase();
  await mongoose.connection.syncIndexes();
  alice = await callerIn('Publisher Co', 'alice@list.test');
  bob = await callerIn('Installer Inc', 'bob@list.test');
});

afterAll(async () => {
  await disconnectDb();
  rmSync(home, { recursive: true, force: true });
  process.env.BATON_HOME = savedHome;
  if (savedKey === undefined) delete process.env[ENCRYPTION_KEY_ENV];
  else process.env[ENCRYPTION_KEY_ENV] = savedKey;
});

test('offers a newer listing version to installed workflows only, until they take it or the listing is unpublished', async () => {
  const listing = await listOnboarding('HR onboarding');
  const hidden = await listOnboarding('Onboarding, later unpublished');
  const { workflow: first } = await installListing(bob, listing.id, { name: 'First install', credentials: {} });
  const { workflow: second } = await installListing(bob, listing.id, { name: 'Second install', credentials: {} });
  const { workflow: third } = await installListing(bob, hidden.id, { name: 'Install of hidden', credentials: {} });
  const own = await createWorkflow(bob.scope, { name: 'Own workflow', ownerId: bob.user.id });

  // Nothing newer yet.
  expect(await badges(bob)).toEqual({
    'First install': null,
    'Second install': null,
    'Install of hidden': null,
    'Own workflow': null,
  });

  const next = withSubject('Welcome aboard, {{ $trigger.firstName }}!');
  await addVersion(alice.scope.workspaceId, listing.id, content('1.1.0', next));
  await addVersion(alice.scope.workspaceId, hidden.id, content('1.1.0', next));
  await setUnpublished(hidden.id, true);
  expect(await badges(bob)).toEqual({
    'First install': '1.1.0',
    'Second install': '1.1.0',
    'Install of hidden': null,
    'Own workflow': null,
  });
  for (const w of [first, second, third, own]) {
    const listed = (await listWorkflowsWithLastRun(bob.scope)).find((i) => i.id === w.id)!;
    expect(listed.updateAvailable).toBe(await noticeOffers(bob, w.id));
  }

  // Taking the update ends the offer for that install; rolling it back brings it back.
  const revision = (await getWorkflow(bob.scope, first.id))!.revision;
  await applyUpdate(bob, first.id, { version: '1.1.0', revision, choices: {} });
  expect(await badges(bob)).toMatchObject({ 'First install': null, 'Second install': '1.1.0' });
  expect(await noticeOffers(bob, first.id)).toBeNull();
  await rollbackUpdate(bob, first.id);
  expect(await badges(bob)).toMatchObject({ 'First install': '1.1.0' });

  // Published again, the hidden listing offers its version too.
  await setUnpublished(hidden.id, false);
  expect(await badges(bob)).toMatchObject({ 'Install of hidden': '1.1.0' });

  // B's installs are B's: the publisher's list and a third workspace's show none of them.
  const carol = await callerIn('Elsewhere Ltd', 'carol@list.test');
  expect(Object.values(await badges(alice)).filter(Boolean)).toEqual([]);
  expect(await badges(carol)).toEqual({});
});

test('offeredVersion: a listing the workspace may not see, or none newer, offers nothing', () => {
  const listing = { publisherWorkspaceId: 'ws-a', visibility: 'instance' as const, unpublished: false };
  expect(offeredVersion({ ...listing, latestVersion: '1.1.0' }, 'ws-b', '1.0.0')).toBe('1.1.0');
  expect(offeredVersion({ ...listing, latestVersion: '1.0.0' }, 'ws-b', '1.0.0')).toBeNull();
  expect(offeredVersion({ ...listing, latestVersion: '1.1.0' }, 'ws-b', '2.0.0')).toBeNull();
  expect(offeredVersion({ ...listing, latestVersion: '1.1.0-rc.1' }, 'ws-b', '1.1.0')).toBeNull();
  expect(offeredVersion({ ...listing, latestVersion: '1.1.0', unpublished: true }, 'ws-b', '1.0.0')).toBeNull();
  // Its own listing is visible to the publisher even when unpublished or workspace-only.
  expect(offeredVersion({ ...listing, latestVersion: '1.1.0', unpublished: true }, 'ws-a', '1.0.0')).toBe('1.1.0');
  expect(offeredVersion({ ...listing, visibility: 'workspace', latestVersion: '1.1.0' }, 'ws-b', '1.0.0')).toBeNull();
  expect(offeredVersion(undefined, 'ws-b', '1.0.0')).toBeNull();
  expect(offeredVersion({ ...listing, latestVersion: null }, 'ws-b', '1.0.0')).toBeNull();
});
