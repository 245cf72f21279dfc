// One marketplace listing (docs/decisions/068): title, publisher, the graph's preview, the description (markdown,
// rendered strictly: a script in it shows as text), what it needs (manifest), versions with changelogs, installs and
// rating; and the parts other pages own: install (InstallListingButton), trust (ListingTrust), reviews
// (ListingReviews). A listing this workspace may not see answers like a missing one: 404, except to a marketplace
// moderator, who gets it read-only with the moderation controls (no install: it is not shared with their workspace).
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { isRouteErrorResponse, Link, useLoaderData, useRouteError } from '@remix-run/react';
import { InstallListingButton } from '../components/marketplace/InstallListingButton';
import { PermissionChips, RatingStars } from '../components/marketplace/ListingCard';
import { installsText } from '../components/marketplace/listing-labels';
import { ListingManifestCard } from '../components/marketplace/ListingManifestCard';
import { ListingReviews } from '../components/marketplace/ListingReviews';
import { ListingTrust } from '../components/marketplace/ListingTrust';
import { ListingVersions } from '../components/marketplace/ListingVersions';
import { MarkdownText } from '../components/marketplace/MarkdownText';
import { requirePageCaller } from '../lib/auth.server';
import { routeErrorMessage } from '../lib/format';
import { marketplaceListing } from '../lib/marketplace-pages.server';
import marketplaceCss from '../styles/marketplace.css?url';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: marketplaceCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.listing.title ?? 'Listing'} · Marketplace · Baton` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/marketplace/:id');
  const found = await marketplaceListing(caller, params.id ?? '');
  if (!found)
    throw new Response('This listing does not exist, or it is not shared with this workspace.', { status: 404 });
  return found;
}

export default function ListingPage() {
  const { listing, versions, publisherName, preview, nodeTypes, viewer, moderatorView } =
    useLoaderData<typeof loader>();
  const latest = versions[0];
  const own = listing.publisherWorkspaceId === viewer.workspaceId;
  return (
    <main className="page listing-page">
      <div className="page-header">
        <div className="listing-heading">
          <Link to="/marketplace" className="back-link">
            ← Marketplace
          </Link>
          <h1>{listing.title}</h1>
          <p className="listing-byline">
            by <strong>{publisherName}</strong>
            {own && <span className="badge">Your workspace</span>}
            {listing.unpublished && <span className="badge failed">Unpublished</span>}
            {listing.visibility === 'workspace' && <span className="badge">Only this workspace</span>}
          </p>
          <div className="listing-facts">
            <span className="listing-category">{listing.category}</span>
            {listing.latestVersion && <span className="mono">v{listing.latestVersion}</span>}
            <RatingStars rating={listing.rating} count={listing.ratingCount} />
            <span className="muted">{installsText(listing.installs)}</span>
            <PermissionChips permissions={listing.permissions} />
          </div>
          {listing.tags.length > 0 && (
            <ul className="listing-tags" aria-label="Tags">
              {listing.tags.map((tag) => (
                <li key={tag} className="listing-tag">
                  {tag}
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="listing-actions">
          {!moderatorView && <InstallListingButton listing={listing} versions={versions} viewer={viewer} />}
        </div>
      </div>
      {moderatorView && (
        <div className="banner info" role="status">
          You see this listing as a marketplace moderator: it is not shared with your workspace, so it cannot be
          installed here. The moderation controls are under Ratings and reviews.
        </div>
      )}
      {preview && (
        <img className="listing-preview" src={preview} alt={`Graph of ${listing.title}`} width={1200} height={630} />
      )}
      <div className="listing-columns">
        <div className="listing-main">
          <article className="card listing-about" aria-label="About this workflow">
            {listing.description.trim() ? (
              <MarkdownText source={listing.description} className="listing-description" />
            ) : (
              <p className="muted">The publisher wrote no description.</p>
            )}
          </article>
          <ListingVersions versions={versions} />
          <ListingReviews listing={listing} versions={versions} viewer={viewer} />
        </div>
        <aside className="listing-side">
          <ListingTrust listing={listing} versions={versions} viewer={viewer} />
          {latest ? (
            <ListingManifestCard manifest={latest.manifest} nodeTypes={nodeTypes} />
          ) : (
            <p className="muted">No version is published yet.</p>
          )}
        </aside>
      </div>
    </main>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const missing = isRouteErrorResponse(error) && error.status === 404;
  return (
    <main className="page listing-page">
      <Link to="/marketplace" className="back-link">
        ← Marketplace
      </Link>
      {missing ? (
        <div className="card empty marketplace-empty" role="status">
          <h1>Listing not found</h1>
          <p className="muted">
            This listing does not exist, or it is not shared with this workspace. It may have been unpublished.
          </p>
          <Link className="btn" to="/marketplace">
            Browse the marketplace
          </Link>
        </div>
      ) : (
        <div className="banner error" role="alert">
          Could not show this listing: {routeErrorMessage(error, 'Something went wrong.')}
        </div>
      )}
    </main>
  );
}
