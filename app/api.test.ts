// The REST API against a real web server, worker, Temporal and Mongo: auth on every route, CRUD with
// revision conflicts, publish, runs with steps, and a list of bad inputs that must change nothing.
import { startSink, type Sink } from '../test/sink';
import { startWebStack, waitForRunStatus, type WebStack } from './web-test-stack';
import { docWith, httpNode, manualNode, setNode, chain } from './web-test-documents';

let stack: WebStack;
let sink: Sink;

beforeAll(async () => {
  sink = await startSink();
  stack = await startWebStack('api', { worker: true });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  await sink?.close();
});

const ROUTES: Array<[string, string]> = [
  ['GET', '/api/workflows'],
  ['POST', '/api/workflows'],
  ['GET', '/api/workflows/000000000000000000000000'],
  ['PUT', '/api/workflows/000000000000000000000000'],
  ['DELETE', '/api/workflows/000000000000000000000000'],
  ['POST', '/api/workflows/000000000000000000000000/publish'],
  ['GET', '/api/workflows/000000000000000000000000/versions'],
  ['GET', '/api/runs'],
  ['POST', '/api/runs'],
  ['GET', '/api/runs/run_x'],
  ['GET', '/api/runs/run_x/steps'],
  ['GET', '/api/nodes'],
  ['GET', '/api/me'],
  ['POST', '/api/tokens'],
  ['GET', '/api/no-such-endpoint'],
];

describe('authentication', () => {
  test.each(ROUTES)('%s %s answers 401 JSON without credentials', async (method, path) => {
    const res = await stack.api(method, path, method === 'GET' || method === 'DELETE' ? undefined : {}, {
      token: null,
    });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/Authentication required/);
  });

  test('a wrong token is refused, the setup token is accepted', async () => {
    expect((await stack.api('GET', '/api/me', undefined, { token: 'baton_not-a-real-token' })).status).toBe(401);
    const me = await stack.api('GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe('owner@baton.test');
  });

  test('setup cannot run twice', async () => {
    const res = await stack.api(
      'POST',
      '/api/setup',
      { email: 'intruder@baton.test', name: 'X', password: 'long-enough-pw' },
      { token: null },
    );
    expect(res.status).toBe(409);
  });

  test('pages redirect to /login without a session', async () => {
    const res = await fetch(`${stack.url}/`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^\/login/);
  });
});

describe('workflows CRUD', () => {
  test('create, read, update with revision, conflict, delete', async () => {
    const created = await stack.api('POST', '/api/workflows', { name: 'CRUD', document: docWith([manualNode('t')]) });
    expect(created.status).toBe(201);
    const wf = created.body.workflow;
    expect(wf.revision).toBe(1);

    const list = await stack.api('GET', '/api/workflows');
    expect(list.body.workflows.map((w: { id: string }) => w.id)).toContain(wf.id);

    const updated = await stack.api('PUT', `/api/workflows/${wf.id}`, {
      revision: 1,
      name: 'CRUD renamed',
      document: docWith([manualNode('t'), setNode('s', { a: '1' })], [chain('t', 's')]),
    });
    expect(updated.status).toBe(200);
    expect(updated.body.workflow.revision).toBe(2);

    const stale = await stack.api('PUT', `/api/workflows/${wf.id}`, { revision: 1, name: 'lost update' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.currentRevision).toBe(2);

    const fetched = await stack.api('GET', `/api/workflows/${wf.id}`);
    expect(fetched.body.workflow.name).toBe('CRUD renamed');
    expect(fetched.body.workflow.document.nodes).toHaveLength(2);

    expect((await stack.api('DELETE', `/api/workflows/${wf.id}`)).status).toBe(204);
    expect((await stack.api('GET', `/api/workflows/${wf.id}`)).status).toBe(404);
  });

  test('unknown ids answer 404 with a message', async () => {
    const res = await stack.api('GET', '/api/workflows/not-an-id');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/does not exist/);
  });
});

describe('bad input never changes what is saved', () => {
  let id: string;
  let saved: unknown;
  const good = () => docWith([manualNode('t'), httpNode('h', { url: 'http://127.0.0.1:1/x' })], [chain('t', 'h')]);

  beforeAll(async () => {
    const res = await stack.api('POST', '/api/workflows', { name: 'Guarded', document: good() });
    id = res.body.workflow.id;
    saved = res.body.workflow.document;
  });

  afterEach(async () => {
    const res = await stack.api('GET', `/api/workflows/${id}`);
    expect(res.body.workflow.document).toEqual(saved);
    expect(res.body.workflow.revision).toBe(1);
  });

  const put = (document: unknown) => stack.api('PUT', `/api/workflows/${id}`, { revision: 1, document });

  test('malformed document', async () => {
    const res = await put({ nodes: 'not an array', edges: {} });
    expect(res.status).toBe(422);
    expect(res.body.error.diagnostics.length).toBeGreaterThan(0);
  });

  test('unknown node type names the node', async () => {
    const doc = good();
    doc.nodes.push({
      id: 'ghost',
      type: 'no-such-node',
      version: 1,
      name: 'Ghost',
      position: { x: 0, y: 0 },
      params: {},
    });
    const res = await put(doc);
    expect(res.status).toBe(422);
    expect(res.body.error.diagnostics.some((d: { nodeId?: string }) => d.nodeId === 'ghost')).toBe(true);
    expect(res.body.error.message).toMatch(/ghost/i);
  });

  test('cycle', async () => {
    const doc = docWith(
      [manualNode('t'), setNode('a', {}), setNode('b', {})],
      [chain('t', 'a'), chain('a', 'b'), chain('b', 'a')],
    );
    const res = await put(doc);
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.error.diagnostics)).toMatch(/cycle/i);
  });

  test('param of the wrong type names node and field', async () => {
    const res = await put(docWith([manualNode('t'), httpNode('h', { url: 42 })], [chain('t', 'h')]));
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/\bh\b/);
    expect(res.body.error.message).toMatch(/url/);
  });

  test('a 5 MB string param is refused naming node and field', async () => {
    const res = await put(
      docWith(
        [manualNode('t'), httpNode('h', { url: `http://127.0.0.1/${'x'.repeat(5 * 1024 * 1024)}` })],
        [chain('t', 'h')],
      ),
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.message).toMatch(/\bh\b/);
    expect(res.body.error.message).toMatch(/url/);
  });

  test('a body over the limit is refused with 413 naming the limit', async () => {
    const res = await stack.api('PUT', `/api/workflows/${id}`, undefined, {
      raw: JSON.stringify({ revision: 1, name: 'x'.repeat(9 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/8 MB/);
  });

  test('invalid JSON and wrong content type', async () => {
    expect((await stack.api('PUT', `/api/workflows/${id}`, undefined, { raw: '{"revision": 1,' })).status).toBe(400);
    expect(
      (
        await stack.api('PUT', `/api/workflows/${id}`, undefined, {
          raw: 'revision=1',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        })
      ).status,
    ).toBe(415);
  });

  test('dangling edge', async () => {
    const res = await put(docWith([manualNode('t')], [chain('t', 'nowhere')]));
    expect(res.status).toBe(422);
  });
});

describe('hostile strings', () => {
  test('markup, operators and dotted keys round-trip unchanged', async () => {
    const fields = {
      '<script>alert(1)</script>': '$where',
      'a.b.c': '{"$gt": ""}',
      $where: 'sleep(1000)',
      'x.$set': '<b>bold</b>',
    };
    const name = '<img src=x onerror=alert(1)> $where';
    const created = await stack.api('POST', '/api/workflows', {
      name,
      document: docWith([manualNode('t'), setNode('s', fields)], [chain('t', 's')]),
    });
    expect(created.status).toBe(201);
    const fetched = await stack.api('GET', `/api/workflows/${created.body.workflow.id}`);
    expect(fetched.body.workflow.name).toBe(name);
    expect(fetched.body.workflow.document.nodes[1].params.fields).toEqual(fields);
  });

  test('__proto__ keys are refused, naming node and key', async () => {
    const doc = docWith([manualNode('t'), setNode('s', { ok: '1' })], [chain('t', 's')]);
    const raw = JSON.stringify({ name: 'Proto', document: doc }).replace(
      '"ok":"1"',
      '"ok":"1","__proto__":{"polluted":true}',
    );
    const res = await stack.api('POST', '/api/workflows', undefined, { raw });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/__proto__/);
    expect(res.body.error.diagnostics[0].nodeId).toBe('s');
  });

  test('operator objects where strings belong are rejected', async () => {
    const res = await stack.api('POST', '/api/workflows', { name: { $gt: '' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/name/);
  });
});

describe('publish and run', () => {
  test('publish needs a complete workflow, then creates numbered versions', async () => {
    const created = await stack.api('POST', '/api/workflows', {
      name: 'Publishable',
      document: docWith([manualNode('t'), httpNode('h', {})], [chain('t', 'h')]),
    });
    expect(created.status).toBe(201);
    expect(created.body.warnings.length).toBeGreaterThan(0);
    const id = created.body.workflow.id;

    const incomplete = await stack.api('POST', `/api/workflows/${id}/publish`);
    expect(incomplete.status).toBe(422);

    await stack.api('PUT', `/api/workflows/${id}`, {
      revision: 1,
      document: docWith([manualNode('t'), httpNode('h', { url: `${sink.url}/pub` })], [chain('t', 'h')]),
    });
    const v1 = await stack.api('POST', `/api/workflows/${id}/publish`);
    expect(v1.status).toBe(201);
    expect(v1.body.version.version).toBe(1);
    const v2 = await stack.api('POST', `/api/workflows/${id}/publish`, { revision: 2 });
    expect(v2.body.version.version).toBe(2);
    const versions = await stack.api('GET', `/api/workflows/${id}/versions`);
    expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect((await stack.api('POST', `/api/workflows/${id}/publish`, { revision: 1 })).status).toBe(409);
  });

  test('start a run of the draft, read it and its steps', async () => {
    const doc = docWith(
      [manualNode('t'), setNode('s', { greeting: 'hi' }), httpNode('h', { url: `${sink.url}/run` })],
      [chain('t', 's'), chain('s', 'h')],
    );
    const created = await stack.api('POST', '/api/workflows', { name: 'Runnable', document: doc });
    const started = await stack.api('POST', '/api/runs', {
      workflowId: created.body.workflow.id,
      input: { hello: 'world' },
    });
    expect(started.status).toBe(201);
    const run = await waitForRunStatus(stack, started.body.runId);
    expect(run.status).toBe('succeeded');
    expect(run.trigger).toEqual({ hello: 'world' });

    const steps = await stack.api('GET', `/api/runs/${started.body.runId}/steps`);
    expect(steps.body.steps.map((s: { nodeId: string }) => s.nodeId).sort()).toEqual(['h', 's', 't']);
    expect(steps.body.steps.every((s: { status: string }) => s.status === 'succeeded')).toBe(true);
    expect(sink.requests.some((r) => r.path === '/run')).toBe(true);

    const listed = await stack.api('GET', `/api/runs?workflowId=${created.body.workflow.id}`);
    expect(listed.body.runs[0].runId).toBe(started.body.runId);
  });

  test("a manual run without input uses the trigger's sample payload", async () => {
    const created = await stack.api('POST', '/api/workflows', {
      name: 'Sampled',
      document: docWith([manualNode('t', { samplePayload: { email: 'ada@example.com' } })]),
    });
    const started = await stack.api('POST', '/api/runs', { workflowId: created.body.workflow.id });
    expect(started.status).toBe(201);
    const run = await waitForRunStatus(stack, started.body.runId);
    expect(run.trigger).toEqual({ email: 'ada@example.com' });
  });

  test('a run of an incomplete draft is refused with diagnostics', async () => {
    const created = await stack.api('POST', '/api/workflows', {
      name: 'Incomplete',
      document: docWith([manualNode('t'), httpNode('h', {})], [chain('t', 'h')]),
    });
    const res = await stack.api('POST', '/api/runs', { workflowId: created.body.workflow.id });
    expect(res.status).toBe(422);
    expect(res.body.error.diagnostics.some((d: { nodeId?: string }) => d.nodeId === 'h')).toBe(true);
  });

  test('GET /api/nodes describes the palette', async () => {
    const res = await stack.api('GET', '/api/nodes');
    expect(res.status).toBe(200);
    expect(res.body.nodes.length).toBeGreaterThan(3);
    expect(res.body.nodes[0]).toEqual(expect.objectContaining({ type: expect.any(String), params: expect.any(Array) }));
  });
});

describe('large values: previews and downloads', () => {
  const BIG_TEXT = 400_000;
  const bigCode = {
    ...setNode('big', {}),
    type: 'code',
    params: { code: `return { text: "x".repeat(${BIG_TEXT}) };` },
  };
  let runId: string;
  let steps: Record<string, any>;

  beforeAll(async () => {
    // big (a 400 KB output, kept in the blob store) → echo (its input and output are references), and a small sink.
    const doc = docWith(
      [manualNode('t'), bigCode, setNode('echo', {}), setNode('small', { greeting: 'hi' })],
      [chain('t', 'big'), chain('big', 'echo'), chain('t', 'small')],
    );
    const created = await stack.api('POST', '/api/workflows', { name: 'Large values', document: doc });
    const started = await stack.api('POST', '/api/runs', { workflowId: created.body.workflow.id, input: {} });
    runId = started.body.runId;
    expect((await waitForRunStatus(stack, runId)).status).toBe('succeeded');
    const res = await stack.api('GET', `/api/runs/${runId}/steps`);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body).length).toBeLessThan(100_000);
    steps = Object.fromEntries(res.body.steps.map((s: { nodeId: string }) => [s.nodeId, s]));
  }, 90_000);

  test('steps send large inputs and outputs as a 16 KB preview with a download link, small ones whole', () => {
    const preview = (field: string) => ({
      truncated: true,
      bytes: BIG_TEXT + 11, // {"text":"…"}
      preview: `{"text":"${'x'.repeat(16 * 1024 - 9)}`,
      download: `/api/runs/${runId}/steps/echo/${field}`,
    });
    expect(steps.echo).toMatchObject({ inputPreview: preview('input'), outputPreview: preview('output') });
    expect(steps.echo.output).toBeUndefined();
    expect(steps.echo.input).toBeUndefined();
    expect(steps.big.outputPreview.download).toBe(`/api/runs/${runId}/steps/big/output`);
    expect(steps.big.outputSize).toBe(BIG_TEXT + 11);
    expect(steps.small.output).toEqual({ greeting: 'hi' });
    expect(steps.small.outputPreview).toBeUndefined();
  });

  test('the download streams the whole JSON as an attachment', async () => {
    for (const field of ['input', 'output']) {
      const res = await stack.api('GET', steps.echo[`${field}Preview`].download);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${runId}-echo-${field}.json"`);
      expect(res.body).toEqual({ text: 'x'.repeat(BIG_TEXT) });
    }
  });

  test('the run output holds a reference: previewed, and downloaded with the reference resolved', async () => {
    const { body } = await stack.api('GET', `/api/runs/${runId}`);
    expect(body.run.output).toBeUndefined();
    expect(body.run.outputPreview).toMatchObject({
      truncated: true,
      download: `/api/runs/${runId}/output`,
    });
    expect(body.run.outputPreview.bytes).toBe(
      JSON.stringify({ echo: { text: 'x'.repeat(BIG_TEXT) }, small: { greeting: 'hi' } }).length,
    );
    expect(body.run.outputPreview.preview).toMatch(/^\{"echo":\{"text":"xxxx/);

    const download = await stack.api('GET', body.run.outputPreview.download);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${runId}-output.json"`);
    expect(download.body).toEqual({ echo: { text: 'x'.repeat(BIG_TEXT) }, small: { greeting: 'hi' } });
  });

  test('downloads need a token and answer 404 for what does not exist', async () => {
    for (const path of [`/api/runs/${runId}/steps/echo/output`, `/api/runs/${runId}/output`]) {
      const res = await stack.api('GET', path, undefined, { token: null });
      expect(res.status).toBe(401);
      expect(res.body.error.message).toMatch(/Authentication required/);
    }
    const unknownNode = await stack.api('GET', `/api/runs/${runId}/steps/nope/output`);
    expect(unknownNode.status).toBe(404);
    expect(unknownNode.body.error.message).toMatch(/no step for node "nope"/);
    const unknownField = await stack.api('GET', `/api/runs/${runId}/steps/echo/logs`);
    expect(unknownField.status).toBe(404);
    expect((await stack.api('GET', `/api/runs/run_unknown/steps/echo/output`)).status).toBe(404);
    expect((await stack.api('GET', `/api/runs/run_unknown/output`)).status).toBe(404);
    // The trigger step has no input.
    const noInput = await stack.api('GET', `/api/runs/${runId}/steps/t/input`);
    expect(noInput.status).toBe(404);
    expect(noInput.body.error.message).toMatch(/has no input/);
  });
});

describe('content security policy and login throttling', () => {
  const scriptSrc = (csp: string | null) =>
    (csp ?? '')
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('script-src ')) ?? '';

  test('a document allows only scripts carrying its own fresh nonce', async () => {
    const first = await fetch(`${stack.url}/login`);
    expect(first.status).toBe(200);
    const src = scriptSrc(first.headers.get('content-security-policy'));
    expect(src).not.toMatch(/unsafe-inline/);
    const nonce = src.match(/'nonce-([A-Za-z0-9+/=]+)'/)?.[1];
    expect(nonce).toBeTruthy();

    const html = await first.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

    const second = await fetch(`${stack.url}/login`);
    expect(scriptSrc(second.headers.get('content-security-policy'))).not.toContain(nonce);
  });

  const login = (email: string, password: string) =>
    fetch(`${stack.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ email, password, redirectTo: '/' }),
    });

  test('five wrong passwords lock the email for this client; success before that resets the count', async () => {
    const email = 'owner@baton.test';
    for (let i = 0; i < 4; i++) expect((await login(email, 'wrong-password')).status).toBe(200);
    const ok = await login(email, 'owner-password');
    expect(ok.status).toBe(302);
    expect(ok.headers.get('set-cookie')).toBeTruthy();

    for (let i = 0; i < 5; i++) {
      const res = await login(email, 'wrong-password');
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('do not match an account');
    }
    const sixth = await login(email, 'wrong-password');
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await sixth.text()).toContain('Too many failed attempts');
    // Locked means locked: even the right password is not checked until the window passes.
    expect((await login(email, 'owner-password')).status).toBe(429);
    // Other accounts are not affected.
    expect((await login('someone-else@baton.test', 'wrong-password')).status).toBe(200);
  });

  test('repeated setup attempts after the owner exists are throttled too', async () => {
    const attempt = () =>
      stack.api(
        'POST',
        '/api/setup',
        { email: 'x@baton.test', name: 'X', password: 'long-enough-pw' },
        { token: null },
      );
    let res = await attempt();
    for (let i = 0; i < 6 && res.status === 409; i++) res = await attempt();
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.body.error.message).toMatch(/Too many failed attempts/);
  });
});
