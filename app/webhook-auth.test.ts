// Webhook auth and rate limits against a real web server, worker and Temporal: HMAC signatures (wrong, stale,
// replayed, missing), a shared secret header, basic auth and 429s. Refusals are identical 401s, and no secret
// or signature reaches the run record or its steps.
import { createHmac } from 'node:crypto';
import { chain, docWith, setNode, webhookNode } from './web-test-documents';
import { startWebStack, waitForRunStatus, type WebStack } from './web-test-stack';

let stack: WebStack;

beforeAll(async () => {
  stack = await startWebStack('webhook_auth', { worker: true });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

async function publishedHook(name: string, params: Record<string, unknown>): Promise<string> {
  const document = docWith(
    [webhookNode('w', params), setNode('s', { got: '{{ $trigger.body.n }}' })],
    [chain('w', 's')],
  );
  const created = await stack.api('POST', '/api/workflows', { name, document });
  expect(created.status).toBe(201);
  const published = await stack.api('POST', `/api/workflows/${created.body.workflow.id}/publish`);
  expect(published.status).toBe(201);
  return created.body.workflow.id;
}

const post = (url: string, body: string, headers: Record<string, string>) =>
  fetch(`${stack.url}/hooks/${url}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
  });

/** The run and its steps, as the API shows them, once the run has finished. */
async function finishedRunText(res: Response): Promise<{ run: any; text: string }> {
  expect(res.status).toBe(202);
  const run = await waitForRunStatus(stack, (await res.json()).runId);
  expect(run.status).toBe('succeeded');
  const steps = await stack.api('GET', `/api/runs/${run.runId}/steps`);
  expect(steps.status).toBe(200);
  return { run, text: JSON.stringify({ run, steps: steps.body }) };
}

async function expectUnauthorized(res: Response) {
  expect(res.status).toBe(401);
  expect(await res.json()).toEqual({ error: { message: 'This request is not authorized to start the workflow.' } });
}

describe('HMAC signatures', () => {
  const secret = 'hmac-secret-4f1c9a';
  const sign = (timestamp: number, body: string) =>
    createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  const now = () => Math.floor(Date.now() / 1000);
  let id: string;

  beforeAll(async () => {
    id = await publishedHook('Signed', { path: 'signed', auth: 'hmac', secret, toleranceSeconds: 300 });
  });

  it('starts a run for a correct signature; the run and its steps hold neither signature nor secret', async () => {
    const ts = now();
    const body = JSON.stringify({ n: 7 });
    const signature = sign(ts, body);
    const res = await post(`${id}/signed`, body, { 'X-Baton-Timestamp': String(ts), 'X-Baton-Signature': signature });
    const { run, text } = await finishedRunText(res);
    expect(run.trigger.body).toEqual({ n: 7 });
    expect(run.trigger.headers['x-baton-signature']).toBe('[redacted]');
    expect(run.trigger.headers['x-baton-timestamp']).toBe(String(ts));
    expect(text).not.toContain(signature);
    expect(text).not.toContain(secret);
    expect(text).toContain('"got":7');
  });

  it('checks the signature over the raw bytes of a form body too', async () => {
    const ts = now();
    const body = 'n=8&note=a%20b';
    const res = await post(`${id}/signed`, body, {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Baton-Timestamp': String(ts),
      'X-Baton-Signature': `sha256=${sign(ts, body)}`,
    });
    const { run } = await finishedRunText(res);
    expect(run.trigger.body).toEqual({ n: '8', note: 'a b' });
  });

  it('refuses a wrong signature, a timestamp outside the window and missing headers alike', async () => {
    const body = JSON.stringify({ n: 1 });
    const ts = now();
    await expectUnauthorized(
      await post(`${id}/signed`, body, { 'X-Baton-Timestamp': String(ts), 'X-Baton-Signature': sign(ts, '{}') }),
    );
    const stale = ts - 330; // well outside the 300 s window, however long the requests before took
    await expectUnauthorized(
      await post(`${id}/signed`, body, { 'X-Baton-Timestamp': String(stale), 'X-Baton-Signature': sign(stale, body) }),
    );
    const early = now() + 330;
    await expectUnauthorized(
      await post(`${id}/signed`, body, { 'X-Baton-Timestamp': String(early), 'X-Baton-Signature': sign(early, body) }),
    );
    await expectUnauthorized(await post(`${id}/signed`, body, { 'X-Baton-Timestamp': String(ts) }));
    await expectUnauthorized(await post(`${id}/signed`, body, { 'X-Baton-Signature': sign(ts, body) }));
  });

  it('refuses a replay of a valid signed request inside the window', async () => {
    const ts = now();
    const body = JSON.stringify({ n: 2 });
    const headers = { 'X-Baton-Timestamp': String(ts), 'X-Baton-Signature': sign(ts, body) };
    expect((await post(`${id}/signed`, body, headers)).status).toBe(202);
    await expectUnauthorized(await post(`${id}/signed`, body, headers));
  });
});

describe('shared secret header and basic auth', () => {
  it('accepts the right shared secret only, and never stores it', async () => {
    const secret = 'shared-secret-77d2';
    const id = await publishedHook('Shared', { path: 'shared', auth: 'header', secretHeader: 'X-Hook-Pass', secret });
    await expectUnauthorized(await post(`${id}/shared`, '{"n":1}', { 'X-Hook-Pass': `${secret}x` }));
    await expectUnauthorized(await post(`${id}/shared`, '{"n":1}', {}));
    const { run, text } = await finishedRunText(await post(`${id}/shared`, '{"n":3}', { 'X-Hook-Pass': secret }));
    expect(run.trigger.headers['x-hook-pass']).toBe('[redacted]');
    expect(text).not.toContain(secret);
  });

  it('accepts the right user and password only, and asks for basic credentials otherwise', async () => {
    const id = await publishedHook('Basic', {
      path: 'basic',
      auth: 'basic',
      basicUser: 'hooks',
      basicPassword: 'basic-pass-19',
    });
    const basic = (user: string, password: string) => ({
      Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    });
    const wrong = await post(`${id}/basic`, '{"n":1}', basic('hooks', 'basic-pass-1'));
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic /);
    await expectUnauthorized(wrong);
    await expectUnauthorized(await post(`${id}/basic`, '{"n":1}', basic('admin', 'basic-pass-19')));
    const { run, text } = await finishedRunText(await post(`${id}/basic`, '{"n":4}', basic('hooks', 'basic-pass-19')));
    expect(run.trigger.headers.authorization).toBe('[redacted]');
    expect(text).not.toContain('basic-pass-19');
    expect(text).not.toContain(Buffer.from('hooks:basic-pass-19').toString('base64'));
  });
});

test('a webhook over its rate limit answers 429 with Retry-After', async () => {
  const id = await publishedHook('Limited', { path: 'limited', rateLimitPerMinute: 2 });
  expect((await post(`${id}/limited`, '{}', {})).status).toBe(202);
  expect((await post(`${id}/limited`, '{}', {})).status).toBe(202);
  const limited = await post(`${id}/limited`, '{}', {});
  expect(limited.status).toBe(429);
  const retryAfter = Number(limited.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(30);
  expect((await limited.json()).error.message).toMatch(/Retry-After/);
});
