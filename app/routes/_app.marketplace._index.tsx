// The marketplace (docs/decisions/068): search over titles, tags and descriptions, filters for category,
// permissions and node types, sorting by installs, rating or newest, and a featured shelf when nothing is filtered.
// Every listing this workspace may see: its own, other workspaces' instance and public ones, and the official
// listings seeded from templates/.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useNavigation, useRouteError, useSearchParams } from '@remix-run/react';
import { ImportBundleButton } from '../components/marketplace/ImportBundleButton';
import { ListingCard } from '../components/marketplace/ListingCard';
import { MarketplaceFilters } from '../components/marketplace/MarketplaceFilters';
import { requirePageCaller } from '../lib/auth.server';
import { routeErrorMessage } from '../lib/format';
import { browseMarketplace } from '../lib/marketplace-pages.server';
import marketplaceCss from '../styles/marketplace.css?url';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: marketplaceCss }];

export const meta: MetaFunction = () => [{ title: 'Marketplace · Baton' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/marketplace');
  return browseMarketplace(caller, new URL(request.url));
}

function Header() {
  return (
    <div className="page-header">
      <div>
        <h1>Marketplace</h1>
        <p className="muted">
          Workflows published by this Baton and its workspaces. Each listing is signed by its publisher and says what it
          needs before you install it: credentials, permissions and the nodes it uses.
        </p>
      </div>
      <ImportBundleButton />
    </div>
  );
}

export default function Marketplace() {
  const { filters, listings, featured, total, categories, nodeTypes, previews } = useLoaderData<typeof loader>();
  const [, setParams] = useSearchParams();
  const navigation = useNavigation();
  const searching = navigation.state === 'loading' && navigation.location.pathname === '/marketplace';
  const filtered = Boolean(filters.q || filters.category || filters.permission || filters.nodeType);

  return (
    <main className="page marketplace-page">
      <Header />
      <MarketplaceFilters values={filters} categories={categories} nodeTypes={nodeTypes} />
      {featured.length > 0 && (
        <section className="marketplace-shelf" aria-labelledby="featured-title">
          <h2 id="featured-title">Featured</h2>
          <ul className="card-gallery listing-grid" aria-label="Featured listings">
            {featured.map((l) => (
              <ListingCard key={l.id} listing={l} preview={previews[l.id]} />
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="results-title" aria-busy={searching || undefined}>
        <div className="marketplace-results-head">
          <h2 id="results-title">{filtered ? 'Results' : 'All listings'}</h2>
          <span className="muted" role="status">
            {searching ? (
              <>
                <span className="spinner" /> Searching…
              </>
            ) : (
              `${listings.length} listing${listings.length === 1 ? '' : 's'}`
            )}
          </span>
        </div>
        {listings.length === 0 ? (
          <div className="card empty marketplace-empty">
            {total === 0 ? (
              <>
                <h3>No listings yet</h3>
                <p className="muted">
                  Publish a workflow, then use <strong>Publish to marketplace</strong> in its editor to list it here.
                </p>
              </>
            ) : (
              <>
                <h3>No listing matches</h3>
                <p className="muted">
                  {filters.q ? `Nothing matches “${filters.q}” with these filters.` : 'Nothing matches these filters.'}{' '}
                  Try other words, or clear the filters.
                </p>
                <button
                  className="btn"
                  type="button"
                  onClick={() => setParams(new URLSearchParams(), { replace: true })}
                >
                  Clear filters
                </button>
              </>
            )}
          </div>
        ) : (
          <ul className={`card-gallery listing-grid${searching ? ' stale' : ''}`} aria-label="Listings">
            {listings.map((l) => (
              <ListingCard key={l.id} listing={l} preview={previews[l.id]} />
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

export function ErrorBoundary() {
  const message = routeErrorMessage(useRouteError(), 'Something went wrong.');
  return (
    <main className="page marketplace-page">
      <Header />
      <div className="banner error" role="alert">
        Could not load the marketplace: {message}{' '}
        <Link to="/marketplace" reloadDocument>
          Try again
        </Link>
      </div>
    </main>
  );
}
