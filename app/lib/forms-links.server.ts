// Signed values of hosted forms (decision 049), each an HMAC under Baton's secret with its own tag, so that none can
// stand in for another or for a Wait node's resume link (db/resume-links.ts):
// - the run link `/form/run/<runId>/<signature>`, handed only to whoever submitted the Form trigger's page: it takes
//   them to the run's next Form page, so the same person fills in every page;
// - the pass a correct form password earns, carried by the page as a hidden field for a few hours.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { sessionSecret } from '../../db/secret';

const PASS_TTL_MS = 8 * 60 * 60_000;

const sign = (...parts: string[]) =>
  createHmac('sha256', sessionSecret()).update(parts.join('\u0000')).digest('base64url');

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The path of a run's form pages. */
export function formRunPath(runId: string): string {
  return `/form/run/${encodeURIComponent(runId)}/${sign('form-run', runId)}`;
}

export function verifyFormRunSignature(runId: string, signature: string): boolean {
  return same(signature, sign('form-run', runId));
}

/**
 * A pass for the form of `workflowId` behind the password in credential `credentialId`, as of `passwordStamp`
 * (when the credential last changed): changing the password ends every pass given for the old one.
 */
export function formPass(workflowId: string, credentialId: string, passwordStamp: string, now = Date.now()): string {
  const until = String(now + PASS_TTL_MS);
  return `${until}.${sign('form-pass', workflowId, credentialId, passwordStamp, until)}`;
}

export function verifyFormPass(
  pass: string,
  workflowId: string,
  credentialId: string,
  passwordStamp: string,
  now = Date.now(),
): boolean {
  const [until, signature] = pass.split('.');
  if (!until || !signature || !(Number(until) > now)) return false;
  return same(signature, sign('form-pass', workflowId, credentialId, passwordStamp, until));
}
