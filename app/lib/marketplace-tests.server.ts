// "Verified: its tests pass" (docs/decisions/072), the server side: attach test fixtures to a listing version from
// a successful run of the publisher's workspace, and run a version's tests on this instance (on demand, or lazily on
// the first view after this Baton's version or the fixtures changed) with the dry run of express/dry-run.ts. Only
// fixtures signed by the version's key (db/listing-tests.ts) are run: others show why, and no badge.
import { z } from 'zod';
import { MarketplaceError, type ListingVersionView } from '../../contracts/marketplace';
import type {
  ListingTest,
  ListingTestResult,
  ListingTestsView,
  RecordedOutcome,
} from '../../contracts/marketplace-tests';
import { resolveBlobRefs } from '../../db/blobs';
import { storeSignedTests, versionTests, type VersionTests } from '../../db/listing-tests';
import { getListing, listingVersions } from '../../db/marketplace-listings';
import { getTestResult, saveTestResult } from '../../db/marketplace-test-results';
import { getPlan } from '../../db/plans';
import { getRun } from '../../db/runs';
import { listTopLevelStepRecords, type StepDoc } from '../../db/steps';
import { dryRunTest, dryRunTests, type DryRunDeps } from '../../express/dry-run';
import { checkedTests, listingPlan, replayKindOf } from '../../ir/marketplace/fixtures';
import { registry } from '../../nodes/index';
import { loadRunner } from '../../nodes/runners';
import type { Plan } from '../../ir/types';
import { can, type Caller } from './caller.server';
import { json, parseWith } from './http.server';
import { currentBatonVersion, marketplaceRefusal, mayOpen } from './marketplace.server';

export const attachBody = z
  .object({
    runId: z.string().min(1).max(200),
    /** Defaults to "Run <runId>"; a test of the same name is replaced. */
    name: z.string().max(200).optional(),
  })
  .strict();

/** The version `listingId@version` the caller may see (or moderates: decision 073), with its listing. */
async function visibleVersion(caller: Caller, listingId: string, version: string) {
  const listing = await getListing(listingId);
  if (!listing || !mayOpen(caller, listing))
    throw new MarketplaceError('not-found', `Listing ${listingId} does not exist.`);
  const found = (await listingVersions(listingId)).find((v) => v.version === version);
  if (!found) throw new MarketplaceError('not-found', `Listing "${listing.title}" has no version ${version}.`);
  return { listing, version: found };
}

function planOf(listing: { id: string; title: string }, version: ListingVersionView): Plan {
  return listingPlan(version.graph, { listingId: listing.id, title: listing.title });
}

const dryRunDeps: DryRunDeps = { specs: registry, loadRunner };

// One run at a time per version in this process: a burst of first views after an upgrade runs the tests once.
const inFlight = new Map<string, Promise<ListingTestResult>>();

/** Runs the version's tests now and stores the result. A graph this Baton cannot compile fails them, saying why. */
function runAndStore(
  listing: { id: string; title: string },
  version: ListingVersionView,
  stored: { tests: ListingTest[]; hash: string },
): Promise<ListingTestResult> {
  const key = `${listing.id}@${version.version}`;
  let running = inFlight.get(key);
  if (!running) {
    running = (async () => {
      const base = { ranAt: new Date().toISOString(), batonVersion: currentBatonVersion() };
      let result: ListingTestResult;
      try {
        const outcome = await dryRunTests(planOf(listing, version), stored.tests, dryRunDeps);
        result = outcome.passed
          ? { ...base, passed: true, tests: outcome.ran }
          : {
              ...base,
              passed: false,
              tests: outcome.ran,
              failedTest: outcome.failure!.test,
              ...(outcome.failure!.nodeId ? { nodeId: outcome.failure!.nodeId } : {}),
              message: outcome.failure!.message,
            };
      } catch (err) {
        if (!(err instanceof MarketplaceError)) throw err;
        result = { ...base, passed: false, tests: 0, message: err.message };
      }
      await saveTestResult(listing.id, version.version, { result, fixturesHash: stored.hash });
      return result;
    })().finally(() => inFlight.delete(key));
    inFlight.set(key, running);
  }
  return running;
}

/** Attaching is for the publisher's own versions: an imported one's tests are signed at its origin only. */
function viewerOf(
  caller: Caller,
  found: { listing: { publisherWorkspaceId: string }; version: ListingVersionView },
): ListingTestsView['viewer'] {
  const canRun = can(caller, 'workflow.write');
  const own = found.listing.publisherWorkspaceId === caller.scope.workspaceId && !found.version.imported;
  return { canRun, canAttach: canRun && own };
}

/** GET: the test names and this instance's result, running the tests first when none is current. */
export async function readListingTests(caller: Caller, listingId: string, version: string): Promise<Response> {
  try {
    const found = await visibleVersion(caller, listingId, version);
    const stored = await versionTests(listingId, version);
    const view: ListingTestsView = {
      tests: stored.tests.map((t) => t.name),
      result: null,
      viewer: viewerOf(caller, found),
    };
    if (stored.tests.length === 0) return json(view);
    if (stored.problem) return json({ ...view, untrusted: stored.problem });
    const known = await getTestResult(listingId, version);
    const current =
      known && known.fixturesHash === stored.hash && known.result.batonVersion === currentBatonVersion()
        ? known.result
        : await runAndStore(found.listing, found.version, stored);
    return json({ ...view, result: current });
  } catch (err) {
    return marketplaceRefusal(err);
  }
}

/** POST: runs the version's tests now. */
export async function runListingTests(caller: Caller, listingId: string, version: string): Promise<Response> {
  try {
    const found = await visibleVersion(caller, listingId, version);
    const stored = await versionTests(listingId, version);
    if (stored.tests.length === 0)
      throw new MarketplaceError('invalid', `Version ${version} of "${found.listing.title}" has no tests to run.`);
    if (stored.problem) throw new MarketplaceError('invalid', `${stored.problem} They are not run.`);
    const result = await runAndStore(found.listing, found.version, stored);
    const view: ListingTestsView = {
      tests: stored.tests.map((t) => t.name),
      result,
      viewer: viewerOf(caller, found),
    };
    return json(view);
  } catch (err) {
    return marketplaceRefusal(err);
  }
}

/**
 * POST …/tests/attach: a test made from a successful run of the caller's workspace that ran this version's graph,
 * added to the version's tests (replacing one of the same name) once it passes here. `raw` is the body, checked
 * against `attachBody`.
 */
export async function attachTestsFromRun(
  caller: Caller,
  listingId: string,
  version: string,
  raw: unknown,
): Promise<Response> {
  try {
    const found = await visibleVersion(caller, listingId, version);
    if (found.listing.publisherWorkspaceId !== caller.scope.workspaceId)
      throw new MarketplaceError('not-found', `Listing ${listingId} does not exist in this workspace.`);
    // Read after the listing: another workspace learns nothing from how its body is refused.
    const body = parseWith(attachBody, raw);
    if (found.version.imported)
      throw new MarketplaceError(
        'invalid',
        `Version ${version} was imported from a bundle: only its publisher can sign tests for it. Attach them on ` +
          `the publisher's instance and import the new bundle.`,
      );
    const plan = planOf(found.listing, found.version);
    const test = await testFromRun(caller, plan, body.runId, body.name?.trim() || `Run ${body.runId}`);
    const stored = keptTests(await versionTests(listingId, version));
    const tests = checkedTests([...stored.filter((t) => t.name !== test.name), test], plan);
    const outcome = await dryRunTest(plan, test, dryRunDeps);
    if (!outcome.passed)
      throw new MarketplaceError(
        'invalid',
        `Run ${body.runId} does not pass as a test on this Baton, so it was not attached: ${outcome.message}`,
      );
    // Signed with the version's key: the attach is the publisher vouching for every test the version now has.
    const hash = await storeSignedTests(listingId, version, tests);
    const result = await runAndStore(found.listing, found.version, { tests, hash });
    const view: ListingTestsView = { tests: tests.map((t) => t.name), result, viewer: viewerOf(caller, found) };
    return json(view, 201);
  } catch (err) {
    return marketplaceRefusal(err);
  }
}

/**
 * The tests an attach keeps beside the new one: those that verify, and older ones attached before fixtures were signed
 * (the publisher's own, listed on the page, signed by this attach). Tests changed since they were signed are dropped.
 */
function keptTests(stored: VersionTests): ListingTest[] {
  return stored.problem && stored.signature ? [] : stored.tests;
}

/**
 * The test a run makes: its trigger input, the recorded outcome of each node with side effects, the output of each
 * node that runs for real. The run must have run the listed graph: the same nodes, types and versions. Outputs are
 * read as the step records hold them (secrets were scrubbed before they were stored), blob references resolved.
 */
async function testFromRun(caller: Caller, plan: Plan, runId: string, name: string): Promise<ListingTest> {
  const run = await getRun(caller.scope, runId);
  if (!run) throw new MarketplaceError('not-found', `Run ${runId} does not exist in this workspace.`);
  if (run.status !== 'succeeded')
    throw new MarketplaceError('invalid', `Run ${runId} ended ${run.status}: attach tests from a run that succeeded.`);
  const ranPlan = await getPlan(run.planHash);
  if (!ranPlan) throw new MarketplaceError('invalid', `Run ${runId}'s plan is no longer stored: attach a newer run.`);
  checkSameGraph(plan, ranPlan, runId);
  const steps = await listTopLevelStepRecords(runId);
  const ran = new Set(steps.filter((s) => s.status === 'succeeded' || s.status === 'failed').map((s) => s.nodeId));
  const valueOf = async (step: StepDoc) =>
    step.output === undefined ? null : resolveBlobRefs(JSON.parse(step.output) as unknown, runId);
  const test: ListingTest = { name, trigger: run.trigger ?? {}, recorded: {}, expect: {} };
  for (const step of steps) {
    const node = plan.nodes[step.nodeId];
    if (!node || !ran.has(node.id)) continue;
    const kind = replayKindOf(node);
    if (kind === 'trigger') test.trigger = await valueOf(step);
    else if (kind === 'real') test.expect[node.id] = await valueOf(step);
    else test.recorded[node.id] = await recordedOf(step, valueOf, firedPorts(ranPlan, node.id, ran));
  }
  return test;
}

async function recordedOf(
  step: StepDoc,
  valueOf: (step: StepDoc) => Promise<unknown>,
  port: string | string[] | undefined,
): Promise<RecordedOutcome> {
  if (step.status === 'failed')
    return { error: { message: step.error?.message ?? 'failed', code: step.error?.code ?? 'node-error' } };
  return { output: await valueOf(step), ...(port === undefined ? {} : { port }) };
}

/**
 * Which outputs of `nodeId` fired in the run, read from which of the nodes they lead to ran: undefined when all of
 * them did (the default), else the ports that did. A loop's body is not a top-level output.
 */
function firedPorts(plan: Plan, nodeId: string, ran: Set<string>): string | string[] | undefined {
  const out = plan.edges.filter(
    (e) => e.from.node === nodeId && !(plan.nodes[nodeId].kind === 'loop' && e.from.port === 'body'),
  );
  const all = [...new Set(out.map((e) => e.from.port))];
  const fired = [...new Set(out.filter((e) => ran.has(e.to.node)).map((e) => e.from.port))];
  if (fired.length === all.length && !fired.includes('error')) return undefined;
  return fired.length === 1 ? fired[0] : fired;
}

/** Refuses a run of another graph than the listed one, naming the first node that differs. */
function checkSameGraph(listed: Plan, ran: Plan, runId: string): void {
  const ids = [...new Set([...Object.keys(listed.nodes), ...Object.keys(ran.nodes)])].sort();
  for (const id of ids) {
    const a = listed.nodes[id];
    const b = ran.nodes[id];
    if (a && b && a.type === b.type && a.version === b.version) continue;
    const what = !a
      ? `node "${b!.name}" (${id}) is not in the listed version`
      : !b
        ? `node "${a.name}" (${id}) of the listed version did not exist in it`
        : `node "${a.name}" (${id}) is ${b.type}@${b.version} there but ${a.type}@${a.version} in the listed version`;
    throw new MarketplaceError(
      'invalid',
      `Run ${runId} ran a different graph: ${what}. Run the version you listed, then attach that run.`,
    );
  }
}
