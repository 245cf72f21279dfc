// What Baton never stores or shows in clear: credentials in HTTP headers and in URLs. Pure, so the web
// (stored webhook payloads), the HTTP node (its output and errors) and loggers share one policy.

/** Headers that carry credentials or signatures; compared lower-case. */
const SECRET_HEADER =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token|x-access-token|x-csrf-token|x-hub-signature(-256)?|x-signature|x-baton-signature|x-webhook-secret|x-slack-signature|stripe-signature|x-twilio-signature|x-shopify-hmac-sha256|x-gitlab-token)$/;
/** Header names that look secret by their words (a custom `x-my-token`, `x-service-secret`…). */
const SECRET_WORD = /(secret|token|password|passwd|signature|api[-_]?key|credential|session)/;

export const REDACTED = '[redacted]';

export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_HEADER.test(lower) || SECRET_WORD.test(lower);
}

/** A copy of `fields` (HTTP headers, log metadata) with the values under secret-looking names replaced by `[redacted]`. */
export function redactSecretFields<V>(fields: Record<string, V>): Record<string, V | typeof REDACTED> {
  const out: Record<string, V | typeof REDACTED> = {};
  for (const [name, value] of Object.entries(fields)) out[name] = isSecretHeader(name) ? REDACTED : value;
  return out;
}

const QUERY_SECRET =
  /([?&](?:[^=&#\s]*(?:token|secret|password|passwd|signature|sig|api[-_]?key|key|auth|code|credential)[^=&#\s]*)=)[^&#\s"'<>]*/gi;
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s"'<>]+@/gi;

/** Removes `user:password@` and the values of secret-looking query parameters from every URL in `text`. */
export function scrubUrlSecrets(text: string): string {
  return text.replace(URL_USERINFO, '$1***@').replace(QUERY_SECRET, `$1${REDACTED}`);
}
