// Published versions never change, so what a run of one needs (its frozen plan, and its trigger's params as
// saved) is read and parsed once per process and kept per (workflow, version). Which version is live is not
// cached: callers read the workflow's `publishedVersion` by `_id` on every request, so a publish or a delete
// in any process takes effect at once. A publish in this process also fills the entry and drops the older ones.
import type { DocumentNode, Plan } from '../../ir/types';
import { getPlan, savePlan } from '../../db/plans';
import { getVersion } from '../../db/workflows';
import { checkForRun, summarizeDiagnostics } from './document-check';
import type { PlanRefusal } from './run-plan.server';

export interface PublishedPlan {
  ok: true;
  workflowId: string;
  version: number;
  /** Stored in the plans collection: a run may pin it without saving it again. */
  plan: Plan;
  /** The trigger's params as saved: the plan holds `[secret]` in place of secrets (nodes/define `param.secret`). */
  triggerParams: Record<string, unknown>;
}

/** What the publish route has at hand once a version is frozen and its plan stored. */
export interface PublishedVersion {
  workflowId: string;
  version: number;
  plan: Plan;
  document: unknown;
}

type Entry = Promise<PublishedPlan | PlanRefusal>;

const MAX_ENTRIES = 200;

// One map per process: dev and production load app modules twice (tsx for server.ts, the Remix build for
// routes), and the publish route must reach the map the webhook router reads.
const SHARED: unique symbol = Symbol.for('baton.planCache');
const entries = ((globalThis as { [SHARED]?: Map<string, Entry> })[SHARED] ??= new Map());

const keyOf = (workflowId: string, version: number) => `${workflowId}:${version}`;

/**
 * The frozen plan of a published version, from memory when this process has read it before. Concurrent
 * first requests share one read. `workflowName` is asked only when the plan record is gone and the version
 * is compiled again.
 */
export function publishedPlan(
  workflowId: string,
  version: number,
  workflowName: () => Promise<string>,
): Promise<PublishedPlan | PlanRefusal> {
  const key = keyOf(workflowId, version);
  const cached = entries.get(key);
  if (cached) {
    entries.delete(key); // most recently used goes last
    entries.set(key, cached);
    return cached;
  }
  const loading = loadPublished(workflowId, version, workflowName);
  remember(key, loading);
  // Refusals and failures are not kept: the next request asks the store again.
  void loading.then(
    (found) => !found.ok && forget(key, loading),
    () => forget(key, loading),
  );
  return loading;
}

/** After a publish in this process: the new version is known, and the workflow's older versions are dropped. */
export function rememberPublished({ workflowId, version, plan, document }: PublishedVersion): void {
  for (const key of [...entries.keys()]) if (key.startsWith(`${workflowId}:`)) entries.delete(key);
  const entry: PublishedPlan = { ok: true, workflowId, version, plan, triggerParams: triggerParamsOf(plan, document) };
  remember(keyOf(workflowId, version), Promise.resolve(entry));
}

function remember(key: string, entry: Entry): void {
  entries.set(key, entry);
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
}

function forget(key: string, entry: Entry): void {
  if (entries.get(key) === entry) entries.delete(key);
}

async function loadPublished(
  workflowId: string,
  version: number,
  workflowName: () => Promise<string>,
): Promise<PublishedPlan | PlanRefusal> {
  const published = await getVersion(workflowId, version);
  if (!published)
    return { ok: false, status: 404, message: `Workflow ${workflowId} has no published version ${version}.` };
  const done = (plan: Plan): PublishedPlan => ({
    ok: true,
    workflowId,
    version,
    plan,
    triggerParams: triggerParamsOf(plan, published.document),
  });
  const frozen = await getPlan(published.planHash);
  if (frozen) return done(frozen);
  // The plan record is gone (e.g. pruned); the frozen document compiles to it again.
  const check = checkForRun(published.document, { workflowId, name: await workflowName() });
  if (!check.ok)
    return {
      ok: false,
      status: 422,
      message: summarizeDiagnostics(`Version ${version} no longer compiles`, check.diagnostics, published.document),
      diagnostics: check.diagnostics,
    };
  await savePlan(check.plan);
  return done(check.plan);
}

function triggerParamsOf(plan: Plan, document: unknown): Record<string, unknown> {
  const trigger = plan.nodes[plan.triggerId];
  const saved = (document as { nodes?: DocumentNode[] }).nodes?.find((n) => n.id === trigger.id)?.params;
  return { ...trigger.params, ...saved };
}
