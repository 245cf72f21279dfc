// Slack's responses as its public documentation shows them; the replay server (test/replay/slack.ts) answers with
// these, filling in the channel and ts of each call.

/**
 * auth.test, "Example response": https://docs.slack.dev/reference/methods/auth.test
 */
export const AUTH_TEST_OK = {
  ok: true,
  url: 'https://subarachnoid.slack.com/',
  team: 'Subarachnoid Workspace',
  user: 'grace',
  team_id: 'T12345678',
  user_id: 'W12345678',
  bot_id: 'B12345678',
  is_enterprise_install: false,
};

/**
 * chat.postMessage, "Common successful response": https://docs.slack.dev/reference/methods/chat.postMessage
 * (also recorded in slack-ruby/slack-api-ref methods/chat/chat.postMessage.json). Its attachment is left out: the
 * replay echoes what was sent instead.
 */
export const POST_MESSAGE_OK = {
  ok: true,
  channel: 'C1H9RESGL',
  ts: '1503435956.000247',
  message: {
    text: "Here's a message for you",
    username: 'ecto1',
    bot_id: 'B19LU7CSY',
    type: 'message',
    subtype: 'bot_message',
    ts: '1503435956.000247',
  },
};

/**
 * A Web API error, "Common error response" of every method page: HTTP 200 with `ok: false` and the error string
 * (errors listed at https://docs.slack.dev/reference/methods/chat.postMessage#errors).
 */
export const apiError = (error: string) => ({ ok: false, error });

/**
 * Rate limits, https://docs.slack.dev/apis/web-api/rate-limits: "HTTP 429 Too Many Requests … and a Retry-After
 * header containing the number of seconds until you can retry"; the Web API's body is `{ ok: false, error:
 * "ratelimited" }`.
 */
export const RATE_LIMITED = apiError('ratelimited');

/**
 * Incoming webhooks, https://api.slack.com/messaging/webhooks ("Handling errors") and
 * https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks: a plain-text body, `ok` on
 * success, else the error string with its status.
 */
export const WEBHOOK_ANSWERS = {
  ok: { status: 200, body: 'ok' },
  invalid_payload: { status: 400, body: 'invalid_payload' },
  no_text: { status: 400, body: 'no_text' },
  action_prohibited: { status: 403, body: 'action_prohibited' },
  no_service: { status: 404, body: 'no_service' },
  channel_not_found: { status: 404, body: 'channel_not_found' },
  channel_is_archived: { status: 410, body: 'channel_is_archived' },
  rate_limited: { status: 429, body: 'rate_limited' },
} as const;
