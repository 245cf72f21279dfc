// "Test connection" of the Slack and BambooHR credential types against the replay servers (test/replay/), reached
// through the operator's BATON_SLACK_API_URL and BATON_BAMBOOHR_API_URL: good values pass, bad ones fail saying what
// to check, the secret never shows, and a webhook's test posts nothing.
import { startBambooReplay, type BambooReplay } from '../../test/replay/bamboohr';
import { startSlackReplay, type SlackReplay } from '../../test/replay/slack';
import { BAMBOOHR_API_URL_ENV } from '../bamboohr/api-url';
import { SLACK_API_URL_ENV } from '../slack/api-url';
import { credentialType } from './index';
import { testCredential } from './test-connection';

let slack: SlackReplay;
let bamboo: BambooReplay;
beforeAll(async () => {
  [slack, bamboo] = await Promise.all([startSlackReplay(), startBambooReplay()]);
  process.env[SLACK_API_URL_ENV] = slack.apiUrl;
  process.env[BAMBOOHR_API_URL_ENV] = bamboo.url;
});
afterAll(async () => {
  delete process.env[SLACK_API_URL_ENV];
  delete process.env[BAMBOOHR_API_URL_ENV];
  await Promise.all([slack.close(), bamboo.close()]);
});

const check = (type: string, values: Record<string, unknown>) => testCredential(credentialType(type)!, values);

describe('Slack bot token', () => {
  test('a good token signs in through auth.test, sent as a bearer token', async () => {
    expect(await check('slack-bot', { token: slack.token })).toEqual({
      ok: true,
      message: 'Signed in to Slack workspace "Subarachnoid Workspace" as "grace".',
    });
    expect(slack.log.at(-1)).toMatchObject({ method: 'POST', path: '/api/auth.test' });
    expect(slack.log.at(-1)!.headers.authorization).toBe(`Bearer ${slack.token}`);
  });

  test('a bad token fails with Slack’s error code, and the host is a choice, not a URL', async () => {
    expect(await check('slack-bot', { token: 'xoxb-wrong', host: 'slack-gov.com' })).toEqual({
      ok: false,
      message: 'Slack refused the token: invalid_auth.',
    });
    expect(await check('slack-bot', { token: slack.token, host: 'evil.example' })).toMatchObject({ ok: false });
    // There is no URL to point the token elsewhere (decision 048).
    expect(await check('slack-bot', { token: slack.token, apiUrl: 'https://evil.example/api' })).toEqual({
      ok: false,
      message: expect.stringMatching(/is not a field of Slack bot token credentials$/),
    });
  });
});

describe('Slack incoming webhook', () => {
  test('a live webhook passes without posting anything; a removed one fails saying so', async () => {
    const before = slack.posted.length;
    expect(await check('slack-webhook', { url: slack.webhookUrl })).toEqual({
      ok: true,
      message: 'Slack knows this webhook: it refused an empty message (no_text); nothing was posted.',
    });
    expect(slack.posted.length).toBe(before);
    const removed = await check('slack-webhook', { url: slack.removedWebhookUrl });
    expect(removed).toEqual({
      ok: false,
      message: 'Slack does not know this webhook (no_service): it was removed, or its app was uninstalled.',
    });
  });

  test('a URL that is not a webhook, or not a URL, fails without showing it', async () => {
    const other = `${bamboo.url}/not/a/webhook`;
    const answer = await check('slack-webhook', { url: other });
    expect(answer).toEqual({
      ok: false,
      message: 'The URL did not answer like a Slack incoming webhook (HTTP 404); check the URL.',
    });
    expect(await check('slack-webhook', { url: 'hooks.slack.com/services/x' })).toEqual({
      ok: false,
      message: 'Webhook URL: must be an http(s) URL',
    });
  });
});

describe('BambooHR', () => {
  test('a good key reads the employee directory, with Basic auth and JSON asked for', async () => {
    expect(await check('bamboohr', { companyDomain: 'acme', apiKey: bamboo.apiKey })).toEqual({
      ok: true,
      message: 'Connected to BambooHR company "acme": the directory lists 3 employees.',
    });
    expect(bamboo.log.at(-1)).toMatchObject({ path: '/api/gateway.php/acme/v1/employees/directory', status: 200 });
  });

  test('a bad key and an unknown company fail, each saying what to check', async () => {
    expect(await check('bamboohr', { companyDomain: 'acme', apiKey: 'wrong' })).toEqual({
      ok: false,
      message: 'BambooHR refused the API key (HTTP 401); check the key.',
    });
    expect(await check('bamboohr', { companyDomain: 'acne', apiKey: bamboo.apiKey })).toEqual({
      ok: false,
      message: 'BambooHR knows no company by that domain (HTTP 404); check the company domain.',
    });
    expect(
      await check('bamboohr', { companyDomain: 'acme', apiKey: bamboo.apiKey, apiUrl: 'https://evil.example' }),
    ).toEqual({ ok: false, message: expect.stringMatching(/is not a field of BambooHR credentials$/) });
  });
});
