// A Slack app's bot token (xoxb-…). The test calls auth.test, which Slack documents for checking a token: it
// answers HTTP 200 either way, with `ok` and, when false, an `error` code such as invalid_auth.
import { defineCredentialType, field } from './define';
import { joinUrl, statusWithDetail } from './replies';

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
    apiUrl: field.url({
      label: 'API URL',
      description: 'Change only for Slack GovSlack (https://slack-gov.com/api) or a proxy.',
      default: 'https://slack.com/api',
      required: true,
    }),
  },
  async test(values, ctx) {
    const reply = await ctx.http({
      url: joinUrl(values.apiUrl, '/auth.test'),
      method: 'POST',
      headers: { authorization: `Bearer ${values.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    const answer = (reply.body ?? {}) as AuthTest;
    if (reply.status !== 200 || typeof answer !== 'object') {
      return { ok: false, message: `Slack did not answer auth.test (${statusWithDetail(reply)}); check the API URL.` };
    }
    if (answer.ok !== true) {
      return { ok: false, message: `Slack refused the token: ${answer.error ?? 'no reason given'}.` };
    }
    return { ok: true, message: `Signed in to Slack workspace "${answer.team}" as "${answer.user}".` };
  },
});
