// A Slack incoming webhook: the URL is the secret (whoever has it can post to its channel), so it is sealed like a
// password and never shown again. It is called through the HTTP node's destination guard (decision 022), like any
// URL a workspace member typed. The test posts an empty message, which Slack refuses with `no_text` (or
// `invalid_payload`) without posting anything, while a removed webhook answers `no_service`.
import { boundedString } from '../define';
import { defineCredentialType, field } from './define';

/** Slack's answers to an empty message, by what they say about the webhook. */
const LIVE = new Set(['no_text', 'invalid_payload', 'missing_text_or_fallback_or_attachments']);
const DEAD: Record<string, string> = {
  no_service: 'Slack does not know this webhook (no_service): it was removed, or its app was uninstalled',
  invalid_token: 'Slack refused this webhook (invalid_token): it was revoked',
  no_team: 'Slack does not know the workspace of this webhook (no_team)',
  channel_is_archived: 'The channel of this webhook is archived (channel_is_archived)',
  action_prohibited: 'The workspace forbids this webhook to post (action_prohibited)',
};

const webhookUrl = field.secret({
  label: 'Webhook URL',
  description: 'From your Slack app’s “Incoming Webhooks” page. It is the secret: keep it out of workflows.',
  placeholder: 'https://hooks.slack.com/services/T…/B…/…',
  required: true,
  maxLength: 2048,
});

export const slackWebhook = defineCredentialType({
  type: 'slack-webhook',
  title: 'Slack incoming webhook',
  description: 'The URL of an incoming webhook, which posts to one Slack channel.',
  fields: {
    url: {
      ...webhookUrl,
      schema: boundedString(2048, { regex: /^https?:\/\/[^\s/]+\/\S*$/, message: 'must be an http(s) URL' }),
    },
  },
  async test(values, ctx) {
    const reply = await ctx.http({
      url: values.url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const said = typeof reply.body === 'string' ? reply.body.trim() : '';
    if (LIVE.has(said)) {
      return {
        ok: true,
        message: `Slack knows this webhook: it refused an empty message (${said}); nothing was posted.`,
      };
    }
    if (DEAD[said]) return { ok: false, message: `${DEAD[said]}.` };
    return {
      ok: false,
      message: `The URL did not answer like a Slack incoming webhook (HTTP ${reply.status}); check the URL.`,
    };
  },
});
