// Security headers for every response, with a fresh Content-Security-Policy nonce per request. Remix's
// hydration scripts are inline, so instead of allowing all inline scripts only those carrying this
// response's nonce run (root.tsx and entry.server.tsx put it on every script Remix and React render).
import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import { clientIp, isLocalClient, type PeerRequest } from './client-address.server';
import type { SetupToken } from './setup-token.server';

declare module '@remix-run/node' {
  interface AppLoadContext {
    /** The nonce allowed by this response's script-src; only for script tags rendered into this document. */
    cspNonce: string;
    /** The client's address (proxy headers only per BATON_TRUST_PROXY), used to throttle password guessing. */
    clientIp: string;
    /** The request comes from a browser on this machine (see client-address.server.ts). */
    localClient: boolean;
    /** The first-run setup token of this web process. */
    setupToken: SetupToken;
  }
}

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // Monaco and React Flow set inline styles and Monaco injects <style> elements at runtime.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    // 'self' also covers same-origin ws: (socket.io, Vite HMR in development).
    "connect-src 'self'",
    // Monaco's workers are same-origin ES module workers built by Vite.
    "worker-src 'self' blob:",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * For stored files (app/routes/api.files.$fileId.ts): no script, and framed only by our own pages, whose run views
 * preview PDFs and images inline. Set here because the route's own headers are added to these, not put in their place.
 */
export const FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'";

/** Everything stays same-origin, which is also what keeps the app working offline (no CDN, no external fonts). */
export const securityHeaders: RequestHandler = (req, res, next) => {
  const nonce = randomBytes(16).toString('base64');
  res.locals.cspNonce = nonce;
  const file = req.path.startsWith('/api/files/');
  res.setHeader('Content-Security-Policy', file ? FILE_CSP : contentSecurityPolicy(nonce));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', file ? 'SAMEORIGIN' : 'DENY');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  next();
};

/** Builds Remix's `context` for loaders, actions and entry.server.tsx. */
export function remixLoadContext(setupToken: SetupToken) {
  return (req: PeerRequest, res: { locals: Record<string, unknown> }) => ({
    cspNonce: String(res.locals.cspNonce ?? ''),
    clientIp: clientIp(req),
    localClient: isLocalClient(req),
    setupToken,
  });
}
