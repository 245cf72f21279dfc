// Server-only: checks a webhook request against its trigger's auth settings. Secrets are compared in
// constant time; the reason for a refusal is for the server log only, never for the caller.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookAuth } from '../triggers';

export interface SignedRequest {
  /** Lower-case names, as Node delivers them. */
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received, before any parsing. */
  rawBody: Buffer;
}

export type AuthCheck = { ok: true } | { ok: false; reason: string };

const refuse = (reason: string): AuthCheck => ({ ok: false, reason });

function header(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Equal strings, in time that depends on neither their content nor their lengths. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Signatures already accepted, each until its timestamp leaves the tolerance window (after which the timestamp
 * check refuses it anyway). In memory: each web process remembers its own, so with several web processes a
 * replay sent to another process within the window is not caught.
 */
export class SeenSignatures {
  private readonly expiries = new Map<string, number>();
  private lastSweep = 0;

  /** Records `key` until `expiresAt`; false when it was recorded already and has not expired. */
  remember(key: string, expiresAt: number, now: number): boolean {
    if (now - this.lastSweep > 10_000) {
      for (const [k, at] of this.expiries) if (at <= now) this.expiries.delete(k);
      this.lastSweep = now;
    }
    const seen = this.expiries.get(key);
    if (seen !== undefined && seen > now) return false;
    this.expiries.set(key, expiresAt);
    return true;
  }
}

function checkHmac(
  auth: Extract<WebhookAuth, { kind: 'hmac' }>,
  request: SignedRequest,
  replay: { seen: SeenSignatures; scope: string },
  now: number,
): AuthCheck {
  const timestamp = header(request, auth.timestampHeader);
  const signature = header(request, auth.signatureHeader);
  if (!timestamp || !signature) return refuse(`missing ${auth.timestampHeader} or ${auth.signatureHeader} header`);
  if (!/^\d{1,12}$/.test(timestamp)) return refuse(`${auth.timestampHeader} is not Unix seconds`);
  const signedAt = Number(timestamp);
  if (Math.abs(now / 1000 - signedAt) > auth.toleranceSeconds)
    return refuse(`timestamp is more than ${auth.toleranceSeconds} s away from the server clock`);

  const expected = createHmac(auth.algorithm, auth.secret).update(`${timestamp}.`).update(request.rawBody).digest();
  const prefix = `${auth.algorithm}=`;
  const value = signature.trim().toLowerCase();
  const hex = value.startsWith(prefix) ? value.slice(prefix.length) : value;
  const given = /^[0-9a-f]+$/.test(hex) ? Buffer.from(hex, 'hex') : Buffer.alloc(0);
  // The digest length is public (it follows from the algorithm), so checking it first leaks nothing.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return refuse('signature mismatch');
  const expiresAt = (signedAt + auth.toleranceSeconds) * 1000 + 1000;
  if (!replay.seen.remember(`${replay.scope}\n${hex}`, expiresAt, now)) return refuse('signature replayed');
  return { ok: true };
}

function checkBasic(auth: Extract<WebhookAuth, { kind: 'basic' }>, request: SignedRequest): AuthCheck {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header(request, 'authorization') ?? '');
  if (!match) return refuse('missing Basic authorization header');
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return refuse('Basic credentials without ":"');
  // Both compared, so the time does not tell whether the user was right.
  const userOk = sameSecret(decoded.slice(0, colon), auth.user);
  const passwordOk = sameSecret(decoded.slice(colon + 1), auth.password);
  return userOk && passwordOk ? { ok: true } : refuse('wrong user or password');
}

/**
 * Whether `request` passes `auth`. A mode whose secret is empty refuses everything: a webhook published with
 * auth turned on but no secret must not be open.
 */
export function checkWebhookAuth(
  auth: WebhookAuth,
  request: SignedRequest,
  replay: { seen: SeenSignatures; scope: string },
  now = Date.now(),
): AuthCheck {
  switch (auth.kind) {
    case 'none':
      return { ok: true };
    case 'header': {
      if (!auth.secret) return refuse('shared-secret auth is on but the trigger has no secret; set one and publish');
      const given = header(request, auth.header);
      if (given === undefined) return refuse(`missing ${auth.header} header`);
      return sameSecret(given, auth.secret) ? { ok: true } : refuse(`wrong secret in ${auth.header}`);
    }
    case 'hmac':
      if (!auth.secret) return refuse('HMAC auth is on but the trigger has no secret; set one and publish');
      return checkHmac(auth, request, replay, now);
    case 'basic':
      if (!auth.user || !auth.password)
        return refuse('basic auth is on but the trigger lacks a user or password; set both and publish');
      return checkBasic(auth, request);
  }
}
