// Starts a run when an HTTP request reaches POST|GET|… /hooks/<workflowId>/<path>. The web server owns the
// route; it uses `matchesWebhook` to pick the workflow and `waitForCompletion` to choose its response.
import { defineNode, param } from '../define';

export const WEBHOOK_METHODS = ['POST', 'GET', 'PUT', 'PATCH', 'DELETE'] as const;
export type WebhookMethod = (typeof WEBHOOK_METHODS)[number];

const SEGMENTS = /^\/?[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*\/?$/;

export const spec = defineNode({
  type: 'webhook-trigger',
  version: 1,
  title: 'Webhook',
  description: 'Start the workflow when an HTTP request arrives at its URL.',
  category: 'trigger',
  icon: 'webhook',
  inputs: [],
  outputs: [{ id: 'out', label: 'Request' }],
  params: {
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
  },
  runtime: { kind: 'trigger' },
});

/** `/a/b/` → `a/b`; undefined when the path is not a valid webhook path. */
export function normalizeWebhookPath(path: string): string | undefined {
  if (path.length > 256 || !SEGMENTS.test(path)) return undefined;
  return path.replace(/^\/+|\/+$/g, '');
}

/** Whether a request with this method and path (the part after /hooks/<workflowId>/) targets this trigger. */
export function matchesWebhook(params: { path: string; method?: string }, method: string, path: string): boolean {
  const expected = normalizeWebhookPath(params.path);
  const actual = normalizeWebhookPath(path);
  if (expected === undefined || actual === undefined) return false;
  return expected === actual && (params.method ?? 'POST') === method.toUpperCase();
}
