// "Test connection" of the API credential types, against a loopback server that replays each service's documented
// responses (OpenAI GET /v1/models, Anthropic GET /v1/models, an RFC 6749 token endpoint): good values pass, bad ones
// fail with the service's reason and without the secret. Slack and BambooHR: saas-tests.test.ts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { credentialType } from './index';
import { testCredential } from './test-connection';

const GOOD = 'good-key-7c1e';
const BAD = 'canary-bad-key-4f2a';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: http.Server;
let base: string;
const seen: Seen[] = [];

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** The documented responses, keyed by route. */
function replay(req: Seen, res: http.ServerResponse): void {
  const route = `${req.method} ${req.url}`;
  if (route === 'GET /openai/v1/models') {
    if (req.headers.authorization !== `Bearer ${GOOD}`) {
      // OpenAI quotes the key it was given (partly masked in reality; in full here, the worst case).
      return json(res, 401, {
        error: {
          message: `Incorrect API key provided: ${req.headers.authorization?.slice(7)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      });
    }
    return json(res, 200, {
      object: 'list',
      data: [
        { id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' },
        { id: 'text-embedding-3-small', object: 'model', created: 1705948997, owned_by: 'system' },
      ],
    });
  }
  if (route === 'GET /anthropic/v1/models') {
    if (req.headers['anthropic-version'] !== '2023-06-01') {
      return json(res, 400, {
        type: 'error',
        error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' },
      });
    }
    if (req.headers['x-api-key'] !== GOOD) {
      return json(res, 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
    }
    return json(res, 200, {
      data: [
        {
          type: 'model',
          id: 'claude-sonnet-4-20250514',
          display_name: 'Claude Sonnet 4',
          created_at: '2025-05-22T00:00:00Z',
        },
      ],
      has_more: false,
      first_id: 'claude-sonnet-4-20250514',
      last_id: 'claude-sonnet-4-20250514',
    });
  }
  if (route === 'POST /oauth/token') {
    const form = new URLSearchParams(req.body);
    const byHeader = req.headers.authorization === basic('baton-client', GOOD);
    const byBody = form.get('client_id') === 'baton-client' && form.get('client_secret') === GOOD;
    if (
      req.headers['content-type'] !== 'application/x-www-form-urlencoded' ||
      form.get('grant_type') !== 'client_credentials'
    ) {
      return json(res, 400, { error: 'unsupported_grant_type' });
    }
    if (!byHeader && !byBody) {
      return json(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    return json(res, 200, {
      access_token: '2YotnFZFEjr1zCsicMWpAA',
      token_type: 'Bearer',
      expires_in: 3600,
      scope: form.get('scope'),
    });
  }
  res.writeHead(404).end();
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = {
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      seen.push(entry);
      replay(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
});

const check = (type: string, values: Record<string, unknown>) => testCredential(credentialType(type)!, values);

describe('OpenAI-compatible API', () => {
  const values = (apiKey: string) => ({ baseUrl: `${base}/openai/v1/`, apiKey });

  test('a good key lists the models', async () => {
    expect(await check('openai-compatible', values(GOOD))).toEqual({
      ok: true,
      message: 'Connected: the API lists 2 models, e.g. gpt-4o-mini.',
    });
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/openai/v1/models' });
  });

  test('a bad key fails with the API error, the echoed key masked', async () => {
    const result = await check('openai-compatible', values(BAD));
    expect(result.ok).toBe(false);
    expect(result.message).toBe(
      'The API refused the key: HTTP 401 (Incorrect API key provided: [secret]. You can find your API key at ' +
        'https://platform.openai.com/account/api-keys.).',
    );
  });

  test('a base URL that is not the API fails saying so', async () => {
    expect(await check('openai-compatible', { baseUrl: `${base}/elsewhere`, apiKey: GOOD })).toEqual({
      ok: false,
      message: 'GET /models did not list models (HTTP 404); check the base URL.',
    });
  });
});

describe('Anthropic', () => {
  test('a good key lists the models, sent with the documented headers', async () => {
    expect(await check('anthropic', { apiKey: GOOD, baseUrl: `${base}/anthropic` })).toEqual({
      ok: true,
      message: 'Connected to Anthropic: 1 models available, e.g. Claude Sonnet 4.',
    });
    expect(seen[0].headers).toMatchObject({ 'x-api-key': GOOD, 'anthropic-version': '2023-06-01' });
  });

  test('a bad key fails with Anthropic’s reason', async () => {
    expect(await check('anthropic', { apiKey: BAD, baseUrl: `${base}/anthropic` })).toEqual({
      ok: false,
      message: 'Anthropic refused the key: HTTP 401 (invalid x-api-key).',
    });
  });
});

describe('OAuth2 client credentials', () => {
  const values = (clientSecret: string, clientAuth: 'header' | 'body') => ({
    tokenUrl: `${base}/oauth/token`,
    clientId: 'baton-client',
    clientSecret,
    scope: 'employees:read',
    clientAuth,
  });

  test.each(['header', 'body'] as const)('a good secret (sent in the %s) gets a token', async (clientAuth) => {
    expect(await check('oauth2-client-credentials', values(GOOD, clientAuth))).toEqual({
      ok: true,
      message: 'The token endpoint issued a Bearer token, expires in 3600 s, scope "employees:read".',
    });
    expect(new URLSearchParams(seen[0].body).get('scope')).toBe('employees:read');
  });

  test('a bad secret fails with the endpoint’s RFC 6749 error', async () => {
    expect(await check('oauth2-client-credentials', values(BAD, 'header'))).toEqual({
      ok: false,
      message:
        'The token endpoint refused the client: HTTP 401 (invalid_client: Client authentication failed). ' +
        'Check the client ID and secret.',
    });
  });
});

test('tests go through the HTTP destination guard: loopback is refused unless allow-listed', async () => {
  const saved = process.env.BATON_HTTP_ALLOW_HOSTS;
  process.env.BATON_HTTP_ALLOW_HOSTS = '';
  try {
    const result = await check('anthropic', { apiKey: GOOD, baseUrl: `${base}/anthropic` });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^HTTP request blocked: 127\.0\.0\.1 is a loopback address/);
    expect(result.message).toContain('BATON_HTTP_ALLOW_HOSTS');
    expect(seen).toEqual([]);
  } finally {
    process.env.BATON_HTTP_ALLOW_HOSTS = saved;
  }
});

test('invalid values are reported before anything is sent', async () => {
  expect(await check('bamboohr', { companyDomain: '../admin' })).toEqual({
    ok: false,
    message: 'Company domain: must be the name before .bamboohr.com; API key is required',
  });
  expect(seen).toEqual([]);
});
