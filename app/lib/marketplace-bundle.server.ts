// Signed bundle export and import for the API (docs/decisions/070): export a version the caller may see as a
// download; import a bundle file (2 MB at most) into the caller's workspace after checking every signature.
import { BUNDLE_MAX_BYTES } from '../../contracts/marketplace-bundle';
import { bundleOfVersion, importBundle } from '../../db/marketplace-bundles';
import { getListing } from '../../db/marketplace-listings';
import { bundleFileName, parseBundle } from '../../ir/marketplace/bundle';
import type { Caller } from './caller.server';
import { apiError, json, readBodyUpTo, tooLarge } from './http.server';
import { marketplaceRefusal, mayOpen } from './marketplace.server';

/** GET …/versions/:version/bundle: the bundle as a `<title>-<version>.baton.json` download. */
export async function exportBundle(caller: Caller, listingId: string, version: string): Promise<Response> {
  const listing = await getListing(listingId);
  // Another workspace's hidden listing answers like a missing one (a moderator may open what it moderates).
  if (!listing || !mayOpen(caller, listing)) return apiError(404, `Listing ${listingId} does not exist.`);
  try {
    const bundle = await bundleOfVersion(listingId, version);
    return new Response(JSON.stringify(bundle, null, 2), {
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Disposition': `attachment; filename="${bundleFileName(listing.title, version)}"`,
        'Cache-Control': 'no-store',
      },
    });
  } catch (err) {
    return marketplaceRefusal(err);
  }
}

/** POST /api/marketplace/bundles with the bundle file as the body. */
export async function importBundleFile(caller: Caller, request: Request): Promise<Response> {
  const body = await readBodyUpTo(request, BUNDLE_MAX_BYTES);
  if (!body)
    return tooLarge(
      `This bundle is larger than ${BUNDLE_MAX_BYTES / 1024 / 1024} MB, the most a bundle may be; ` +
        'export it again from Baton, which makes bundles far smaller.',
    );
  try {
    const bundle = parseBundle(new TextDecoder().decode(body));
    const result = await importBundle(caller.scope.workspaceId, bundle);
    return json(result, result.createdListing ? 201 : 200);
  } catch (err) {
    return marketplaceRefusal(err);
  }
}
