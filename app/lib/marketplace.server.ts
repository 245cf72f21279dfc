// The marketplace API's server side (docs/decisions/061): publish a workflow's published version as a listing or a
// new version of one (graph stripped of credentials and secrets, manifest derived, signed with the workspace's
// key), search and read listings under the visibility rules, and the workspace's signing keys.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  LISTING_LIMITS,
  LISTING_PERMISSIONS,
  LISTING_SORTS,
  LISTING_VISIBILITIES,
  MarketplaceError,
  type ListingTable,
  type ListingView,
} from '../../contracts/marketplace';
import { getDataTable } from '../../db/data-tables';
import {
  addVersion,
  backfillSearchIndex,
  canSee,
  createListing,
  getListing,
  listingVersions,
  refuseIfImported,
  searchListings,
  type ListingQuery,
} from '../../db/marketplace-listings';
import { importedKey, listImportedKeys, revokeImportedKey } from '../../db/imported-publisher-keys';
import { activeKey, listKeys, revokeKey, rotateKey } from '../../db/publisher-keys';
import { getVersion, getWorkflow } from '../../db/workflows';
import { listingGraphOf, listingTablesOf, manifestOf, tableTargetsOf } from '../../ir/marketplace/manifest';
import type { WorkflowDocument } from '../../ir/types';
import type { Caller } from './caller.server';
import { apiError, json, readJson, parseWith } from './http.server';
import { moderates } from './marketplace-reviews.server';

/** Listing bodies are small: the description stops at 50 KB, and the graph comes from the store, not the client. */
const LISTING_BODY_LIMIT = 256 * 1024;

let batonVersion: string | undefined;
/** This Baton's version (package.json in the working directory, as for the built app and the Docker image). */
export function currentBatonVersion(): string {
  if (batonVersion === undefined) {
    try {
      batonVersion = String(JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')).version ?? '0.0.0');
    } catch {
      batonVersion = '0.0.0';
    }
  }
  return batonVersion;
}

const versionFields = {
  version: z.string().max(64),
  changelog: z.string().max(LISTING_LIMITS.changelogChars).default(''),
};

export const publishBody = z
  .object({
    workflowId: z.string().max(64),
    title: z.string().max(LISTING_LIMITS.title * 4),
    description: z.string().default(''),
    category: z.string().max(LISTING_LIMITS.category * 4),
    tags: z.array(z.string().max(200)).max(100).default([]),
    icon: z.string().max(LISTING_LIMITS.icon).default(''),
    visibility: z.enum(LISTING_VISIBILITIES).default('workspace'),
    ...versionFields,
  })
  .strict();

export const versionBody = z.object({ workflowId: z.string().max(64).optional(), ...versionFields }).strict();

/** The body, with a body past the limit refused naming the description's cap (the field that makes bodies big). */
export async function readListingBody<S extends z.ZodTypeAny>(request: Request, schema: S): Promise<z.output<S>> {
  try {
    return parseWith(schema, await readJson(request, LISTING_BODY_LIMIT));
  } catch (err) {
    if (err instanceof Response && err.status === 413) {
      const refused = apiError(
        413,
        `The request is larger than ${LISTING_BODY_LIMIT / 1024} KB: a listing's description may be at most ` +
          `${LISTING_LIMITS.descriptionBytes / 1024} KB.`,
      );
      refused.headers.set('Connection', 'close');
      throw refused;
    }
    throw err;
  }
}

export function marketplaceRefusal(err: unknown): Response {
  if (!(err instanceof MarketplaceError)) throw err;
  const status = { invalid: 400, 'not-found': 404, conflict: 409, forbidden: 403 }[err.code];
  return apiError(status, err.message);
}

/** The stripped graph and manifest of the workflow's published version, in the caller's workspace. */
async function publishedContent(caller: Caller, workflowId: string) {
  const workflow = await getWorkflow(caller.scope, workflowId);
  if (!workflow) throw new MarketplaceError('not-found', `Workflow ${workflowId} does not exist.`);
  if (workflow.publishedVersion === null)
    throw new MarketplaceError(
      'invalid',
      `Workflow "${workflow.name}" has no published version: publish it first, then list it.`,
    );
  const published = await getVersion(workflow.id, workflow.publishedVersion);
  if (!published) throw new MarketplaceError('not-found', `Workflow "${workflow.name}" lost its published version.`);
  const document = published.document as WorkflowDocument;
  const manifest = manifestOf(document, currentBatonVersion());
  const tables = await publisherTables(caller, document);
  return { workflow, graph: listingGraphOf(document), manifest: tables.length ? { ...manifest, tables } : manifest };
}

/** The manifest's table needs: the name and columns of each table of this workspace the graph's table params name. */
async function publisherTables(caller: Caller, document: WorkflowDocument): Promise<ListingTable[]> {
  const targets = tableTargetsOf(document);
  const described = new Map<string, Pick<ListingTable, 'name' | 'columns'>>();
  for (const [tableId, where] of targets) {
    const table = await getDataTable(caller.scope, tableId);
    if (!table)
      throw new MarketplaceError(
        'invalid',
        `Node ${where[0].nodeId}, param ${where[0].param}: ${tableId.slice(0, 100)} is not a data table of this ` +
          'workspace (it was deleted?). Pick a table on the node, publish the workflow, then list it.',
      );
    described.set(tableId, {
      name: table.name,
      columns: table.columns.map((c) => ({
        name: c.name,
        type: c.type,
        ...(c.required ? { required: true } : {}),
        ...(c.unique ? { unique: true } : {}),
      })),
    });
  }
  return listingTablesOf(targets, described);
}

export async function publishListing(caller: Caller, body: z.output<typeof publishBody>): Promise<Response> {
  try {
    const { workflow, graph, manifest } = await publishedContent(caller, body.workflowId);
    const { listing, version } = await createListing({
      publisherWorkspaceId: caller.scope.workspaceId,
      workflowId: workflow.id,
      meta: {
        title: body.title,
        description: body.description,
        category: body.category,
        tags: body.tags,
        icon: body.icon,
        visibility: body.visibility,
      },
      content: { version: body.version, changelog: body.changelog, graph, manifest },
    });
    return json({ listing, version }, 201);
  } catch (err) {
    return marketplaceRefusal(err);
  }
}

/** A new version from the listed workflow's current published version (or another workflow of the workspace). */
export async function publishVersion(
  caller: Caller,
  listingId: string,
  body: z.output<typeof versionBody>,
): Promise<Response> {
  try {
    const listing = await getListing(listingId);
    if (!listing || listing.publisherWorkspaceId !== caller.scope.workspaceId)
      throw new MarketplaceError('not-found', `Listing ${listingId} does not exist in this workspace.`);
    await refuseIfImported(listingId);
    const { graph, manifest } = await publishedContent(caller, body.workflowId ?? listing.workflowId);
    const version = await addVersion(caller.scope.workspaceId, listingId, {
      version: body.version,
      changelog: body.changelog,
      graph,
      manifest,
    });
    return json({ version }, 201);
  } catch (err) {
    return marketplaceRefusal(err);
  }
}

export const listingQuery = z.object({
  q: z.string().max(200).optional(),
  category: z.string().max(LISTING_LIMITS.category).optional(),
  permission: z.enum(LISTING_PERMISSIONS).optional(),
  nodeType: z.string().max(64).optional(),
  sort: z.enum(LISTING_SORTS).optional(),
});

/**
 * At web start: indexes the words of listings the token index lacks (docs/decisions/073); a failure is logged, and
 * those listings are found by their words once a later start indexes them.
 */
export async function indexListingSearchAtStart(): Promise<void> {
  try {
    const indexed = await backfillSearchIndex();
    if (indexed > 0) console.log(`[marketplace] Indexed the search words of ${indexed} listing(s).`);
  } catch (err) {
    console.error(`[marketplace] Could not index listings for search: ${(err as Error).message}`);
  }
}

export async function findListings(caller: Caller, url: URL): Promise<Response> {
  const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ''));
  const query: ListingQuery = parseWith(listingQuery, raw);
  return json({ listings: await searchListings(caller.scope.workspaceId, query) });
}

/**
 * Whether the caller may open the listing: when their workspace may see it, or when they moderate the marketplace and
 * the listing is theirs to moderate: shared beyond its workspace (unpublished too), or on the moderation page
 * (unpublished or featured). Another workspace's own listing, an imported bundle say, stays that workspace's alone.
 */
export function mayOpen(caller: Caller, listing: ListingView): boolean {
  if (canSee(listing, caller.scope.workspaceId)) return true;
  const moderated = listing.visibility !== 'workspace' || listing.unpublished || listing.featured;
  return moderated && moderates(caller);
}

export async function readListing(caller: Caller, listingId: string): Promise<Response> {
  const listing = await getListing(listingId);
  // Another workspace's hidden listing answers like a missing one: its existence is not the caller's to learn.
  if (!listing || !mayOpen(caller, listing)) return apiError(404, `Listing ${listingId} does not exist.`);
  return json({ listing, versions: await listingVersions(listingId) });
}

export async function workspaceKeys(caller: Caller): Promise<Response> {
  await activeKey(caller.scope.workspaceId);
  const [keys, importedKeys] = await Promise.all([
    listKeys(caller.scope.workspaceId),
    listImportedKeys(caller.scope.workspaceId),
  ]);
  return json({ keys, importedKeys });
}

export async function rotateWorkspaceKey(caller: Caller): Promise<Response> {
  return json({ key: await rotateKey(caller.scope.workspaceId) }, 201);
}

export async function revokeWorkspaceKey(caller: Caller, keyId: string): Promise<Response> {
  try {
    return json({ key: await revokeKey(caller.scope.workspaceId, keyId) });
  } catch (err) {
    // A key kept from an imported bundle (docs/decisions/070): revoking it stops trusting it in this workspace.
    if (
      err instanceof MarketplaceError &&
      err.code === 'not-found' &&
      (await importedKey(caller.scope.workspaceId, keyId))
    )
      return json({ importedKey: await revokeImportedKey(caller.scope.workspaceId, keyId) });
    return marketplaceRefusal(err);
  }
}
