// Marketplace moderation (docs/decisions/071): open reports with their listings, to resolve or dismiss and to act on
// the listing (unpublish, publish again, feature); and the featured and unpublished listings. Instance admins only:
// anyone else gets 404, as if the page did not exist. Actions go through the moderation API, then the page reloads.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { isRouteErrorResponse, Link, useLoaderData, useRevalidator, useRouteError } from '@remix-run/react';
import { useState } from 'react';
import type { ListingView } from '../../contracts/marketplace';
import {
  REPORT_REASON_LABELS,
  type ModerationAction,
  type ModerationQueue,
  type ReportDecision,
} from '../../contracts/marketplace-reviews';
import { ApiError, apiFetch } from '../lib/api-client';
import { requirePageCaller } from '../lib/auth.server';
import { dateTime, routeErrorMessage, timeAgo } from '../lib/format';
import { loadModerationQueue, moderates } from '../lib/marketplace-reviews.server';
import marketplaceCss from '../styles/marketplace.css?url';
import '../components/marketplace/listing-reviews.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: marketplaceCss }];

export const meta: MetaFunction = () => [{ title: 'Moderation · Marketplace · Baton' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/marketplace/moderation');
  if (!moderates(caller)) throw new Response('Not found', { status: 404 });
  return loadModerationQueue();
}

/** Runs one moderation call and reloads the page's data; the error, if any, shows beside the buttons. */
function useModeration() {
  const revalidator = useRevalidator();
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<{ key: string; message: string } | null>(null);
  const run = async (key: string, path: string, body: unknown) => {
    setPending(key);
    setError(null);
    try {
      await apiFetch(path, { method: 'POST', body });
      revalidator.revalidate();
    } catch (err) {
      setError({ key, message: err instanceof ApiError || err instanceof Error ? err.message : String(err) });
    } finally {
      setPending(null);
    }
  };
  const listingAction = (listing: ListingView, action: ModerationAction) =>
    run(`${listing.id}:${action}`, `/api/marketplace/moderation/listings/${listing.id}`, { action });
  const decide = (reportId: string, decision: ReportDecision, note: string) =>
    run(`${reportId}:${decision}`, `/api/marketplace/moderation/reports/${reportId}`, { decision, note });
  return { pending, error, listingAction, decide };
}

type Moderation = ReturnType<typeof useModeration>;

export default function ModerationPage() {
  const queue = useLoaderData<typeof loader>() as ModerationQueue;
  const moderation = useModeration();
  return (
    <main className="page moderation-page">
      <div className="page-header">
        <div>
          <Link to="/marketplace" className="back-link">
            ← Marketplace
          </Link>
          <h1>Marketplace moderation</h1>
          <p className="muted">
            Reports people filed about listings, and the listings moderators featured or unpublished. Every action here
            is recorded in the audit log of the listing’s workspace.
          </p>
        </div>
      </div>
      <section aria-labelledby="reports-heading">
        <h2 id="reports-heading">Open reports ({queue.reports.length})</h2>
        {queue.reports.length === 0 ? (
          <div className="card empty">
            <p className="muted">No open reports. New reports show here, oldest first.</p>
          </div>
        ) : (
          <ul className="moderation-list">
            {queue.reports.map((report) => (
              <ReportItem key={report.id} report={report} moderation={moderation} />
            ))}
          </ul>
        )}
      </section>
      <ListingShelf
        title="Featured listings"
        empty="No listing is featured. Feature one from a report or from its page."
        listings={queue.featured}
        action="unfeature"
        actionLabel="Stop featuring"
        moderation={moderation}
      />
      <ListingShelf
        title="Unpublished listings"
        empty="No listing is unpublished."
        listings={queue.unpublished}
        action="republish"
        actionLabel="Publish again"
        moderation={moderation}
      />
    </main>
  );
}

function ReportItem({ report, moderation }: { report: ModerationQueue['reports'][number]; moderation: Moderation }) {
  const [note, setNote] = useState('');
  const { listing } = report;
  const busy = moderation.pending !== null;
  const errorHere = moderation.error && moderation.error.key.startsWith(report.id) ? moderation.error : null;
  const listingError =
    listing && moderation.error && moderation.error.key.startsWith(`${listing.id}:`) ? moderation.error : null;
  return (
    <li className="card moderation-item" aria-label={`Report about ${report.listingTitle}`}>
      <div className="moderation-item-head">
        <h3>{listing ? <Link to={`/marketplace/${listing.id}`}>{listing.title}</Link> : report.listingTitle}</h3>
        <span className="badge failed">{REPORT_REASON_LABELS[report.reason]}</span>
        {listing?.unpublished && <span className="badge">Unpublished</span>}
        {listing?.featured && <span className="listing-featured">Featured</span>}
        {!listing && <span className="badge">Listing deleted</span>}
      </div>
      <p className="muted">
        Reported by <strong>{report.reporterName}</strong>{' '}
        <time dateTime={report.createdAt} title={dateTime(report.createdAt)}>
          {timeAgo(report.createdAt)}
        </time>
      </p>
      {report.text ? (
        <p className="moderation-report-text">{report.text}</p>
      ) : (
        <p className="muted">The reporter added no details.</p>
      )}
      {listing && (
        <div className="moderation-actions" role="group" aria-label={`Listing actions for ${listing.title}`}>
          <button
            className={`btn small${listing.unpublished ? '' : ' danger'}`}
            type="button"
            disabled={busy}
            onClick={() => moderation.listingAction(listing, listing.unpublished ? 'republish' : 'unpublish')}
          >
            {listing.unpublished ? 'Publish again' : 'Unpublish listing'}
          </button>
          <button
            className="btn small"
            type="button"
            disabled={busy}
            onClick={() => moderation.listingAction(listing, listing.featured ? 'unfeature' : 'feature')}
          >
            {listing.featured ? 'Stop featuring' : 'Feature'}
          </button>
          {listingError && (
            <span className="error-text" role="alert">
              {listingError.message}
            </span>
          )}
        </div>
      )}
      <div className="moderation-actions" role="group" aria-label={`Close the report about ${report.listingTitle}`}>
        <input
          className="input moderation-note"
          aria-label="Note for the record"
          placeholder="Note for the record (optional)"
          maxLength={2000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        <button
          className="btn small primary"
          type="button"
          disabled={busy}
          onClick={() => moderation.decide(report.id, 'resolve', note)}
        >
          {moderation.pending === `${report.id}:resolve` && <span className="spinner" />} Resolve
        </button>
        <button
          className="btn small"
          type="button"
          disabled={busy}
          onClick={() => moderation.decide(report.id, 'dismiss', note)}
        >
          {moderation.pending === `${report.id}:dismiss` && <span className="spinner" />} Dismiss
        </button>
        {errorHere && (
          <span className="error-text" role="alert">
            {errorHere.message}
          </span>
        )}
      </div>
    </li>
  );
}

function ListingShelf(props: {
  title: string;
  empty: string;
  listings: ListingView[];
  action: ModerationAction;
  actionLabel: string;
  moderation: Moderation;
}) {
  const id = `shelf-${props.action}`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>
        {props.title} ({props.listings.length})
      </h2>
      {props.listings.length === 0 ? (
        <p className="muted">{props.empty}</p>
      ) : (
        <ul className="moderation-list">
          {props.listings.map((listing) => {
            const key = `${listing.id}:${props.action}`;
            return (
              <li key={listing.id} className="card moderation-item">
                <div className="moderation-item-head">
                  <h3>
                    <Link to={`/marketplace/${listing.id}`}>{listing.title}</Link>
                  </h3>
                  <span className="listing-category">{listing.category}</span>
                  {listing.latestVersion && <span className="mono muted">v{listing.latestVersion}</span>}
                  <span className="moderation-actions" style={{ marginLeft: 'auto' }}>
                    <button
                      className="btn small"
                      type="button"
                      disabled={props.moderation.pending !== null}
                      onClick={() => props.moderation.listingAction(listing, props.action)}
                      aria-label={`${props.actionLabel}: ${listing.title}`}
                    >
                      {props.moderation.pending === key && <span className="spinner" />} {props.actionLabel}
                    </button>
                  </span>
                </div>
                {props.moderation.error?.key === key && (
                  <span className="error-text" role="alert">
                    {props.moderation.error.message}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const missing = isRouteErrorResponse(error) && error.status === 404;
  return (
    <main className="page moderation-page">
      {missing ? (
        <div className="card empty" role="status">
          <h1>Page not found</h1>
          <Link className="btn" to="/marketplace">
            Browse the marketplace
          </Link>
        </div>
      ) : (
        <div className="banner error" role="alert">
          Could not show the moderation page: {routeErrorMessage(error, 'Something went wrong.')}
        </div>
      )}
    </main>
  );
}
