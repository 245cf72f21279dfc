// chat.postMessage through @slack/web-api's WebClient. The client's own retries are off: a rate limit comes back at
// once as WebAPIRateLimitedError, which the step waits out or reports (nodes/retry-after.ts), and anything else is
// the activity's to retry. The message carries the step's idempotency key as message metadata, so a message posted
// twice despite the posted-mark (a crash between Slack's answer and the mark) is recognisable as the same one.
import {
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
  type ChatPostMessageArguments,
  type Logger,
} from '@slack/web-api';
import type { RunContext } from '../define';
import { RateLimited } from '../retry-after';
import type { SlackMessage } from './message';
import { explainSlackError, type SlackProblem } from './slack-errors';

export interface PostedMessage {
  /** The channel's ID, as Slack answered it, and the message's ts: together they name the message (to reply to it). */
  channel: string;
  ts: string;
  threadTs?: string;
}

/** A refusal or failure of Slack's, explained. */
export class SlackCallError extends Error {
  constructor(readonly problem: SlackProblem) {
    super(problem.message);
    this.name = 'SlackCallError';
  }
}

const TIMEOUT_MS = 30_000;

/** The WebClient's log lines go to the step's log at warn and above; its debug lines (request bodies) nowhere. */
function stepLogger(log: RunContext['log']): Logger {
  let level = LogLevel.WARN;
  const say = (...msg: unknown[]) => log.warn(`Slack client: ${msg.map(String).join(' ')}`);
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: say,
    error: say,
    setLevel: (l) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}

export async function postMessage(
  call: { token: string; apiUrl: string; channel: string; threadTs?: string; message: SlackMessage },
  opts: { idempotencyKey: string; signal: AbortSignal; log: RunContext['log'] },
): Promise<PostedMessage> {
  const client = new WebClient(call.token, {
    slackApiUrl: call.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: TIMEOUT_MS,
    allowAbsoluteUrls: false,
    logger: stepLogger(opts.log),
    fetch: (url, init) => fetch(url, { ...init, signal: anySignal(init?.signal, opts.signal) }),
  });
  try {
    const answer = await client.chat.postMessage({
      channel: call.channel,
      ...call.message,
      ...(call.threadTs ? { thread_ts: call.threadTs } : {}),
      metadata: { event_type: 'baton_step', event_payload: { idempotency_key: opts.idempotencyKey } },
    } as ChatPostMessageArguments);
    return {
      channel: answer.channel ?? call.channel,
      ts: answer.ts ?? '',
      ...(call.threadTs ? { threadTs: call.threadTs } : {}),
    };
  } catch (err) {
    throw describeFailure(err, JSON.stringify(call.channel));
  }
}

function anySignal(...signals: Array<AbortSignal | null | undefined>): AbortSignal {
  return AbortSignal.any(signals.filter((s): s is AbortSignal => !!s));
}

function describeFailure(err: unknown, channel: string): Error {
  if (err instanceof WebAPIRateLimitedError) {
    return new RateLimited(err.retryAfter, 'chat.postMessage is rate-limited (ratelimited)');
  }
  if (err instanceof WebAPIPlatformError) {
    const { error, needed } = err.data as { error: string; needed?: string };
    return new SlackCallError(explainSlackError(error, channel, needed ? `, needed: ${needed}` : ''));
  }
  if (err instanceof WebAPIHTTPError) {
    return new SlackCallError({
      message: `the Web API answered HTTP ${err.statusCode} ${err.statusMessage}`,
      retryable: err.statusCode >= 500,
    });
  }
  if (err instanceof WebAPIRequestError) {
    const original = err.original as Error & { cause?: { code?: string } };
    return new SlackCallError({
      message: `could not reach the Web API: ${original.cause?.code ?? original.message}`,
      retryable: true,
    });
  }
  return err instanceof Error ? err : new Error(String(err));
}
