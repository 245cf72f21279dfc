// Installing a marketplace listing (docs/decisions/069): the version must verify (signature, key not revoked), this
// Baton must know its node types and be at least its minimum version, and every credential mapped must be one of
// the caller's workspace of a type the node accepts, and every existing data table chosen one of that workspace (the
// tables chosen as new are created with the manifest's columns). The workflow is made as a draft from the listing
// graph with the mapping and tables applied, the install is recorded (the base of later updates) and the listing's
// install count grows.
import { z } from 'zod';
import { MarketplaceError, type ListingVersionView, type ListingView } from '../../contracts/marketplace';
import type { InstallPreflight } from '../../contracts/marketplace-install';
import { getCredential } from '../../db/credentials';
import { installsOfListing, installView, recordInstall } from '../../db/marketplace-installs';
import { canSee, countInstall, getListing, listingVersions } from '../../db/marketplace-listings';
import { createWorkflow, getWorkflow } from '../../db/workflows';
import { getWorkspace } from '../../db/workspaces';
import {
  credentialSlot,
  localGraph,
  versionProblems,
  withCredentials,
  withTables,
} from '../../ir/marketplace/install-graph';
import { maskSecrets } from '../../nodes/secret-params';
import type { Caller } from './caller.server';
import { checkForSave, summarizeDiagnostics } from './document-check';
import { json } from './http.server';
import { currentBatonVersion, marketplaceRefusal } from './marketplace.server';
import { resolveTableChoices, tableChoiceSchema, TableChoiceError } from './table-choices.server';
import { foreignReferenceRefusal } from './workflow-references.server';

export const installBody = z
  .object({
    version: z.string().max(64).optional(),
    name: z.string().trim().min(1, 'Give the workflow a name.').max(200).optional(),
    credentials: z.record(z.string().max(200), z.string().max(100)).default({}),
    /** Manifest table key → a table to create or one of the caller's workspace; an absent key stays unset. */
    tables: z.record(z.string().max(100), tableChoiceSchema).default({}),
  })
  .strict();

/** The checked body; `tables` may be left out by server callers (no table chosen). */
export type InstallBody = Omit<z.output<typeof installBody>, 'tables'> &
  Partial<Pick<z.output<typeof installBody>, 'tables'>>;

/** A listing the caller may see, with its versions; hidden ones read as missing. */
export async function visibleListing(
  caller: Caller,
  listingId: string,
): Promise<{ listing: ListingView; versions: ListingVersionView[] }> {
  const listing = await getListing(listingId);
  if (!listing || !canSee(listing, caller.scope.workspaceId))
    throw new MarketplaceError('not-found', `Listing ${listingId} does not exist.`);
  return { listing, versions: await listingVersions(listingId) };
}

/** The version asked for (the latest when absent), refused with every reason it cannot be used here. */
export function usableVersion(
  listing: ListingView,
  versions: ListingVersionView[],
  wanted: string | undefined,
): ListingVersionView {
  const name = wanted ?? listing.latestVersion;
  const version = versions.find((v) => v.version === name);
  if (!version)
    throw new MarketplaceError('not-found', `"${listing.title}" has no version ${String(name).slice(0, 64)}.`);
  const problems = versionProblems(version, currentBatonVersion());
  if (problems.length)
    throw new MarketplaceError(
      'invalid',
      `"${listing.title}" ${version.version} cannot be used: ${problems.join(' ')}`,
    );
  return version;
}

/** The mapping checked: each key a credential param of the listing, each id a credential of this workspace of a fitting type. */
async function checkedCredentials(caller: Caller, version: ListingVersionView, mapping: Record<string, string>) {
  const out: Record<string, string> = {};
  for (const [key, id] of Object.entries(mapping)) {
    if (id === '') continue;
    const found = credentialSlot(version.manifest.credentials, key);
    if (!found.ok) throw new MarketplaceError('invalid', found.message);
    const { slot } = found;
    const where = `Credential for node "${slot.nodeName}" (${slot.nodeId}), param ${slot.param}`;
    const credential = await getCredential(caller.scope, id);
    if (!credential)
      throw new MarketplaceError(
        'invalid',
        `${where}: ${id.slice(0, 100)} is not a credential of this workspace; pick one of this workspace’s ` +
          `${slot.types.join(' or ')} credentials or create one.`,
      );
    if (!slot.types.includes(credential.type))
      throw new MarketplaceError(
        'invalid',
        `${where}: "${credential.name}" is a ${credential.type} credential; this node needs ${slot.types.join(' or ')}.`,
      );
    out[key] = id;
  }
  return out;
}

/** The chosen tables' ids by manifest key, the new ones created; a refusal names the table. */
async function chosenTables(caller: Caller, ip: string, version: ListingVersionView, body: InstallBody) {
  try {
    return await resolveTableChoices(caller, ip, version.manifest.tables ?? [], body.tables ?? {});
  } catch (err) {
    if (err instanceof TableChoiceError) throw new MarketplaceError('invalid', err.message);
    throw err;
  }
}

/** Installs `body.version` of the listing as a new draft workflow of the caller's workspace. */
export async function installListing(caller: Caller, listingId: string, body: InstallBody, ip = '') {
  const { listing, versions } = await visibleListing(caller, listingId);
  const version = usableVersion(listing, versions, body.version);
  const credentials = await checkedCredentials(caller, version, body.credentials);
  const name = body.name ?? listing.title;
  const tables = await chosenTables(caller, ip, version, body);
  const document = withTables(
    withCredentials(localGraph(version.graph), credentials),
    version.manifest.tables ?? [],
    tables.ids,
  );
  const check = checkForSave(document, { workflowId: 'new', name });
  if (!check.ok) {
    await tables.undo();
    throw new MarketplaceError(
      'invalid',
      summarizeDiagnostics(`"${listing.title}" ${version.version} cannot be installed`, check.diagnostics, document),
    );
  }
  const foreign = await foreignReferenceRefusal(caller.scope, document);
  if (foreign) {
    await tables.undo();
    throw new MarketplaceError('invalid', ((await foreign.json()) as { error: { message: string } }).error.message);
  }
  const workflow = await createWorkflow(caller.scope, { name, ownerId: caller.user.id, document });
  const install = await recordInstall({
    workflowId: workflow.id,
    workspaceId: caller.scope.workspaceId,
    listingId,
    version: version.version,
    baseGraph: version.graph,
    by: caller.user.id,
  });
  await countInstall(listingId);
  return { workflow: { ...workflow, document: maskSecrets(workflow.document) }, install: installView(install) };
}

/** What the wizard shows before installing: the signer's workspace, this workspace's installs, each version's problems. */
export async function installPreflight(caller: Caller, listingId: string): Promise<InstallPreflight> {
  const { listing, versions } = await visibleListing(caller, listingId);
  const publisher = await getWorkspace(listing.publisherWorkspaceId);
  const installed: InstallPreflight['installed'] = [];
  for (const install of await installsOfListing(caller.scope.workspaceId, listingId)) {
    const workflow = await getWorkflow(caller.scope, install.workflowId);
    if (workflow)
      installed.push({
        workflowId: workflow.id,
        workflowName: workflow.name,
        version: install.version,
        installedAt: install.installedAt,
      });
  }
  return {
    publisher: { workspaceId: listing.publisherWorkspaceId, name: publisher?.name ?? 'a workspace that was deleted' },
    batonVersion: currentBatonVersion(),
    installed,
    problems: Object.fromEntries(versions.map((v) => [v.version, versionProblems(v, currentBatonVersion())])),
  };
}

/** The route's answers: JSON, a MarketplaceError as its status. */
export async function installResponse(
  caller: Caller,
  listingId: string,
  body: InstallBody,
  ip: string,
): Promise<Response> {
  try {
    return json(await installListing(caller, listingId, body, ip), 201);
  } catch (err) {
    return marketplaceRefusal(err);
  }
}

export async function preflightResponse(caller: Caller, listingId: string): Promise<Response> {
  try {
    return json(await installPreflight(caller, listingId));
  } catch (err) {
    return marketplaceRefusal(err);
  }
}
