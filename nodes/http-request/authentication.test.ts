// "Authentication: credential" on loopback servers: each credential type sends its header, a credential header
// stays with its origin across redirects, and what the step returns or throws carries no secret, even when the
// server echoes it. The vault is stood in for by `stepCredentials` over fixed values (the activity hands it the
// vault read; app/canary.test.ts covers that path end to end).
import { startSink, type Sink } from '../../test/sink';
import { stepCredentials, type OpenedCredential } from '../credentials/step-access';
import { makeRunContext } from '../testing';
import { ALLOW_HOSTS_ENV } from './address-policy';
import { run } from './run';
import { NO_PAGINATION } from './pagination';

let api: Sink;
let other: Sink;
let tokens: Sink;
const allowHostsBefore = process.env[ALLOW_HOSTS_ENV];

const CREDENTIALS: Record<string, OpenedCredential> = {
  header: {
    id: 'cred_header',
    name: 'Header',
    type: 'http-header-auth',
    values: { name: 'X-Canary', value: 'header-secret-1' },
  },
  bearer: { id: 'cred_bearer', name: 'Bearer', type: 'bearer-token', values: { token: 'bearer-secret-2' } },
  basic: { id: 'cred_basic', name: 'Basic', type: 'basic-auth', values: { user: 'ann', password: 'basic-secret-3' } },
  smtp: { id: 'cred_smtp', name: 'Mail', type: 'smtp', values: { host: 'mail.example.com', password: 'x' } },
};

async function call(credentialId: string, url = `${api.url}/`) {
  const credentials = stepCredentials(async (id) => {
    if (id === 'cred_oauth') {
      return {
        id,
        name: 'OAuth',
        type: 'oauth2-client-credentials',
        values: {
          tokenUrl: `${tokens.url}/token`,
          clientId: 'app',
          clientSecret: 'oauth-secret-4',
          clientAuth: 'header',
        },
      };
    }
    const found = Object.values(CREDENTIALS).find((c) => c.id === id);
    if (!found) throw new Error(`no credential ${id}`);
    return found;
  });
  const params = {
    method: 'GET' as const,
    url,
    headers: { 'X-Trace': 't-1' },
    authentication: 'credential' as const,
    credential: credentialId,
    bodyType: 'none' as const,
    body: undefined,
    timeoutMs: 5000,
    failOnHttpError: true,
    ...NO_PAGINATION,
    response: 'auto' as const,
    fileName: '',
  };
  try {
    return { output: credentials.scrub(await run(makeRunContext({ credential: credentials.credential }), params, {})) };
  } catch (err) {
    return { error: credentials.scrubError(err) as Error & { code: string } };
  }
}

beforeAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = '127.0.0.1';
  [api, other, tokens] = await Promise.all([startSink(), startSink(), startSink()]);
});

beforeEach(() => {
  for (const sink of [api, other, tokens]) sink.requests.length = 0;
  api.handle((req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  tokens.handle(
    (_req, res) =>
      void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"access_token":"issued-token-5","token_type":"Bearer","expires_in":60}'),
  );
});

afterAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = allowHostsBefore;
  await Promise.all([api.close(), other.close(), tokens.close()]);
});

describe('HTTP request with a credential', () => {
  it('sends each credential type as its header', async () => {
    await call('cred_header');
    await call('cred_bearer');
    await call('cred_basic');
    await call('cred_oauth');
    expect(api.requests.map((r) => [r.headers['x-canary'], r.headers.authorization])).toEqual([
      ['header-secret-1', undefined],
      [undefined, 'Bearer bearer-secret-2'],
      [undefined, `Basic ${Buffer.from('ann:basic-secret-3').toString('base64')}`],
      [undefined, 'Bearer issued-token-5'],
    ]);
    expect(tokens.requests[0].headers.authorization).toBe(
      `Basic ${Buffer.from('app:oauth-secret-4').toString('base64')}`,
    );
    expect(tokens.requests[0].body).toBe('grant_type=client_credentials');
  });

  it('scrubs every secret, and values derived from them, from an echoing server’s output and errors', async () => {
    api.handle((req, res) => {
      const echoed = JSON.stringify({ got: req.headers });
      res.writeHead(req.path === '/fail' ? 401 : 200, { 'content-type': 'application/json' }).end(echoed);
    });
    const outputs = [];
    for (const id of ['cred_header', 'cred_bearer', 'cred_basic', 'cred_oauth']) outputs.push(await call(id));
    const text = JSON.stringify(outputs);
    expect(text).toContain('[secret]');
    expect(text).not.toMatch(/header-secret-1|bearer-secret-2|basic-secret-3|issued-token-5/);
    expect(text).not.toContain(Buffer.from('ann:basic-secret-3').toString('base64'));

    tokens.handle(
      (req, res) =>
        void res
          .writeHead(401, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'invalid_client', error_description: `bad ${req.headers.authorization}` })),
    );
    const failed = await call('cred_oauth');
    expect(failed.error?.message).toContain('getting an access token failed');
    expect(failed.error?.message).not.toContain(Buffer.from('app:oauth-secret-4').toString('base64'));
  });

  it('keeps a credential header with its origin on a cross-origin redirect', async () => {
    api.handle((_req, res) => void res.writeHead(307, { location: `${other.url}/landing` }).end());
    other.handle((_req, res) => void res.writeHead(200).end('landed'));
    const { output } = await call('cred_header');
    expect(output).toMatchObject({ status: 200, body: 'landed' });
    expect(api.requests[0].headers['x-canary']).toBe('header-secret-1');
    expect(other.requests[0].headers['x-canary']).toBeUndefined();
    expect(other.requests[0].headers['x-trace']).toBe('t-1');
  });

  it('refuses a credential of a type the node cannot send, and a missing pick, without retrying', async () => {
    const wrong = await call('cred_smtp');
    expect(wrong.error).toMatchObject({ code: 'param-invalid', retryable: false });
    expect(wrong.error?.message).toContain('Credential "Mail" is a SMTP credential');
    const none = await call('');
    expect(none.error?.message).toContain('No credential is picked');
    expect(api.requests).toHaveLength(0);
  });
});
