import type { LinksFunction, MetaFunction } from '@remix-run/node';
import { Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteError } from '@remix-run/react';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import appCss from './styles/app.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: appCss },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

export const meta: MetaFunction = () => [
  { title: 'Baton' },
  { name: 'description', content: 'Visual workflows that run durably.' },
];

/**
 * The Content-Security-Policy nonce of this document, provided by entry.server.tsx. Only server rendering needs it:
 * in the browser the scripts are already in the page (browsers hide the attribute's value anyway).
 */
export const CspNonce = createContext<string | undefined>(undefined);

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useContext(CspNonce);
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  // Marks the document interactive (keyboard shortcuts attached); end-to-end tests wait for it.
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true';
  }, []);
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const title = isRouteErrorResponse(error)
    ? error.status === 404
      ? 'Page not found'
      : `${error.status} ${error.statusText || 'Error'}`
    : 'Something went wrong';
  const detail = isRouteErrorResponse(error)
    ? error.status === 404
      ? 'There is nothing at this address. The link may be old, or the page was moved.'
      : typeof error.data === 'string'
        ? error.data
        : ''
    : error instanceof Error
      ? error.message
      : '';
  return (
    <main className="center-page">
      <div className="card narrow">
        <h1>{title}</h1>
        {detail && <p className="muted">{detail}</p>}
        <a className="btn primary" href="/">
          Back to workflows
        </a>
      </div>
    </main>
  );
}
