// "Verified: its tests pass" end to end against the real services: a real Temporal run of a workflow whose HTTP node
// calls a local server, tests attached from that run to a listing version, then dry runs: they pass without a single
// request reaching the server, a new Baton version runs them again on the next view, a version whose pure node
// changed fails naming it, and a run of another graph or of another workspace cannot be attached. Fixtures are signed
// by the version's key: changed in the store they are not run and say why; a bundle carries them, and the importing
// workspace runs them and gets the badge.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ListingTestsView } from '../../contracts/marketplace-tests';
import type { ListingTest } from '../../contracts/marketplace-tests';
import { storeSignedTests } from '../../db/listing-tests';
import { bundleOfVersion, importBundle } from '../../db/marketplace-bundles';
import { addVersion, createListing, setVersionTestsJson, versionTestsJson } from '../../db/marketplace-listings';
import { getTestResult, saveTestResult } from '../../db/marketplace-test-results';
import { systemScope } from '../../db/workspaces';
import { listingGraphOf, manifestOf } from '../../ir/marketplace/manifest';
import type { WorkflowDocument } from '../../ir/types';
import { waitForRun } from '../../temporal/client';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../../test/run-harness';
import { startSink, type Sink } from '../../test/sink';
import type { Caller } from './caller.server';
import { attachTestsFromRun, readListingTests, runListingTests } from './marketplace-tests.server';
import { launchRun } from './run-launcher.server';

const WS = 'ws_m9_tests';
const OTHER = 'ws_m9_other';
// The functions under test read only the caller's workspace scope (routes check the permission before).
const callerIn = (workspaceId: string) => ({ scope: systemScope(workspaceId) }) as Caller;

let harness: RunHarness;
let sink: Sink;
let home: string;
const savedHome = process.env.BATON_HOME;

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'baton-m9-')); // the publisher key's vault
  process.env.BATON_HOME = home;
  sink = await startSink();
  sink.handle((_req, res) => {
    res
      .writeHead(200, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ active: true, name: 'Ada Lovelace' }));
  });
  harness = await startRunHarness('m9_listing_tests');
  await harness.startWorker({ queues: ['default'] });
}, 180_000);

afterAll(async () => {
  await harness?.close();
  await sink?.close();
  rmSync(home, { recursive: true, force: true });
  process.env.BATON_HOME = savedHome;
});

/** trigger → HTTP (the local server) → If active → Set → Merge → Code (QuickJS). */
function document(label = 'Active: {{ $input.body.name }}'): WorkflowDocument {
  return workflowDoc(
    [
      { id: 'start', type: 'manual-trigger' },
      { id: 'call', type: 'http-request', params: { url: `${sink.url}/people/{{ $input.id }}` } },
      { id: 'ok', type: 'if', params: { left: '{{ $input.body.active }}', operator: 'isTrue' } },
      { id: 'yes', type: 'set-fields', params: { fields: { label }, keepInput: false } },
      { id: 'no', type: 'set-fields', params: { fields: { label: 'Inactive' }, keepInput: false } },
      { id: 'join', type: 'merge', params: { mode: 'first' } },
      { id: 'count', type: 'code', params: { code: 'return { words: input.label.split(" ").length };' } },
    ],
    [
      ['start', 'call'],
      ['call', 'ok'],
      ['ok:true', 'yes'],
      ['ok:false', 'no'],
      ['yes', 'join'],
      ['no', 'join'],
      ['join', 'count'],
    ],
  );
}

async function runOf(doc: WorkflowDocument, workspaceId = WS): Promise<string> {
  const runId = await launchRun({
    plan: compileOrThrow(doc, 'wf_m9'),
    workspaceId,
    workflowId: 'wf_m9',
    trigger: { id: 7 },
    mode: 'manual',
  });
  const result = await waitForRun(runId, 60_000);
  expect(result.status).toBe('succeeded');
  return runId;
}

const content = (version: string, doc: WorkflowDocument) => ({
  version,
  changelog: '',
  graph: listingGraphOf(doc),
  manifest: manifestOf(doc, '0.1.0'),
});

async function body(res: Response): Promise<ListingTestsView & { error?: { message: string } }> {
  return (await res.json()) as ListingTestsView & { error?: { message: string } };
}

test('tests attached from a real run pass in a dry run that reaches nothing, and fail when a pure node changes', async () => {
  const runId = await runOf(document());
  expect(sink.requests).toHaveLength(1);
  const { listing } = await createListing({
    publisherWorkspaceId: WS,
    workflowId: 'wf_m9',
    meta: { title: 'People check', description: '', category: 'HR', tags: [], icon: '', visibility: 'workspace' },
    content: content('1.0.0', document()),
  });

  const attached = await attachTestsFromRun(callerIn(WS), listing.id, '1.0.0', { runId, name: 'Ada is active' });
  const view = await body(attached);
  expect({ status: attached.status, error: view.error?.message }).toEqual({ status: 201, error: undefined });
  expect(view.tests).toEqual(['Ada is active']);
  expect(view.result).toMatchObject({ passed: true, tests: 1 });
  const stored = JSON.parse((await versionTestsJson(listing.id, '1.0.0'))!);
  expect(stored[0].trigger).toEqual({ id: 7 });
  expect(Object.keys(stored[0].recorded)).toEqual(['call']);
  expect(stored[0].recorded.call.output.body).toEqual({ active: true, name: 'Ada Lovelace' });
  expect(Object.keys(stored[0].expect).sort()).toEqual(['count', 'join', 'ok', 'yes']);
  expect(stored[0].expect.count).toEqual({ words: 3 });

  // The view reads the stored result; a result found by another Baton version is run again on the next view.
  const read = await body(await readListingTests(callerIn(WS), listing.id, '1.0.0'));
  expect(read.result).toEqual(view.result);
  const known = (await getTestResult(listing.id, '1.0.0'))!;
  await saveTestResult(listing.id, '1.0.0', { ...known, result: { ...known.result, batonVersion: '0.0.1-old' } });
  const rerun = await body(await readListingTests(callerIn(WS), listing.id, '1.0.0'));
  expect(rerun.result).toMatchObject({ passed: true, tests: 1 });
  expect(rerun.result!.batonVersion).not.toBe('0.0.1-old');
  expect((await body(await runListingTests(callerIn(WS), listing.id, '1.0.0'))).result?.passed).toBe(true);

  // Version 1.0.1 changes the Set node's label; the same fixtures copied there unsigned are not run, and say why.
  await addVersion(WS, listing.id, content('1.0.1', document('Person: {{ $input.body.name }}')));
  await setVersionTestsJson(listing.id, '1.0.1', (await versionTestsJson(listing.id, '1.0.0'))!);
  const unsigned = await body(await readListingTests(callerIn(WS), listing.id, '1.0.1'));
  expect(unsigned).toMatchObject({ tests: ['Ada is active'], result: null });
  expect(unsigned.untrusted).toBe(
    'The tests of version 1.0.1 are not signed by its publisher (they were attached before tests were signed): ' +
      'the publisher can attach a run again to sign them.',
  );
  // Signed by the publisher for 1.0.1, they run and fail, naming the node and the difference.
  await storeSignedTests(listing.id, '1.0.1', JSON.parse((await versionTestsJson(listing.id, '1.0.0'))!));
  const failed = await body(await readListingTests(callerIn(WS), listing.id, '1.0.1'));
  expect(failed.result).toMatchObject({
    passed: false,
    tests: 1,
    failedTest: 'Ada is active',
    nodeId: 'yes',
    message: 'Node "yes" (yes) output differs at label: expected "Active: Ada Lovelace", got "Person: Ada Lovelace".',
  });

  // Not one request reached the local server after the real run: every dry run replayed the HTTP node.
  expect(sink.requests).toHaveLength(1);

  // Another workspace neither sees this listing's tests nor attaches to it.
  expect((await readListingTests(callerIn(OTHER), listing.id, '1.0.0')).status).toBe(404);
  expect((await attachTestsFromRun(callerIn(OTHER), listing.id, '1.0.0', { runId })).status).toBe(404);
}, 120_000);

test('a run of another graph, or of another workspace, is not attached', async () => {
  const { listing } = await createListing({
    publisherWorkspaceId: WS,
    workflowId: 'wf_m9',
    meta: { title: 'People check 2', description: '', category: 'HR', tags: [], icon: '', visibility: 'workspace' },
    content: content('1.0.0', document()),
  });
  const smaller = workflowDoc(
    [
      { id: 'start', type: 'manual-trigger' },
      { id: 'call', type: 'http-request', params: { url: `${sink.url}/people/{{ $input.id }}` } },
    ],
    [['start', 'call']],
  );
  const other = await runOf(smaller);
  const res = await attachTestsFromRun(callerIn(WS), listing.id, '1.0.0', { runId: other });
  expect(res.status).toBe(400);
  expect((await body(res)).error?.message).toBe(
    `Run ${other} ran a different graph: node "count" (count) of the listed version did not exist in it. ` +
      'Run the version you listed, then attach that run.',
  );
  const elsewhere = await runOf(document(), OTHER);
  const refused = await attachTestsFromRun(callerIn(WS), listing.id, '1.0.0', { runId: elsewhere });
  expect(refused.status).toBe(404);
  expect((await body(refused)).error?.message).toBe(`Run ${elsewhere} does not exist in this workspace.`);
  expect((await body(await readListingTests(callerIn(WS), listing.id, '1.0.0'))).result).toBeNull();
}, 120_000);

test('a fixture changed after signing is not run; a bundle carries signed fixtures and the importer runs them', async () => {
  const runId = await runOf(document());
  const { listing } = await createListing({
    publisherWorkspaceId: WS,
    workflowId: 'wf_m9',
    meta: { title: 'People check 3', description: '', category: 'HR', tags: [], icon: '', visibility: 'workspace' },
    content: content('1.0.0', document()),
  });
  expect((await attachTestsFromRun(callerIn(WS), listing.id, '1.0.0', { runId, name: 'Ada' })).status).toBe(201);
  const signedText = (await versionTestsJson(listing.id, '1.0.0'))!;

  // The bundle carries the fixtures and their signature; another workspace imports it and runs them to the badge.
  const bundle = JSON.parse(JSON.stringify(await bundleOfVersion(listing.id, '1.0.0')));
  expect(bundle.tests).toEqual(JSON.parse(signedText));
  expect(bundle.testsSignature).toEqual(expect.any(String));
  const imported = await importBundle(OTHER, bundle);
  const there = await body(await readListingTests(callerIn(OTHER), imported.listingId, '1.0.0'));
  expect({ tests: there.tests, untrusted: there.untrusted }).toEqual({ tests: ['Ada'], untrusted: undefined });
  expect(there.result).toMatchObject({ passed: true, tests: 1 });
  expect(there.viewer.canAttach).toBe(false);
  // The importer cannot sign tests for the publisher's version.
  const refused = await attachTestsFromRun(callerIn(OTHER), imported.listingId, '1.0.0', { runId });
  expect((await body(refused)).error?.message).toMatch(/^Version 1.0.0 was imported from a bundle: only its publisher/);
  // Exported again from the importing workspace, the bundle still verifies with its fixtures (a third workspace).
  const again = await importBundle(
    'ws_m9_third',
    JSON.parse(JSON.stringify(await bundleOfVersion(imported.listingId, '1.0.0'))),
  );
  expect((await body(await readListingTests(callerIn('ws_m9_third'), again.listingId, '1.0.0'))).result?.passed).toBe(
    true,
  );

  // A recorded response changed in the store: the fixture is not run, nothing says verified, and the reason is given.
  const tampered = JSON.parse(signedText) as ListingTest[];
  (tampered[0].recorded.call as { output: { body: { name: string } } }).output.body.name = 'Eve';
  await setVersionTestsJson(listing.id, '1.0.0', JSON.stringify(tampered));
  const view = await body(await readListingTests(callerIn(WS), listing.id, '1.0.0'));
  expect(view.result).toBeNull();
  expect(view.untrusted).toBe(
    'The tests of version 1.0.0 were changed after its publisher signed them: their signature does not verify ' +
      `with key ${bundle.keyId}.`,
  );
  const run = await runListingTests(callerIn(WS), listing.id, '1.0.0');
  expect(run.status).toBe(400);
  expect((await body(run)).error?.message).toMatch(/were changed after its publisher signed them/);
  // Nor does the bundle carry them any more: only fixtures that verify travel.
  expect((await bundleOfVersion(listing.id, '1.0.0')).tests).toBeUndefined();
  // The publisher's next attach drops the changed fixture and signs what it stores.
  const reattached = await body(await attachTestsFromRun(callerIn(WS), listing.id, '1.0.0', { runId, name: 'Ada 2' }));
  expect({ tests: reattached.tests, passed: reattached.result?.passed }).toEqual({ tests: ['Ada 2'], passed: true });
}, 120_000);
