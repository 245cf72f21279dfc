// Updates of installed workflows (docs/decisions/069): whether a newer version exists, the three documents of the
// three-way merge (base = the listing graph the workflow is based on, ours = its current draft, theirs = the new
// version), applying the merge with the user's conflict choices as the new draft, and rolling the last update back.
// Credential params the update left empty keep the user's mapping; the new version must verify before it is used.
import { z } from 'zod';
import { MarketplaceError, type ListingGraph } from '../../contracts/marketplace';
import type { UpdatePreview, WorkflowMarketplaceStatus } from '../../contracts/marketplace-install';
import {
  getInstall,
  installView,
  recordRollback,
  recordUpdate,
  type InstallRecord,
} from '../../db/marketplace-installs';
import { canSee, getListing } from '../../db/marketplace-listings';
import { getWorkflow, updateWorkflow, type Workflow } from '../../db/workflows';
import { keepUserMappings, localGraph } from '../../ir/marketplace/install-graph';
import { compareSemver } from '../../ir/marketplace/semver';
import { MergeError, resolve, threeWayMerge, type ConflictChoice } from '../../ir/merge/three-way';
import type { WorkflowDocument } from '../../ir/types';
import { keepStoredSecrets, maskSecrets } from '../../nodes/secret-params';
import type { Caller } from './caller.server';
import { checkForSave, summarizeDiagnostics } from './document-check';
import { json } from './http.server';
import { marketplaceRefusal } from './marketplace.server';
import { usableVersion, visibleListing } from './marketplace-install.server';
import { foreignReferenceRefusal } from './workflow-references.server';

const choiceSchema = z.union([z.literal('ours'), z.literal('theirs'), z.object({ value: z.unknown() }).strict()]);

export const updateBody = z
  .object({
    version: z.string().max(64),
    revision: z.number().int().min(1),
    choices: z.record(z.string().max(2000), choiceSchema).default({}),
  })
  .strict();

export type UpdateBody = z.output<typeof updateBody>;

/** The workflow and its install record in the caller's workspace, refused when either is missing. */
async function installedWorkflow(caller: Caller, workflowId: string): Promise<[Workflow, InstallRecord]> {
  const workflow = await getWorkflow(caller.scope, workflowId);
  if (!workflow) throw new MarketplaceError('not-found', `Workflow ${workflowId} does not exist.`);
  const install = await getInstall(caller.scope, workflowId);
  if (!install)
    throw new MarketplaceError('conflict', `Workflow "${workflow.name}" was not installed from the marketplace.`);
  return [workflow, install];
}

/** Whether a newer version of the listing the workflow came from exists; null fields when it came from none. */
export async function marketplaceStatus(caller: Caller, workflowId: string): Promise<WorkflowMarketplaceStatus> {
  const workflow = await getWorkflow(caller.scope, workflowId);
  if (!workflow) throw new MarketplaceError('not-found', `Workflow ${workflowId} does not exist.`);
  const install = await getInstall(caller.scope, workflowId);
  if (!install)
    return {
      listingId: null,
      listingTitle: null,
      installedVersion: null,
      latestVersion: null,
      hasUpdate: false,
      rollbackTo: null,
    };
  const listing = await getListing(install.listingId);
  // A listing hidden since (unpublished, or made workspace-only) offers no updates; the installed copy stays.
  const visible = listing && canSee(listing, caller.scope.workspaceId) ? listing : undefined;
  const latest = visible?.latestVersion ?? null;
  return {
    listingId: install.listingId,
    listingTitle: visible?.title ?? null,
    installedVersion: install.version,
    latestVersion: latest,
    hasUpdate: latest !== null && compareSemver(latest, install.version) > 0,
    rollbackTo: install.rollbackTo,
  };
}

/** Base and theirs as the merge reads them: local (no foreign workflow ids), with the user's credentials and tables. */
function mergeInputs(install: InstallRecord, theirsGraph: ListingGraph, ours: unknown) {
  const oursDoc = ours as { nodes: Array<{ id: string; type: string; params?: Record<string, unknown> }> };
  const theirs = keepUserMappings(localGraph(theirsGraph), oursDoc);
  // The base gets the mapping too: otherwise "empty → mapped" reads as a change both sides made.
  const base = keepUserMappings(localGraph(install.baseGraph), oursDoc);
  return { base: base.graph, theirs: theirs.graph, kept: theirs.kept };
}

/** The newer version, refused when it is not newer, does not verify, or cannot run on this Baton. */
async function targetVersion(caller: Caller, install: InstallRecord, wanted: string | undefined) {
  const { listing, versions } = await visibleListing(caller, install.listingId);
  const version = usableVersion(listing, versions, wanted);
  if (compareSemver(version.version, install.version) <= 0)
    throw new MarketplaceError(
      'conflict',
      `This workflow is at ${install.version} of "${listing.title}"; ${version.version} is not newer.`,
    );
  return { listing, version };
}

/** The three documents the review merges (the draft with its secrets masked), for the version asked for. */
export async function updatePreview(caller: Caller, workflowId: string, wanted?: string): Promise<UpdatePreview> {
  const [workflow, install] = await installedWorkflow(caller, workflowId);
  const { listing, version } = await targetVersion(caller, install, wanted);
  const inputs = mergeInputs(install, version.graph, workflow.document);
  return {
    listingId: listing.id,
    listingTitle: listing.title,
    fromVersion: install.version,
    toVersion: version.version,
    changelog: version.changelog,
    revision: workflow.revision,
    base: inputs.base,
    ours: maskSecrets(workflow.document),
    theirs: inputs.theirs,
    keptCredentials: inputs.kept,
  };
}

const draftChanged = (name: string) =>
  new MarketplaceError(
    'conflict',
    `Workflow "${name}" was changed since you reviewed the update: review it again, so nothing of yours is lost.`,
  );

/** Merges the new version into the draft with the user's choices and saves it; the replaced draft can be rolled back. */
export async function applyUpdate(caller: Caller, workflowId: string, body: UpdateBody) {
  const [workflow, install] = await installedWorkflow(caller, workflowId);
  if (workflow.revision !== body.revision) throw draftChanged(workflow.name);
  const { version } = await targetVersion(caller, install, body.version);
  const inputs = mergeInputs(install, version.graph, workflow.document);
  let merged: WorkflowDocument;
  try {
    const result = threeWayMerge(inputs.base, workflow.document, inputs.theirs);
    merged = resolve(result, body.choices as Record<string, ConflictChoice>);
  } catch (err) {
    if (err instanceof MergeError) throw new MarketplaceError('invalid', err.message);
    throw err;
  }
  // An edited value may hold the `[secret]` placeholder the review showed: the stored secret stays.
  const document = keepStoredSecrets(merged, workflow.document);
  const saved = await saveDraft(caller, workflow, document, 'Update not applied');
  const recorded = await recordUpdate(install, {
    toVersion: version.version,
    baseGraph: version.graph,
    replacedDocument: workflow.document,
    by: caller.user.id,
  });
  if (!recorded) throw draftChanged(workflow.name);
  return { workflow: saved, install: installView((await getInstall(caller.scope, workflowId))!) };
}

/** Restores the draft and the version from before the last update. */
export async function rollbackUpdate(caller: Caller, workflowId: string) {
  const [workflow, install] = await installedWorkflow(caller, workflowId);
  const last = install.undo.at(-1);
  if (!last) throw new MarketplaceError('conflict', `Workflow "${workflow.name}" has no update to roll back.`);
  const saved = await saveDraft(caller, workflow, last.document, 'Rollback not applied');
  if (!(await recordRollback(install, caller.user.id))) throw draftChanged(workflow.name);
  return { workflow: saved, install: installView((await getInstall(caller.scope, workflowId))!) };
}

/** Saves `document` as the draft through the same checks as PUT /api/workflows/:id, compare-and-set on revision. */
async function saveDraft(caller: Caller, workflow: Workflow, document: unknown, refusal: string) {
  const check = checkForSave(document, { workflowId: workflow.id, name: workflow.name });
  if (!check.ok) throw new MarketplaceError('invalid', summarizeDiagnostics(refusal, check.diagnostics, document));
  const foreign = await foreignReferenceRefusal(caller.scope, document);
  if (foreign)
    throw new MarketplaceError('invalid', ((await foreign.json()) as { error: { message: string } }).error.message);
  const result = await updateWorkflow(caller.scope, workflow.id, workflow.revision, { document });
  if (!result.ok) throw draftChanged(workflow.name);
  return { ...result.workflow, document: maskSecrets(result.workflow.document) };
}

/** Runs one of the functions above as a route's answer: JSON, a MarketplaceError as its status. */
export async function marketplaceAnswer(work: () => Promise<unknown>, status = 200): Promise<Response> {
  try {
    return json(await work(), status);
  } catch (err) {
    return marketplaceRefusal(err);
  }
}
