// Resume links of Wait nodes: `<public URL>/hooks/wait/<runId>/<nodeId>/<signature>`. The signature is an HMAC
// of the run and node under Baton's secret, so a worker can hand the link out (`$resumeUrl("Wait")` in an
// expression) before the run reaches the node, and the web refuses any link it did not sign. A link works once:
// the run itself refuses a second resume (workflows/waits.ts).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { sessionSecret } from './secret';

/** Where people and other systems reach this Baton: BATON_PUBLIC_URL, else the local web port. */
export function publicBaseUrl(): string {
  const configured = process.env.BATON_PUBLIC_URL?.trim();
  if (configured) return configured.replace(/\/+$/, '');
  return `http://localhost:${Number(process.env.PORT || 3000)}`;
}

function sign(runId: string, nodeId: string): string {
  return createHmac('sha256', sessionSecret()).update(`wait-resume\u0000${runId}\u0000${nodeId}`).digest('base64url');
}

export function resumeUrl(runId: string, nodeId: string): string {
  const path = [runId, nodeId, sign(runId, nodeId)].map(encodeURIComponent).join('/');
  return `${publicBaseUrl()}/hooks/wait/${path}`;
}

/** Whether `signature` is the one this Baton gives the run's node, compared in constant time. */
export function verifyResumeSignature(runId: string, nodeId: string, signature: string): boolean {
  const expected = Buffer.from(sign(runId, nodeId));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
