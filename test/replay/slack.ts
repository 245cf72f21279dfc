// A loopback stand-in for Slack that replays its documented responses (test/replay/slack-fixtures.ts): the Web API's
// auth.test and chat.postMessage under /api/, and incoming webhooks under /services/. It checks what the docs require
// of a request (the bearer token, a channel, text or blocks, well-formed blocks and metadata, JSON for webhooks) and
// answers Slack's own error strings otherwise. Tests point BATON_SLACK_API_URL at `apiUrl`.
import { AUTH_TEST_OK, POST_MESSAGE_OK, RATE_LIMITED, WEBHOOK_ANSWERS, apiError } from './slack-fixtures';
import { startReplayServer, type ReplayAnswer, type ReplayRequest, type ReplayServer } from './server';

export interface PostedSlackMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  threadTs?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** `webhook` for messages that came through an incoming webhook. */
  via: 'api' | 'webhook';
}

export interface SlackReplay extends ReplayServer {
  /** The Web API base, `…/api/`, for BATON_SLACK_API_URL. */
  apiUrl: string;
  /** The bot token the Web API accepts. */
  token: string;
  /** A webhook that posts to #new-hires, one whose app was removed (no_service) and one of an archived channel. */
  webhookUrl: string;
  removedWebhookUrl: string;
  archivedWebhookUrl: string;
  /** Every message accepted, in order. */
  posted: PostedSlackMessage[];
  /** The next `times` calls to `path` (`/api/chat.postMessage`, or a webhook's path) answer 429 with Retry-After. */
  rateLimit(path: string, retryAfterSeconds: number, times?: number): void;
}

/** Channels by ID; `#name` finds them by name. */
const CHANNELS: Record<string, { name: string; member: boolean; archived?: boolean }> = {
  C1H9RESGL: { name: 'general', member: true },
  C0NEWHIRES: { name: 'new-hires', member: true },
  C0PRIVATE1: { name: 'leadership', member: false },
  C0ARCHIVED: { name: 'old-news', member: true, archived: true },
};

const TEAM = 'T00000000';
const HOOKS: Record<string, string | 'removed'> = {
  [`/services/${TEAM}/B0NEWHIRES/XXXXXXXXXXXXXXXXXXXXXXXX`]: 'C0NEWHIRES',
  [`/services/${TEAM}/B0ARCHIVED/YYYYYYYYYYYYYYYYYYYYYYYY`]: 'C0ARCHIVED',
  [`/services/${TEAM}/B0REMOVED0/ZZZZZZZZZZZZZZZZZZZZZZZZ`]: 'removed',
};

function channelId(given: string): string | undefined {
  if (CHANNELS[given]) return given;
  const name = given.replace(/^#/, '');
  return Object.keys(CHANNELS).find((id) => CHANNELS[id].name === name);
}

/** The form or JSON body of a Web API call; objects sent in a form are JSON-encoded strings. */
function argumentsOf(req: ReplayRequest): Record<string, unknown> | undefined {
  const type = String(req.headers['content-type'] ?? '');
  if (type.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(req.text));
  if (type.startsWith('application/json')) {
    try {
      return JSON.parse(req.text) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const parsed = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return Symbol.for('invalid');
  }
};

export async function startSlackReplay(token = `xoxb-replay-${Date.now()}`): Promise<SlackReplay> {
  const posted: PostedSlackMessage[] = [];
  const limits = new Map<string, { seconds: number; times: number }>();
  let sequence = 247;
  const nextTs = () => `1503435956.${String(++sequence).padStart(6, '0')}`;

  const limited = (path: string): number | undefined => {
    const limit = limits.get(path);
    if (!limit || limit.times <= 0) return undefined;
    limit.times--;
    return limit.seconds;
  };

  function postMessage(req: ReplayRequest): ReplayAnswer {
    const auth = req.headers.authorization;
    if (!auth) return { status: 200, body: apiError('not_authed') };
    if (auth !== `Bearer ${token}`) return { status: 200, body: apiError('invalid_auth') };
    const args = argumentsOf(req);
    if (!args) return { status: 200, body: apiError('invalid_form_data') };
    const id = typeof args.channel === 'string' ? channelId(args.channel) : undefined;
    if (!id) return { status: 200, body: apiError('channel_not_found') };
    if (!CHANNELS[id].member) return { status: 200, body: apiError('not_in_channel') };
    if (CHANNELS[id].archived) return { status: 200, body: apiError('is_archived') };
    const blocks = parsed(args.blocks);
    if (blocks !== undefined && (!Array.isArray(blocks) || blocks.some((b) => typeof b?.type !== 'string'))) {
      return { status: 200, body: apiError('invalid_blocks') };
    }
    const text = typeof args.text === 'string' && args.text !== '' ? args.text : undefined;
    if (text === undefined && blocks === undefined) return { status: 200, body: apiError('no_text') };
    if ((text?.length ?? 0) > 40_000) return { status: 200, body: apiError('msg_too_long') };
    const metadata = parsed(args.metadata) as PostedSlackMessage['metadata'] | symbol | undefined;
    if (
      metadata !== undefined &&
      (typeof metadata !== 'object' || !/^[a-z0-9_]+$/.test(metadata.event_type) || !metadata.event_payload)
    ) {
      return { status: 200, body: apiError('invalid_metadata_format') };
    }
    const ts = nextTs();
    const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
    posted.push({
      channel: id,
      ts,
      text,
      ...(blocks ? { blocks: blocks as unknown[] } : {}),
      ...(threadTs ? { threadTs } : {}),
      ...(metadata ? { metadata } : {}),
      via: 'api',
    });
    const { message } = POST_MESSAGE_OK;
    return {
      status: 200,
      body: {
        ...POST_MESSAGE_OK,
        channel: id,
        ts,
        message: {
          ...message,
          text: text ?? '',
          ts,
          ...(blocks ? { blocks } : {}),
          ...(threadTs ? { thread_ts: threadTs } : {}),
        },
      },
    };
  }

  function webhook(req: ReplayRequest): ReplayAnswer {
    const target = HOOKS[req.path];
    if (!target || target === 'removed') return WEBHOOK_ANSWERS.no_service;
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
      return WEBHOOK_ANSWERS.invalid_payload;
    let payload: { text?: unknown; blocks?: unknown };
    try {
      payload = JSON.parse(req.text) as typeof payload;
    } catch {
      return WEBHOOK_ANSWERS.invalid_payload;
    }
    if (CHANNELS[target].archived) return WEBHOOK_ANSWERS.channel_is_archived;
    const text = typeof payload.text === 'string' && payload.text !== '' ? payload.text : undefined;
    if (text === undefined && payload.blocks === undefined) return WEBHOOK_ANSWERS.no_text;
    if (payload.blocks !== undefined && !Array.isArray(payload.blocks)) return WEBHOOK_ANSWERS.invalid_payload;
    posted.push({
      channel: target,
      ts: nextTs(),
      text,
      ...(payload.blocks ? { blocks: payload.blocks } : {}),
      via: 'webhook',
    });
    return WEBHOOK_ANSWERS.ok;
  }

  const server = await startReplayServer((req) => {
    const wait = req.method === 'POST' ? limited(req.path) : undefined;
    if (wait !== undefined) {
      const body = req.path.startsWith('/services/') ? WEBHOOK_ANSWERS.rate_limited.body : RATE_LIMITED;
      return { status: 429, headers: { 'retry-after': String(wait) }, body };
    }
    if (req.method === 'POST' && req.path === '/api/auth.test') {
      return {
        status: 200,
        body: req.headers.authorization === `Bearer ${token}` ? AUTH_TEST_OK : apiError('invalid_auth'),
      };
    }
    if (req.method === 'POST' && req.path === '/api/chat.postMessage') return postMessage(req);
    if (req.method === 'POST' && req.path.startsWith('/services/')) return webhook(req);
    return { status: 404, body: apiError('unknown_method') };
  });
  const hook = (id: string) => `${server.url}${Object.keys(HOOKS).find((path) => path.includes(id))}`;
  return {
    ...server,
    apiUrl: `${server.url}/api/`,
    token,
    webhookUrl: hook('B0NEWHIRES'),
    removedWebhookUrl: hook('B0REMOVED0'),
    archivedWebhookUrl: hook('B0ARCHIVED'),
    posted,
    rateLimit: (path, seconds, times = 1) => void limits.set(path, { seconds, times }),
  };
}
