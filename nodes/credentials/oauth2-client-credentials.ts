// OAuth 2.0 client credentials grant (RFC 6749 §4.4): the client trades its id and secret for an access token at
// the token endpoint. The test fetches a token and reports what was issued, never the token itself.
import type { ParamsOf } from '../define';
import { defineCredentialType, field, type CredentialTestContext } from './define';
import { statusWithDetail } from './replies';
import { withoutSecrets } from './secret-scrub';

const CLIENT_AUTH = ['header', 'body'] as const;

const fields = {
  tokenUrl: field.url({ label: 'Token URL', placeholder: 'https://auth.example.com/oauth/token', required: true }),
  clientId: field.text({ label: 'Client ID', required: true, maxLength: 1024 }),
  clientSecret: field.secret({ label: 'Client secret', required: true, maxLength: 4096 }),
  scope: field.text({ label: 'Scope', description: 'Space separated, as the service documents it.', maxLength: 4096 }),
  clientAuth: field.select({
    label: 'Send client credentials',
    values: CLIENT_AUTH,
    options: [
      { value: 'header', label: 'As Basic auth header (recommended by RFC 6749)' },
      { value: 'body', label: 'In the request body' },
    ],
    default: 'header',
  }),
};

export interface IssuedToken {
  accessToken: string;
  tokenType: string;
  expiresInSeconds?: number;
  scope?: string;
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined for Basic auth. */
const formEncoded = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');

/** Asks the token endpoint for a token; throws with the endpoint's own error (RFC 6749 §5.2) when it refuses. */
export async function requestClientCredentialsToken(
  values: ParamsOf<typeof fields>,
  ctx: Pick<CredentialTestContext, 'http'>,
): Promise<IssuedToken> {
  const body = new URLSearchParams({ grant_type: 'client_credentials' });
  if (values.scope) body.set('scope', values.scope);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  // What an endpoint may echo: the secret, and the Basic header made of it.
  const sent = [values.clientSecret, formEncoded(values.clientSecret)];
  if (values.clientAuth === 'body') {
    body.set('client_id', values.clientId);
    body.set('client_secret', values.clientSecret);
  } else {
    const pair = `${formEncoded(values.clientId)}:${formEncoded(values.clientSecret)}`;
    headers.authorization = `Basic ${btoa(pair)}`; // ASCII after form encoding
    sent.push(btoa(pair));
  }
  const reply = await ctx.http({ url: values.tokenUrl, method: 'POST', headers, body: body.toString() });
  const token = reply.body as Record<string, unknown> | null;
  if (reply.status !== 200) {
    throw new Error(
      `The token endpoint refused the client: ${withoutSecrets(statusWithDetail(reply), sent)}. ` +
        'Check the client ID and secret.',
    );
  }
  if (!token || typeof token !== 'object' || typeof token.access_token !== 'string') {
    throw new Error('The token endpoint answered 200 without an access_token in JSON; check the token URL.');
  }
  return {
    accessToken: token.access_token,
    tokenType: typeof token.token_type === 'string' ? token.token_type : 'Bearer',
    expiresInSeconds: typeof token.expires_in === 'number' ? token.expires_in : undefined,
    scope: typeof token.scope === 'string' ? token.scope : undefined,
  };
}

export const oauth2ClientCredentials = defineCredentialType({
  type: 'oauth2-client-credentials',
  title: 'OAuth2 client credentials',
  description: 'A client ID and secret exchanged for an access token at the token endpoint (machine to machine).',
  fields,
  async test(values, ctx) {
    const token = await requestClientCredentialsToken(values, ctx);
    const expiry = token.expiresInSeconds === undefined ? '' : `, expires in ${token.expiresInSeconds} s`;
    const scope = token.scope ? `, scope "${token.scope}"` : '';
    return { ok: true, message: `The token endpoint issued a ${token.tokenType} token${expiry}${scope}.` };
  },
});
