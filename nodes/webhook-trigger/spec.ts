// Starts a run when an HTTP request reaches POST|GET|… /hooks/<workflowId>/<path>. The web server finds it
// through its `webhook` binding and checks auth and the rate limit (verify.ts) before starting a run.
import { REDACTED, redactSecretFields } from '../../contracts/redaction';
import { defineNode, param, type ParamsOf } from '../define';
import type { WebhookAuth, WebhookRequest, WebhookSettings } from '../triggers';

export const WEBHOOK_METHODS = ['POST', 'GET', 'PUT', 'PATCH', 'DELETE'] as const;
export type WebhookMethod = (typeof WEBHOOK_METHODS)[number];
export const WEBHOOK_AUTH_MODES = ['none', 'header', 'hmac', 'basic'] as const;
type WebhookAuthMode = (typeof WEBHOOK_AUTH_MODES)[number];
export const HMAC_ALGORITHMS = ['sha256', 'sha512'] as const;

const SEGMENTS = /^\/?[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*\/?$/;
// RFC 9110 token characters.
const HEADER_NAME = {
  regex: /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/,
  message: 'must be an HTTP header name, e.g. X-Signature',
};

// Shared by the params and by `webhookAuth`, which also reads plans frozen before these params existed.
const DEFAULTS = {
  secretHeader: 'X-Webhook-Secret',
  signatureHeader: 'X-Baton-Signature',
  timestampHeader: 'X-Baton-Timestamp',
  hmacAlgorithm: 'sha256',
  toleranceSeconds: 300,
} as const;

const headerParam = (label: string, description: string, fallback: string, modes: WebhookAuthMode[]) =>
  param.text({
    label,
    description,
    showWhen: { param: 'auth', oneOf: modes },
    default: fallback,
    placeholder: fallback,
    expression: false,
    maxLength: 100,
    pattern: HEADER_NAME,
  });

const params = {
  path: param.text({
    label: 'Path',
    description: 'URL path after /hooks/<workflow id>/: letters, digits, "-", "_" and "/" between segments.',
    placeholder: 'new-hire',
    required: true,
    expression: false,
    maxLength: 256,
    pattern: {
      regex: SEGMENTS,
      message: 'must be letters, digits, "-" or "_" in segments separated by "/" (no "..", no empty segments)',
    },
  }),
  method: param.select({
    label: 'HTTP method',
    placeholder: 'POST',
    values: WEBHOOK_METHODS,
    options: WEBHOOK_METHODS.map((m) => ({ value: m, label: m })),
    default: 'POST',
    expression: false,
  }),
  waitForCompletion: param.boolean({
    label: 'Respond with the run output',
    description: 'Wait for the run to finish and respond with its output, instead of 202 Accepted right away.',
    placeholder: 'false',
    default: false,
    expression: false,
  }),
  auth: param.select({
    label: 'Authentication',
    description:
      'How callers prove they may start this workflow. Failed checks answer 401 without saying which check failed.',
    values: WEBHOOK_AUTH_MODES,
    options: [
      { value: 'none', label: 'None: anyone with the URL' },
      { value: 'header', label: 'Shared secret in a header' },
      { value: 'hmac', label: 'HMAC signature of timestamp and body' },
      { value: 'basic', label: 'Basic auth: user and password' },
    ],
    placeholder: 'none',
    default: 'none',
    expression: false,
  }),
  secret: param.secret({
    showWhen: { param: 'auth', oneOf: ['header', 'hmac'] },
    label: 'Shared secret / HMAC: secret',
    description:
      'The secret callers send in the header (shared secret) or sign with (HMAC). Use a long random value; ' +
      'it is kept out of runs, plans and run history.',
    placeholder: 'a long random value',
    maxLength: 1024,
  }),
  secretHeader: headerParam(
    'Shared secret: header',
    'The request header that carries the secret.',
    DEFAULTS.secretHeader,
    ['header'],
  ),
  signatureHeader: headerParam(
    'HMAC: signature header',
    'Carries the hex HMAC of "<timestamp>.<raw body>" with the secret, optionally prefixed "sha256=".',
    DEFAULTS.signatureHeader,
    ['hmac'],
  ),
  timestampHeader: headerParam(
    'HMAC: timestamp header',
    'Carries the Unix time in seconds at which the caller signed.',
    DEFAULTS.timestampHeader,
    ['hmac'],
  ),
  hmacAlgorithm: param.select({
    showWhen: { param: 'auth', oneOf: ['hmac'] },
    label: 'HMAC: algorithm',
    values: HMAC_ALGORITHMS,
    options: [
      { value: 'sha256', label: 'SHA-256' },
      { value: 'sha512', label: 'SHA-512' },
    ],
    placeholder: DEFAULTS.hmacAlgorithm,
    default: DEFAULTS.hmacAlgorithm,
    expression: false,
  }),
  toleranceSeconds: param.number({
    showWhen: { param: 'auth', oneOf: ['hmac'] },
    label: 'HMAC: tolerance (seconds)',
    description:
      'Requests signed longer ago (or further ahead) than this are refused, and each signature is accepted once.',
    placeholder: String(DEFAULTS.toleranceSeconds),
    default: DEFAULTS.toleranceSeconds,
    min: 1,
    max: 3600,
    int: true,
    expression: false,
  }),
  basicUser: param.text({
    showWhen: { param: 'auth', oneOf: ['basic'] },
    label: 'Basic auth: user',
    placeholder: 'webhook-caller',
    expression: false,
    maxLength: 256,
  }),
  basicPassword: param.secret({
    showWhen: { param: 'auth', oneOf: ['basic'] },
    label: 'Basic auth: password',
    description: 'Kept out of runs, plans and run history.',
    placeholder: 'a long random value',
    maxLength: 1024,
  }),
  rateLimitPerMinute: param.number({
    label: 'Rate limit (requests per minute)',
    description: 'Requests beyond it get 429 with Retry-After. Empty means no limit.',
    placeholder: 'No limit',
    min: 1,
    max: 100_000,
    int: true,
    expression: false,
  }),
};

/** Absent keys are possible: plans frozen before a param existed lack it. */
type Params = Partial<ParamsOf<typeof params>>;

export const spec = defineNode({
  type: 'webhook-trigger',
  version: 1,
  title: 'Webhook',
  description: 'Start the workflow when an HTTP request arrives at its URL.',
  category: 'trigger',
  icon: 'webhook',
  inputs: [],
  outputs: [{ id: 'out', label: 'Request' }],
  params,
  runtime: {
    kind: 'trigger',
    binding: 'webhook',
    // A test run from the editor has no request: the caller's input stands in for the whole payload.
    manualPayload: (_params: unknown, provided: unknown) => (provided === undefined ? {} : provided),
    webhook: { matches: matchesWebhook, settings: webhookSettings, payload: webhookPayload },
  },
});

/** `/a/b/` → `a/b`; undefined when the path is not a valid webhook path. */
export function normalizeWebhookPath(path: string): string | undefined {
  if (path.length > 256 || !SEGMENTS.test(path)) return undefined;
  return path.replace(/^\/+|\/+$/g, '');
}

/** Whether a request with this method and path (the part after /hooks/<workflowId>/) targets this trigger. */
export function matchesWebhook(params: Params, method: string, path: string): boolean {
  const expected = normalizeWebhookPath(params.path ?? '');
  const actual = normalizeWebhookPath(path);
  if (expected === undefined || actual === undefined) return false;
  return expected === actual && (params.method ?? 'POST') === method.toUpperCase();
}

function webhookAuth(p: Params): WebhookAuth {
  switch (p.auth ?? 'none') {
    case 'header':
      return { kind: 'header', header: p.secretHeader ?? DEFAULTS.secretHeader, secret: p.secret ?? '' };
    case 'hmac':
      return {
        kind: 'hmac',
        signatureHeader: p.signatureHeader ?? DEFAULTS.signatureHeader,
        timestampHeader: p.timestampHeader ?? DEFAULTS.timestampHeader,
        secret: p.secret ?? '',
        algorithm: p.hmacAlgorithm ?? DEFAULTS.hmacAlgorithm,
        toleranceSeconds: p.toleranceSeconds ?? DEFAULTS.toleranceSeconds,
      };
    case 'basic':
      return { kind: 'basic', user: p.basicUser ?? '', password: p.basicPassword ?? '' };
    default:
      return { kind: 'none' };
  }
}

export function webhookSettings(params: Params): WebhookSettings {
  return {
    auth: webhookAuth(params),
    ...(params.rateLimitPerMinute ? { rateLimitPerMinute: params.rateLimitPerMinute } : {}),
    respondWithOutput: params.waitForCompletion === true,
  };
}

/** The request as the run sees it: credentials, signatures and the configured auth headers are redacted. */
export function webhookPayload(params: Params, request: WebhookRequest) {
  const auth = webhookAuth(params);
  const authHeaders = new Set(
    (auth.kind === 'header' ? [auth.header] : auth.kind === 'hmac' ? [auth.signatureHeader] : []).map((h) =>
      h.toLowerCase(),
    ),
  );
  const headers = redactSecretFields(request.headers);
  for (const name of Object.keys(headers)) if (authHeaders.has(name.toLowerCase())) headers[name] = REDACTED;
  return { method: request.method, path: request.path, headers, query: request.query, body: request.body };
}
