// What the marketplace pages load (docs/decisions/068): the browse page's listings for the URL's query and filters,
// the filter choices and the featured shelf; one listing with its versions, its publisher's name and its previews.
// Both read the store directly under the same visibility rules as GET /api/marketplace/listings.
import {
  LISTING_PERMISSIONS,
  LISTING_SORTS,
  type ListingPermission,
  type ListingSort,
  type ListingView,
} from '../../contracts/marketplace';
import { canSee, getListing, latestGraphs, listingVersions, searchListings } from '../../db/marketplace-listings';
import { getWorkspace } from '../../db/workspaces';
import { renderWorkflowPreviewSvg, svgDataUrl } from '../../ir/preview/render-svg';
import { registry } from '../../nodes/index';
import type { Caller } from './caller.server';
import { listingQuery, mayOpen } from './marketplace.server';

export interface BrowseFilters {
  q: string;
  category: string;
  permission: string;
  nodeType: string;
  sort: string;
}

/** A node type as the filters and the manifest show it. */
export interface NodeTypeChoice {
  type: string;
  title: string;
  icon: string;
}

export function nodeTypeChoice(type: string): NodeTypeChoice {
  const spec = registry.list().find((s) => s.type === type);
  return { type, title: spec?.title ?? type, icon: spec?.icon ?? '' };
}

/** The URL's filters, each dropped when it is not one the API accepts (a hand-edited URL shows everything). */
export function browseFiltersOf(url: URL): BrowseFilters {
  const get = (key: string) => url.searchParams.get(key) ?? '';
  const parsed = listingQuery.safeParse({
    q: get('q').slice(0, 200),
    category: get('category') || undefined,
    permission: (LISTING_PERMISSIONS as readonly string[]).includes(get('permission')) ? get('permission') : undefined,
    nodeType: get('nodeType') || undefined,
    sort: (LISTING_SORTS as readonly string[]).includes(get('sort')) ? get('sort') : undefined,
  });
  const data = parsed.success ? parsed.data : {};
  return {
    q: data.q ?? '',
    category: data.category ?? '',
    permission: data.permission ?? '',
    nodeType: data.nodeType ?? '',
    sort: data.sort ?? 'installs',
  };
}

const previewsOf = async (listings: ListingView[]) => {
  const graphs = await latestGraphs(listings);
  return Object.fromEntries(
    [...graphs].map(([id, graph]) => {
      const title = listings.find((l) => l.id === id)?.title;
      return [id, svgDataUrl(renderWorkflowPreviewSvg(graph, { size: 'small', title }))];
    }),
  );
};

export async function browseMarketplace(caller: Caller, url: URL) {
  const filters = browseFiltersOf(url);
  const workspaceId = caller.scope.workspaceId;
  const filtered = Boolean(filters.q || filters.category || filters.permission || filters.nodeType);
  // Every visible listing, for the filter choices and the featured shelf (a catalog of one instance: at most 200).
  const all = await searchListings(workspaceId, { sort: 'newest', limit: 200 });
  const listings = await searchListings(workspaceId, {
    q: filters.q || undefined,
    category: filters.category || undefined,
    permission: (filters.permission || undefined) as ListingPermission | undefined,
    nodeType: filters.nodeType || undefined,
    sort: filters.sort as ListingSort,
    limit: 60,
  });
  const featured = filtered ? [] : all.filter((l) => l.featured).slice(0, 6);
  const categories = [...new Set(all.map((l) => l.category))].sort((a, b) => a.localeCompare(b));
  const nodeTypes = [...new Set(all.flatMap((l) => l.nodeTypes))]
    .map(nodeTypeChoice)
    .sort((a, b) => a.title.localeCompare(b.title));
  return {
    filters,
    listings,
    featured,
    total: all.length,
    categories,
    nodeTypes,
    previews: await previewsOf([...listings, ...featured]),
  };
}

/**
 * One listing the caller may see, or a moderator may open, or undefined (missing and hidden answer alike: a 404 page).
 * `moderatorView` marks a listing shown only because the caller moderates: the page offers no install then.
 */
export async function marketplaceListing(caller: Caller, id: string) {
  const listing = await getListing(id);
  if (!listing || !mayOpen(caller, listing)) return undefined;
  const versions = await listingVersions(id);
  const publisher = await getWorkspace(listing.publisherWorkspaceId);
  const latest = versions[0];
  return {
    listing,
    versions,
    publisherName: publisher?.name ?? 'A removed workspace',
    preview: latest
      ? svgDataUrl(renderWorkflowPreviewSvg(latest.graph, { size: 'large', title: listing.title }))
      : null,
    nodeTypes: Object.fromEntries((latest?.manifest.nodes ?? []).map((n) => [n.type, nodeTypeChoice(n.type)] as const)),
    viewer: { workspaceId: caller.scope.workspaceId, userId: caller.user.id, role: caller.scope.role as string },
    moderatorView: !canSee(listing, caller.scope.workspaceId),
  };
}
