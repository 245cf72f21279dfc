// The Slack runner against the replay server (test/replay/slack.ts), with posted-marks in the real store and the
// credentials opened and scrubbed by the same code the activity uses: what it posts arrives as written, a retried step
// posts nothing more, Slack's refusals name the field to fix, rate limits are waited out or reported, and the bot
// token and webhook URL appear in no output, error or log line.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from '../../db/connection';
import { doOnce, recallEffect } from '../../db/effect-marks';
import { startSlackReplay, type SlackReplay } from '../../test/replay/slack';
import { testDatabaseUri } from '../../test/stack';
import { stepCredentials, type StepCredentials } from '../credentials/step-access';
import type { ParamsOf } from '../define';
import { makeRunContext, type TestRunContext } from '../testing';
import { SLACK_API_URL_ENV, slackApiUrl } from './api-url';
import { run } from './run';
import type { spec } from './spec';

type Params = ParamsOf<typeof spec.params>;

const BOT = 'cred_00000000-0000-4000-8000-00000000b071';
const HOOK = 'cred_00000000-0000-4000-8000-0000000000b0';

let slack: SlackReplay;
let webhookUrl: string;
beforeAll(async () => {
  slack = await startSlackReplay(`xoxb-canary-${randomUUID()}`);
  process.env[SLACK_API_URL_ENV] = slack.apiUrl;
  webhookUrl = slack.webhookUrl;
  await connectDb(testDatabaseUri('baton_test_slack'));
  await mongoose.connection.db!.dropDatabase();
});
afterAll(async () => {
  delete process.env[SLACK_API_URL_ENV];
  await disconnectDb();
  await slack.close();
});

/** A step of its own (own idempotency key and posted-marks) whose credentials are opened as the activity opens them. */
function step(
  values: { token?: string; url?: string } = {},
  overrides: Partial<TestRunContext> = {},
): TestRunContext & { creds: StepCredentials } {
  const key = `run-${randomUUID()}:slack:0`;
  const creds = stepCredentials(async (id) =>
    id === HOOK
      ? { id, name: 'New hires hook', type: 'slack-webhook', values: { url: values.url ?? webhookUrl } }
      : { id, name: 'Baton bot', type: 'slack-bot', values: { token: values.token ?? slack.token, host: 'slack.com' } },
  );
  return Object.assign(
    makeRunContext({
      idempotencyKey: key,
      credential: creds.credential,
      once: (name, effect) => doOnce(`${key}:${name}`, effect),
      ...overrides,
    }),
    { creds },
  );
}

const api = (overrides: Partial<Params>): Params =>
  ({ via: 'api', credential: BOT, channel: '#new-hires', text: 'Welcome, Ada', ...overrides }) as Params;
const hook = (overrides: Partial<Params>): Params =>
  ({ via: 'webhook', webhook: HOOK, text: 'Welcome, Ada', ...overrides }) as Params;

/** Runs the step as the activity does: whatever it throws leaves with every opened secret scrubbed. */
async function failure(ctx: ReturnType<typeof step>, params: Params) {
  try {
    await run(ctx, params, {});
  } catch (err) {
    return ctx.creds.scrubError(err) as { message: string; code: string; retryable: boolean };
  }
  throw new Error('expected the step to fail');
}

const postsTo = (channel: string) => slack.posted.filter((m) => m.channel === channel);

describe('Slack via the bot token (chat.postMessage)', () => {
  it('posts text, blocks and a thread reply to a channel named by name, as Slack documents the call', async () => {
    const ctx = step();
    const before = slack.log.length;
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Ada* starts Monday' } }];
    const output = await run(ctx, api({ blocks, threadTs: '1503435956.000247' }), {});

    const posted = slack.posted.at(-1)!;
    expect(output).toEqual({ channel: 'C0NEWHIRES', ts: posted.ts, threadTs: '1503435956.000247' });
    expect(posted).toMatchObject({ channel: 'C0NEWHIRES', text: 'Welcome, Ada', blocks, via: 'api' });
    expect(posted.metadata).toEqual({
      event_type: 'baton_step',
      event_payload: { idempotency_key: ctx.idempotencyKey },
    });
    const calls = slack.log.slice(before);
    expect(calls.map((c) => [c.method, c.path, c.status])).toEqual([['POST', '/api/chat.postMessage', 200]]);
    expect(calls[0].headers.authorization).toBe(`Bearer ${slack.token}`);
    expect(calls[0].headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(await recallEffect(`${ctx.idempotencyKey}:slack-post`)).toMatchObject({ result: output });
  });

  it('does not post again when the step is retried, and answers with the first post', async () => {
    const ctx = step();
    const first = await run(ctx, api({ text: 'Once only' }), {});
    const retried = await run({ ...ctx, attempt: 2 }, api({ text: 'Once only' }), {});
    expect(retried).toEqual(first);
    expect(slack.posted.filter((m) => m.text === 'Once only')).toHaveLength(1);
    expect(ctx.logged.map((l) => l.msg)).toContain(
      'Slack: already posted by an earlier attempt of this step; not posting again',
    );
  });

  it("turns Slack's error strings into errors that name the field to fix, without the token", async () => {
    const cases: Array<[Partial<Params>, RegExp, string]> = [
      [
        { channel: '#nope' },
        /Channel: there is no channel "#nope" .*channel_not_found.*fix the Channel parameter/,
        'C',
      ],
      [{ channel: 'C0PRIVATE1' }, /Channel: the app is not a member of "C0PRIVATE1" \(not_in_channel\)/, 'C'],
      [{ channel: '#old-news' }, /Channel: "#old-news" is archived \(is_archived\)/, 'C'],
    ];
    for (const [overrides, message] of cases) {
      const err = await failure(step(), api(overrides));
      expect(err.message).toMatch(/^Slack: /);
      expect(err.message).toMatch(message);
      expect(err).toMatchObject({ code: 'slack-refused', retryable: false });
    }
    const wrong = `xoxb-wrong-${randomUUID()}`;
    const refused = await failure(step({ token: wrong }), api({}));
    expect(refused.message).toBe('Slack: the bot token was refused (invalid_auth); check the Slack credential');
    expect(JSON.stringify(refused)).not.toContain(wrong);
    expect(postsTo('C0PRIVATE1')).toEqual([]);
  });

  it('waits out a short rate limit (Retry-After), and reports a long one without posting', async () => {
    slack.rateLimit('/api/chat.postMessage', 1);
    const ctx = step();
    const before = slack.log.length;
    const output = (await run(ctx, api({ text: 'After the wait' }), {})) as { ts: string };
    expect(slack.log.slice(before).map((c) => c.status)).toEqual([429, 200]);
    expect(slack.posted.filter((m) => m.text === 'After the wait').map((m) => m.ts)).toEqual([output.ts]);
    expect(ctx.logged.map((l) => l.msg)).toContain('Slack asked to wait 1 s (rate limit); waiting');

    slack.rateLimit('/api/chat.postMessage', 3600);
    const err = await failure(step(), api({ text: 'Never sent' }));
    expect(err.message).toBe(
      'Slack: chat.postMessage is rate-limited (ratelimited); it asked to wait 3600 s, longer than a step waits ' +
        '(30 s); the step is retried later',
    );
    expect(err).toMatchObject({ code: 'rate-limited', retryable: true });
    expect(slack.posted.filter((m) => m.text === 'Never sent')).toEqual([]);
  });

  it('refuses wrong types, hostile strings and huge values before calling Slack, naming the field', async () => {
    const before = slack.log.length;
    const cases: Array<[Partial<Params>, RegExp]> = [
      [{ channel: '' }, /Channel: is required; fix the Channel parameter/],
      [{ channel: 'C0NEWHIRES\r\nX-Evil: 1' }, /Channel: "C0NEWHIRES\\r\\nX-Evil: 1" is not a channel ID/],
      [{ channel: '#new hires' }, /Channel: "#new hires" is not a channel ID/],
      [{ text: '', blocks: undefined }, /Text: a text or blocks are required; fix the Text parameter/],
      [{ text: { html: '<b>' } as never }, /Text: must be text, not an object/],
      [{ text: 'x'.repeat(40_001) }, /Text: is 40001 characters long; Slack takes up to 40000/],
      [{ blocks: 'not json' }, /Blocks: is not valid JSON/],
      [{ blocks: { type: 'section' } }, /Blocks: must be a list of blocks, not an object/],
      [
        { blocks: [{ text: 'no type' }] },
        /Blocks \(block 1\): must be an object with a "type", like "section"; fix the Blocks parameter/,
      ],
      [
        { blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) },
        /Blocks: has 51 blocks; a message holds up to 50/,
      ],
      [{ threadTs: 'yesterday' }, /Thread: must be the ts of a message.*fix the Reply in thread parameter/],
    ];
    for (const [overrides, message] of cases) {
      const err = await failure(step(), api(overrides));
      expect(err.message).toMatch(message);
      expect(err).toMatchObject({ code: 'param-invalid', retryable: false });
    }
    expect(slack.log.slice(before)).toEqual([]);
  });

  it('takes Block Kit Builder output and blocks written as JSON text', async () => {
    const blocks = [{ type: 'divider' }];
    await run(step(), api({ text: 'Builder', blocks: { blocks } }), {});
    await run(step(), api({ text: 'As text', blocks: JSON.stringify(blocks) }), {});
    expect(slack.posted.filter((m) => m.text === 'Builder' || m.text === 'As text').map((m) => m.blocks)).toEqual([
      blocks,
      blocks,
    ]);
  });

  it('reaches Slack only at slack.com or slack-gov.com, unless the operator sets BATON_SLACK_API_URL', () => {
    expect(slackApiUrl('slack.com', {})).toBe('https://slack.com/api/');
    expect(slackApiUrl('slack-gov.com', {})).toBe('https://slack-gov.com/api/');
    expect(slackApiUrl('slack.com', { [SLACK_API_URL_ENV]: 'http://127.0.0.1:9/api' })).toBe('http://127.0.0.1:9/api/');
  });
});

describe('Slack via an incoming webhook', () => {
  it('posts the message as JSON, once per step', async () => {
    const ctx = step();
    const before = slack.log.length;
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'Hello' } }];
    expect(await run(ctx, hook({ text: 'Hook hello', blocks }), {})).toEqual({ ok: true });
    expect(await run({ ...ctx, attempt: 2 }, hook({ text: 'Hook hello', blocks }), {})).toEqual({ ok: true });
    expect(slack.posted.filter((m) => m.text === 'Hook hello')).toEqual([
      expect.objectContaining({ channel: 'C0NEWHIRES', blocks, via: 'webhook' }),
    ]);
    const [call] = slack.log.slice(before);
    expect(call).toMatchObject({ method: 'POST', status: 200, answer: 'ok' });
    expect(call.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(call.text)).toEqual({ text: 'Hook hello', blocks });
  });

  it("explains the webhook's refusals and never shows its URL", async () => {
    const removed = await failure(step({ url: slack.removedWebhookUrl }), hook({}));
    expect(removed.message).toBe(
      'Slack: the webhook is unknown (no_service): it was removed, or its app uninstalled; check the Slack credential',
    );
    const archived = await failure(step({ url: slack.archivedWebhookUrl }), hook({}));
    expect(archived.message).toMatch(/^Slack: Channel: the webhook's channel is archived \(channel_is_archived\)/);

    slack.rateLimit(new URL(webhookUrl).pathname, 120);
    const limited = await failure(step(), hook({ text: 'Too soon' }));
    expect(limited).toMatchObject({ code: 'rate-limited', retryable: true });
    expect(limited.message).toMatch(/the incoming webhook is rate-limited; it asked to wait 120 s/);
    for (const err of [removed, archived, limited]) {
      for (const url of [slack.removedWebhookUrl, slack.archivedWebhookUrl, webhookUrl])
        expect(JSON.stringify(err)).not.toContain(new URL(url).pathname);
    }
  });

  it('refuses a webhook on a private address unless BATON_HTTP_ALLOW_HOSTS allows it, without showing it', async () => {
    const allowed = process.env.BATON_HTTP_ALLOW_HOSTS;
    process.env.BATON_HTTP_ALLOW_HOSTS = '';
    try {
      const err = await failure(step(), hook({ text: 'Blocked' }));
      expect(err).toMatchObject({ code: 'ssrf-blocked' });
      expect(err.message).not.toContain(new URL(webhookUrl).pathname);
    } finally {
      process.env.BATON_HTTP_ALLOW_HOSTS = allowed;
    }
    expect(slack.posted.filter((m) => m.text === 'Blocked')).toEqual([]);
  });
});
