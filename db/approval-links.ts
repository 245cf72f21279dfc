// Emailed approval links: `<public URL>/approvals/link/<token>`, one per approver and request. The token carries the
// approval id, the approver id and an expiry, signed with an HMAC under Baton's secret, so any process (the worker
// that sends the mail, the web that answers the click) can make or check one without a lookup. The signature makes a
// link good only for its approver and request; that it decides only once is the run's rule (an approver decides once).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { publicBaseUrl } from './resume-links';
import { sessionSecret } from './secret';

export type ApprovalLinkCheck =
  | { ok: true; approvalId: string; approverId: string; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'tampered' | 'expired' };

/** Longer tokens are refused unread: ids are short, and a link is pasted by people. */
const MAX_TOKEN_CHARS = 1024;
const SEGMENT = /^[A-Za-z0-9_-]+$/;

const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** The id a segment encodes, when the segment is the canonical encoding of a non-empty UTF-8 string. */
function decode(segment: string): string | undefined {
  if (!SEGMENT.test(segment)) return undefined;
  const text = Buffer.from(segment, 'base64url').toString('utf8');
  return text && encode(text) === segment ? text : undefined;
}

function sign(approvalId: string, approverId: string, expiresMs: number): string {
  return createHmac('sha256', sessionSecret())
    .update(`approval-link\u0000${approvalId}\u0000${approverId}\u0000${expiresMs}`)
    .digest('base64url');
}

/** The token alone (what follows `/approvals/link/`). */
export function approvalLinkToken(approvalId: string, approverId: string, expiresAt: Date): string {
  const expiresMs = expiresAt.getTime();
  if (!approvalId || !approverId || !Number.isSafeInteger(expiresMs) || expiresMs < 0) {
    throw new Error(
      `An approval link needs an approval id, an approver id and a valid expiry (got ${JSON.stringify({ approvalId, approverId, expiresAt })}).`,
    );
  }
  return [encode(approvalId), encode(approverId), expiresMs.toString(36), sign(approvalId, approverId, expiresMs)].join(
    '.',
  );
}

export function approvalLink(approvalId: string, approverId: string, expiresAt: Date): string {
  return `${publicBaseUrl()}/approvals/link/${approvalLinkToken(approvalId, approverId, expiresAt)}`;
}

/**
 * Whose link this is and until when, or why it is refused: not a token of ours (`malformed`), a signature that does
 * not match its contents (`tampered`, compared in constant time), or past its expiry (`expired`).
 */
export function verifyApprovalLink(token: string, now: Date = new Date()): ApprovalLinkCheck {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 4) return { ok: false, reason: 'malformed' };
  const [approvalPart, approverPart, expiresPart, signature] = parts;
  const approvalId = decode(approvalPart);
  const approverId = decode(approverPart);
  const expiresMs = /^[0-9a-z]{1,11}$/.test(expiresPart) ? parseInt(expiresPart, 36) : NaN;
  const canonicalExpiry = Number.isSafeInteger(expiresMs) && expiresMs.toString(36) === expiresPart;
  if (!approvalId || !approverId || !canonicalExpiry || !SEGMENT.test(signature)) {
    return { ok: false, reason: 'malformed' };
  }
  const expected = Buffer.from(sign(approvalId, approverId, expiresMs));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'tampered' };
  if (now.getTime() >= expiresMs) return { ok: false, reason: 'expired' };
  return { ok: true, approvalId, approverId, expiresAt: new Date(expiresMs) };
}
