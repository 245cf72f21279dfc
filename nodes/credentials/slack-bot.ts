// A Slack app's bot token (xoxb-…). The test calls auth.test, which Slack documents for checking a token: it
// answers HTTP 200 either way, with `ok` and, when false, an `error` code such as invalid_auth. There is no free API
// URL field: whoever may edit the credential without knowing the token could otherwise point it at their own server
// and read the token from the next request. The operator's BATON_SLACK_API_URL is the only override.
import { SLACK_HOSTS, slackApiUrl } from '../slack/api-url';
import { defineCredentialType, field } from './define';
import { statusWithDetail } from './replies';

interface AuthTest {
  ok?: boolean;
  error?: string;
  team?: string;
  user?: string;
}

export const slackBot = defineCredentialType({
  type: 'slack-bot',
  title: 'Slack bot token',
  description: 'The Bot User OAuth Token of a Slack app installed in your workspace.',
  fields: {
    token: field.secret({ label: 'Bot token', required: true, maxLength: 1024 }),
    host: field.select({
      label: 'Slack',
      description: 'GovSlack workspaces use slack-gov.com.',
      values: SLACK_HOSTS,
      options: [
        { value: 'slack.com', label: 'Slack (slack.com)' },
        { value: 'slack-gov.com', label: 'GovSlack (slack-gov.com)' },
      ],
      default: 'slack.com',
      required: true,
    }),
  },
  async test(values, ctx) {
    const reply = await ctx.http({
      url: `${slackApiUrl(values.host)}auth.test`,
      method: 'POST',
      headers: { authorization: `Bearer ${values.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    const answer = (reply.body ?? {}) as AuthTest;
    if (reply.status !== 200 || typeof answer !== 'object') {
      return { ok: false, message: `Slack did not answer auth.test (${statusWithDetail(reply)}).` };
    }
    if (answer.ok !== true) {
      return { ok: false, message: `Slack refused the token: ${answer.error ?? 'no reason given'}.` };
    }
    return { ok: true, message: `Signed in to Slack workspace "${answer.team}" as "${answer.user}".` };
  },
});
