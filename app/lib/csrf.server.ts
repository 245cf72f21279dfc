// Cross-site request forgery guard. A browser attaches the session cookie to requests that other pages trigger;
// SameSite=Lax stops cross-site form posts but not those from a sibling origin (another port or subdomain of the
// same site). So every write that could ride on the cookie must say, through Origin or Referer, that one of our
// own pages sent it. One function decides; the Express middleware applies it before Remix (so no route can
// forget it) and requireApiUser applies it again for /api.
import type { RequestHandler } from 'express';
import { SESSION_COOKIE } from './session.server';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The request facts the guard reads; header names are lower-case, as Node and Headers.get give them. */
export type HeaderLookup = (name: string) => string | null | undefined;

/** Why this request is refused as a possible forgery, or undefined when it may go on. */
export function crossSiteWriteRefusal(method: string, header: HeaderLookup): string | undefined {
  if (SAFE_METHODS.has(method.toUpperCase())) return undefined;
  // A page cannot make a browser send an Authorization header to another origin without our CORS consent.
  if (/^Bearer\s/i.test(header('authorization') ?? '')) return undefined;
  const ownHosts = [header('host'), firstValue(header('x-forwarded-host'))].filter(Boolean);
  const origin = header('origin');
  if (origin) {
    if (ownHosts.includes(hostOf(origin))) return undefined;
    return `Cross-origin request from ${origin} refused: Baton accepts form posts and API writes only from its own pages, or with an \`Authorization: Bearer <token>\` header.`;
  }
  // Without a cookie there is no session to abuse (scripts such as curl send neither Origin nor cookie).
  if (!hasSessionCookie(header('cookie'))) return undefined;
  const referer = header('referer');
  if (referer && ownHosts.includes(hostOf(referer))) return undefined;
  return referer
    ? `Request from ${referer} refused: signed-in writes must come from Baton's own pages.`
    : 'Request refused: a signed-in write must carry an Origin or Referer header of this Baton. Browsers send one; scripts should use an API token (`Authorization: Bearer <token>`).';
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}

const firstValue = (list: string | null | undefined) => list?.split(',')[0]?.trim();

function hasSessionCookie(cookie: string | null | undefined): boolean {
  return (cookie ?? '').split(';').some((part) => part.trim().startsWith(`${SESSION_COOKIE}=`));
}

/** Webhooks authenticate with their own secret and socket.io with its handshake; neither reads the cookie to write. */
const EXEMPT_PATHS = /^\/(hooks|socket\.io)\//;

export const refuseCrossSiteWrites: RequestHandler = (req, res, next) => {
  if (EXEMPT_PATHS.test(req.path)) return next();
  const refusal = crossSiteWriteRefusal(req.method, (name) => firstHeader(req.headers[name]));
  if (!refusal) return next();
  if (req.path.startsWith('/api/')) res.status(403).json({ error: { message: refusal } });
  else res.status(403).type('text/plain').send(refusal);
};

const firstHeader = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
