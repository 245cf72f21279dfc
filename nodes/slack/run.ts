import type { CredentialForStep, NodeRunner, RunContext } from '../define';
import { NodeError } from '../errors';
import { MAX_WAIT_SECONDS, RateLimited, withRetryAfter } from '../retry-after';
import { slackApiUrl, SLACK_HOSTS, type SlackHost } from './api-url';
import { postToWebhook } from './incoming-webhook';
import { buildMessage, channelOf, SlackFieldError, threadTsOf } from './message';
import { postMessage, SlackCallError, type PostedMessage } from './post-message';
import type { spec } from './spec';

type Params = Parameters<NodeRunner<typeof spec.params>>[1];

const LABELS: Record<string, string> = {
  Channel: 'Channel',
  Text: 'Text',
  Blocks: 'Blocks',
  Thread: 'Reply in thread',
};

function invalid(message: string): NodeError {
  return new NodeError(`Slack: ${message}`, { code: 'param-invalid', retryable: false });
}

/** Runs `build`, turning a field's problem into a step error that names the parameter to fix. */
function checked<T>(build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (!(err instanceof SlackFieldError)) throw err;
    const field = err.field.replace(/ \(.*$/, '');
    throw invalid(`${err.message}; fix the ${LABELS[field] ?? field} parameter`);
  }
}

async function open(ctx: RunContext, id: string | undefined, type: string, label: string): Promise<CredentialForStep> {
  if (!id) throw invalid(`pick a ${label} credential`);
  if (!ctx.credential) throw invalid('credentials cannot be opened where this node runs');
  return ctx.credential(id, [type]);
}

/** Posts once per step: a retried attempt finds the mark of the first one and answers with its result. */
async function once<T>(ctx: RunContext, key: string, post: () => Promise<T>): Promise<T> {
  if (!ctx.once) throw invalid('this node cannot run here: it needs the run store to post exactly once');
  const wait = (seconds: number) => ctx.log.info(`Slack asked to wait ${seconds} s (rate limit); waiting`);
  try {
    const { result, repeated } = await ctx.once(key, () => withRetryAfter(post, ctx.signal, wait));
    if (repeated) ctx.log.info('Slack: already posted by an earlier attempt of this step; not posting again');
    return result;
  } catch (err) {
    throw stepError(err);
  }
}

function stepError(err: unknown): unknown {
  if (err instanceof RateLimited) {
    const asked = err.seconds === undefined ? '' : `; it asked to wait ${err.seconds} s`;
    return new NodeError(
      `Slack: ${err.message}${asked}, longer than a step waits (${MAX_WAIT_SECONDS} s); the step is retried later`,
      { code: 'rate-limited', retryable: true },
    );
  }
  if (err instanceof SlackCallError) {
    const { field, message, retryable } = err.problem;
    const fix = field && field !== 'Credential' ? `; fix the ${LABELS[field]} parameter` : '';
    return new NodeError(`Slack: ${field && field !== 'Credential' ? `${field}: ` : ''}${message}${fix}`, {
      code: retryable ? 'slack' : 'slack-refused',
      retryable,
    });
  }
  return err;
}

async function viaWebhook(ctx: RunContext, params: Params): Promise<{ ok: true }> {
  const message = checked(() => buildMessage(params));
  const credential = await open(ctx, params.webhook, 'slack-webhook', 'Slack incoming webhook');
  let url: URL;
  try {
    url = new URL(String(credential.values.url));
  } catch {
    throw invalid('the incoming webhook credential holds no valid URL; edit it on the credentials page');
  }
  credential.markSecret(url.pathname);
  return once(ctx, 'slack-webhook', () => postToWebhook(url, message, ctx.signal));
}

async function viaApi(ctx: RunContext, params: Params): Promise<PostedMessage> {
  const channel = checked(() => channelOf(params.channel));
  const threadTs = checked(() => threadTsOf(params.threadTs));
  const message = checked(() => buildMessage(params));
  const credential = await open(ctx, params.credential, 'slack-bot', 'Slack bot token');
  const { token, host } = credential.values;
  if (typeof token !== 'string' || token === '') throw invalid('the Slack credential has no bot token; edit it');
  const apiUrl = slackApiUrl(SLACK_HOSTS.includes(host as SlackHost) ? (host as SlackHost) : 'slack.com');
  return once(ctx, 'slack-post', () =>
    postMessage(
      { token, apiUrl, channel, threadTs, message },
      { idempotencyKey: ctx.idempotencyKey, signal: ctx.signal, log: ctx.log },
    ),
  );
}

export const run: NodeRunner<typeof spec.params> = async (ctx, params) =>
  params.via === 'webhook' ? viaWebhook(ctx, params) : viaApi(ctx, params);
