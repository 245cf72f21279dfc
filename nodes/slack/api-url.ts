// Where the Slack Web API is. A workspace is on slack.com or on GovSlack; nothing a workflow author or credential
// editor types can point the bot token elsewhere. Only the operator can, through BATON_SLACK_API_URL on web and
// workers (a proxy, or the replay server of the tests).
export const SLACK_API_URL_ENV = 'BATON_SLACK_API_URL';

export const SLACK_HOSTS = ['slack.com', 'slack-gov.com'] as const;
export type SlackHost = (typeof SLACK_HOSTS)[number];

/** The base URL methods are appended to, with its trailing slash (`https://slack.com/api/`). */
export function slackApiUrl(host: SlackHost, env: Record<string, string | undefined> = process.env): string {
  const configured = env[SLACK_API_URL_ENV];
  if (configured) return configured.endsWith('/') ? configured : `${configured}/`;
  return `https://${host}/api/`;
}
