// The registry of credential types: the credentials page, the vault and (later) the node credential pickers read
// it. Pure, like the node registry; adding a type is a file here and one line below.
import { anthropic } from './anthropic';
import { bamboohr } from './bamboohr';
import { basicAuth } from './basic-auth';
import { bearerToken } from './bearer-token';
import { caldav } from './caldav';
import type { CredentialType } from './define';
import { formPassword } from './form-password';
import { httpHeaderAuth } from './http-header-auth';
import { mcpServer } from './mcp-server';
import { mysql } from './mysql';
import { oauth2ClientCredentials } from './oauth2-client-credentials';
import { ollama } from './ollama';
import { openaiCompatible } from './openai-compatible';
import { postgres } from './postgres';
import { slackBot } from './slack-bot';
import { slackWebhook } from './slack-webhook';
import { smtp } from './smtp';
import { websiteLogin } from './website-login';

/** In the order the credentials page offers them. */
export const CREDENTIAL_TYPES: readonly CredentialType[] = [
  httpHeaderAuth,
  basicAuth,
  bearerToken,
  oauth2ClientCredentials,
  smtp,
  caldav,
  postgres,
  mysql,
  openaiCompatible,
  anthropic,
  mcpServer,
  ollama,
  slackBot,
  slackWebhook,
  bamboohr,
  formPassword,
  websiteLogin,
];

const byType = new Map(CREDENTIAL_TYPES.map((t) => [t.type, t]));

export function credentialType(type: string): CredentialType | undefined {
  return byType.get(type);
}
