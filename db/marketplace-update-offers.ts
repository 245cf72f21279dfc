// Which installed workflows of a workspace have a newer version of their listing to offer (docs/decisions/069): the
// workflow list's "Update available" badge. Two reads for the whole list, whatever its length: the workspace's
// install records, then the listings they name by primary key. The rule is the editor notice's
// (app/lib/marketplace-update.server.ts marketplaceStatus): a listing the workspace may no longer see offers nothing.
import type { ListingView } from '../contracts/marketplace';
import { compareSemver } from '../ir/marketplace/semver';
import { installedVersions } from './marketplace-installs';
import { ListingModel, canSee } from './marketplace-listings';

/** The listing fields the offer depends on. */
export type OfferedListing = Pick<ListingView, 'publisherWorkspaceId' | 'visibility' | 'unpublished' | 'latestVersion'>;

/** The version to offer a workflow installed at `installedVersion`, or null: none from a listing it may not see. */
export function offeredVersion(
  listing: OfferedListing | undefined,
  workspaceId: string,
  installedVersion: string,
): string | null {
  if (!listing?.latestVersion) return null;
  return canSee(listing, workspaceId) && compareSemver(listing.latestVersion, installedVersion) > 0
    ? listing.latestVersion
    : null;
}

/** The version each installed workflow of the workspace may update to, by workflow id; workflows with none are absent. */
export async function updateOffers(workspaceId: string): Promise<Map<string, string>> {
  const installs = await installedVersions(workspaceId);
  if (installs.size === 0) return new Map();
  const listingIds = [...new Set([...installs.values()].map((i) => i.listingId))];
  const docs = (await ListingModel.find(
    { _id: { $in: listingIds } },
    { publisherWorkspaceId: 1, visibility: 1, unpublished: 1, latestVersion: 1 },
  ).lean()) as Array<OfferedListing & { _id: string }>;
  const listings = new Map(docs.map((d) => [d._id, d]));
  const offers = new Map<string, string>();
  for (const [workflowId, install] of installs) {
    const version = offeredVersion(listings.get(install.listingId), workspaceId, install.version);
    if (version) offers.set(workflowId, version);
  }
  return offers;
}
