// Saved browser sessions in real runs (docs/decisions/060): Temporal, a worker on the `browser` queue, FerretDB and
// a small site of this file's own that signs in with a cookie and remembers a note in local storage. Run 1 signs in
// and saves the session; run 2 opens the members' page directly, signed in, and the site counts one sign-in in all.
// The session cookie is in no step record, no Temporal history and no stored document. Another workspace's run with
// the same session name starts signed out, and a "Save session now" step keeps what a later failure would lose.
// IndexedDB written in one run is read in the next; a session limited to another workflow fails the run at its start.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import { setBrowserSessionWorkflows } from '../../db/browser-sessions';
import { listSteps } from '../../db/steps';
import { createWorkflow } from '../../db/workflows';
import { systemScope } from '../../db/workspaces';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../../test/run-harness';
import { getTemporalClient } from '../../temporal/client';
import type { BrowserStep } from './spec';

interface MembersSite {
  url: string;
  /** Sign-ins that took effect (a correct password posted), in all. */
  logins: number;
  /** Every session cookie value the site issued. */
  issued: string[];
  close(): Promise<void>;
}

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

function cookieOf(req: IncomingMessage): string | undefined {
  return /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
}

async function startMembersSite(): Promise<MembersSite> {
  const signedIn = new Set<string>();
  const site: MembersSite = { url: '', logins: 0, issued: [], close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const html = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
      res.end(body);
    };
    if (url.pathname === '/login' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        if (form.get('password') !== 'open-sesame') return html(401, page('Sign in', '<h1>Wrong password</h1>'));
        site.logins++;
        const sid = randomUUID();
        signedIn.add(sid);
        site.issued.push(sid);
        // The note lives in local storage only, so reading it back later shows the origins were restored too.
        html(200, page('Signed in', `<h1>Signed in</h1><script>localStorage.setItem('note', 'remembered')</script>`), {
          'Set-Cookie': `sid=${sid}; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600`,
        });
      });
      return;
    }
    if (url.pathname === '/login') {
      return html(
        200,
        page(
          'Sign in',
          `<h1>Sign in</h1><form method="post" action="/login">
            <label>Password <input name="password" type="password"></label>
            <button type="submit">Sign in</button></form>`,
        ),
      );
    }
    if (url.pathname === '/members') {
      const sid = cookieOf(req);
      if (!sid || !signedIn.has(sid)) return html(302, '', { Location: '/login' });
      return html(
        200,
        page(
          'Members',
          `<h1>Members</h1><p id="plan">Gold plan</p><p id="note">none</p>
          <script>document.getElementById('note').textContent = localStorage.getItem('note') ?? 'none'</script>`,
        ),
      );
    }
    // IndexedDB, as sites that keep their tokens there (Firebase Authentication) do: written on one page, read on another.
    if (url.pathname === '/idb-write') {
      return html(
        200,
        page(
          'Write',
          `<h1>Writing</h1><script>${IDB_OPEN}
        db.then((d) => { const tx = d.transaction('auth', 'readwrite'); tx.objectStore('auth').put('${IDB_TOKEN}', 'token');
          tx.oncomplete = () => { document.querySelector('h1').textContent = 'Written'; }; });</script>`,
        ),
      );
    }
    if (url.pathname === '/idb-read') {
      return html(
        200,
        page(
          'Read',
          `<h1>Reading</h1><p id="token">none</p><script>${IDB_OPEN}
        db.then((d) => { const get = d.transaction('auth').objectStore('auth').get('token');
          get.onsuccess = () => { document.getElementById('token').textContent = get.result ?? 'none';
            document.querySelector('h1').textContent = 'Read'; }; });</script>`,
        ),
      );
    }
    html(404, page('Not found', '<h1>Not found</h1>'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  site.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return site;
}

const IDB_TOKEN = 'idb-token-7f3a';
const IDB_OPEN = `const db = new Promise((resolve) => { const req = indexedDB.open('vault', 1);
  req.onupgradeneeded = () => req.result.createObjectStore('auth'); req.onsuccess = () => resolve(req.result); });`;

let site: MembersSite;
let harness: RunHarness;
const workflows: Record<'a' | 'b' | 'c' | 'd', string> = { a: '', b: '', c: '', d: '' };

beforeAll(async () => {
  site = await startMembersSite();
  harness = await startRunHarness('browser_session_runs');
  // The site is on loopback, which the worker refuses unless its administrator allows it.
  await harness.startWorker({ queues: ['default', 'browser'], env: { BATON_HTTP_ALLOW_HOSTS: '127.0.0.1' } });
  for (const ws of ['a', 'b', 'c', 'd'] as const) {
    workflows[ws] = (await createWorkflow(systemScope(`ws_sessions_${ws}`), { name: 'Portal', ownerId: 'owner' })).id;
  }
}, 180_000);
afterAll(async () => {
  await harness?.close();
  await site?.close();
});

function browserFlow(workflowId: string, steps: BrowserStep[], extra: Record<string, unknown> = {}) {
  return compileOrThrow(
    workflowDoc(
      [
        { id: 'trigger', type: 'manual-trigger' },
        { id: 'browse', type: 'browser', params: { steps, stepTimeoutMs: 3_000, session: 'portal', ...extra } },
      ],
      [['trigger', 'browse']],
    ),
    workflowId,
  );
}

const signIn = (): BrowserStep[] => [
  { action: 'goto', target: `${site.url}/login` },
  { action: 'fill', target: 'label=Password', value: 'open-sesame' },
  { action: 'click', target: 'role=button[name="Sign in"]' },
  { action: 'assert', target: 'h1', value: 'Signed in' },
];

const readMembers = (): BrowserStep[] => [
  { action: 'goto', target: `${site.url}/members` },
  { action: 'extractText', target: 'h1', name: 'heading' },
  { action: 'extractText', target: '#note', name: 'note' },
];

const outputOf = (steps: Array<{ nodeId: string; output?: unknown }>) =>
  steps.find((s) => s.nodeId === 'browse')!.output as { data: Record<string, string> };

async function historyOf(runId: string): Promise<string> {
  const history = await (await getTemporalClient()).workflow.getHandle(runId).fetchHistory();
  return JSON.stringify(history);
}

it('signs in once, then a later run starts signed in with its cookies and local storage', async () => {
  const first = await harness.run(browserFlow(workflows.a, signIn()));
  expect(first.result).toMatchObject({ status: 'succeeded' });
  expect(site.logins).toBe(1);

  const second = await harness.run(
    browserFlow(workflows.a, [...readMembers(), { action: 'extractText', target: '#plan', name: 'plan' }]),
  );
  expect(second.result).toMatchObject({ status: 'succeeded' });
  expect(outputOf(second.steps).data).toEqual({ heading: 'Members', note: 'remembered', plan: 'Gold plan' });
  expect(site.logins).toBe(1);

  // The cookie travelled between the browser and the vault only.
  const [sid] = site.issued;
  for (const run of [first, second]) {
    expect(JSON.stringify(run.steps)).not.toContain(sid);
    expect(await historyOf(run.runId)).not.toContain(sid);
  }
  const stored = await mongoose.connection.db!.collection('browser_sessions').find({}).toArray();
  expect(stored.map((d) => [d.workspaceId, d.name, d.savedBy.runId])).toEqual([
    ['ws_sessions_a', 'portal', second.runId],
  ]);
  expect(mongoose.mongo.BSON.EJSON.stringify(stored)).not.toContain(sid);
}, 120_000);

it('a run of another workspace with the same session name starts signed out', async () => {
  // The members' page sends a visitor without the session cookie to the sign-in form.
  const other = await harness.run(browserFlow(workflows.b, readMembers().slice(0, 2), { saveSession: 'never' }));
  expect(other.result).toMatchObject({ status: 'succeeded' });
  expect(outputOf(other.steps).data).toEqual({ heading: 'Sign in' });
  expect(site.logins).toBe(1);
  expect(
    await mongoose.connection.db!.collection('browser_sessions').countDocuments({ workspaceId: 'ws_sessions_b' }),
  ).toBe(0);
}, 60_000);

it('a "Save session now" step keeps the sign-in although the run fails later and saves nothing at the end', async () => {
  const failing = await harness.run(
    browserFlow(workflows.c, [
      ...signIn(),
      { action: 'saveSession' },
      { action: 'goto', target: `${site.url}/login` },
      { action: 'click', target: 'testid=nowhere' },
    ]),
  );
  expect(failing.result.status).toBe('failed');
  expect(site.logins).toBe(2);

  const later = await harness.run(browserFlow(workflows.c, readMembers(), { saveSession: 'never' }));
  expect(outputOf(later.steps).data).toEqual({ heading: 'Members', note: 'remembered' });
  expect(site.logins).toBe(2);
}, 90_000);

it('IndexedDB written in one run is there in the next, sealed with the rest', async () => {
  const write = await harness.run(
    browserFlow(workflows.d, [
      { action: 'goto', target: `${site.url}/idb-write` },
      { action: 'assert', target: 'h1', value: 'Written' },
    ]),
  );
  expect(write.result).toMatchObject({ status: 'succeeded' });
  const read = await harness.run(
    browserFlow(
      workflows.d,
      [
        { action: 'goto', target: `${site.url}/idb-read` },
        { action: 'assert', target: 'h1', value: 'Read' },
        { action: 'extractText', target: '#token', name: 'token' },
      ],
      { saveSession: 'never' },
    ),
  );
  expect(read.result).toMatchObject({ status: 'succeeded' });
  expect(outputOf(read.steps).data).toEqual({ token: IDB_TOKEN });

  const stored = await mongoose.connection.db!.collection('browser_sessions').findOne({ workspaceId: 'ws_sessions_d' });
  expect(stored).toMatchObject({ name: 'portal', indexedDbOrigins: 1 });
  expect(mongoose.mongo.BSON.EJSON.stringify(stored)).not.toContain(IDB_TOKEN);
  expect(await historyOf(write.runId)).not.toContain(IDB_TOKEN);
}, 90_000);

it('a session limited to other workflows fails the run at its start, naming the session and the workflow', async () => {
  const other = await createWorkflow(systemScope('ws_sessions_a'), { name: 'Billing', ownerId: 'owner' });
  await setBrowserSessionWorkflows(systemScope('ws_sessions_a'), 'portal', [other.id]);
  const refused = await harness.run(browserFlow(workflows.a, readMembers()));
  expect(refused.result.status).toBe('failed');
  const step = (await listSteps(refused.runId)).find((s) => s.nodeId === 'browse');
  expect(step?.error?.message).toMatch(
    new RegExp(
      `^Session: Browser session "portal" is limited to 1 other workflow; workflow "Portal" \\(${workflows.a}\\) may not use it`,
    ),
  );
  // The allowed workflow still signs in with it.
  const allowed = await harness.run(browserFlow(other.id, readMembers(), { saveSession: 'never' }));
  expect(outputOf(allowed.steps).data).toEqual({ heading: 'Members', note: 'remembered' });
}, 90_000);
