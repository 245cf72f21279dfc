// Posts a message to a Slack incoming webhook (https://api.slack.com/messaging/webhooks): JSON `{ text, blocks }`,
// answered `ok`, or an HTTP error whose body is Slack's error string. The URL was typed by a workspace member, so the
// request goes through the HTTP node's destination guard (decision 022). The URL is the secret: no message here
// names it, and its path is marked secret for the step's scrubbing.
import { NodeError } from '../errors';
import { ALLOW_HOSTS_ENV, parseAllowList } from '../http-request/address-policy';
import { requestGuarded } from '../http-request/guarded-request';
import { readCapped } from '../http-request/response-body';
import { RateLimited, retryAfterSeconds } from '../retry-after';
import type { SlackMessage } from './message';
import { SlackCallError } from './post-message';
import { explainSlackError } from './slack-errors';

const TIMEOUT_MS = 30_000;
const WHERE = "the webhook's channel";

export async function postToWebhook(url: URL, message: SlackMessage, signal: AbortSignal): Promise<{ ok: true }> {
  const body = JSON.stringify(message);
  const timeout = AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]);
  let status: number;
  let said: string;
  let retryAfter: string | undefined;
  try {
    const { response } = await requestGuarded(
      { url, method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body },
      parseAllowList(process.env[ALLOW_HOSTS_ENV]),
      timeout,
    );
    status = response.statusCode ?? 0;
    retryAfter = response.headers['retry-after'];
    said = (await readCapped(response, 'POST', 'the Slack webhook', timeout)).toString('utf8').trim().slice(0, 200);
  } catch (err) {
    if (err instanceof NodeError) throw err; // the destination guard refused it, or too many redirects
    const { code, message } = err as NodeJS.ErrnoException;
    throw new SlackCallError({
      message: `could not reach the webhook's host ${url.host}: ${code ?? message}`,
      retryable: true,
    });
  }
  if (status === 200) return { ok: true };
  if (status === 429) throw new RateLimited(retryAfterSeconds(retryAfter), 'the incoming webhook is rate-limited');
  if (/^[a-z_]+$/.test(said)) {
    const problem = explainSlackError(said, WHERE);
    throw new SlackCallError({ ...problem, retryable: problem.retryable || status >= 500 });
  }
  throw new SlackCallError({ message: `the incoming webhook answered HTTP ${status}`, retryable: status >= 500 });
}
