// GET /api/audit against a real web server and FerretDB: who may read it (admins and owners; the instance view for
// the instance owner), workspace isolation, the filters and pages through the query string, clear 400s, CSV and
// JSON exports of every matching entry, and that no API route can change an entry.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { TOKEN_SCOPES, type TokenScope } from '../contracts/permissions';
import { createApiToken } from '../db/api-tokens';
import { recordAudit, type AuditAction } from '../db/audit';
import { createUser } from '../db/users';
import { addMember, createWorkspace } from '../db/workspaces';
import { parseCsv } from '../test/parse-csv';
import { REPO_ROOT } from '../test/stack';
import { startWebStack, type WebStack } from './web-test-stack';

let stack: WebStack;
let ownWs: string;
let itWs: string;
let bulkWs: string;
const tokens: Record<'admin' | 'viewer' | 'adminReadOnly' | 'itOwner' | 'bulk', string> = {
  admin: '',
  viewer: '',
  adminReadOnly: '',
  itOwner: '',
  bulk: '',
};
const CANARY = 'canary-audit-api-51c0e2';
const FORMULA = '=HYPERLINK("http://evil.example","open")';

const log = () => mongoose.connection.db!.collection('audit_log');
const at = (d: string, time = '12:00:00') => new Date(`${d}T${time}Z`);

interface Seed {
  id: string;
  ws?: string;
  at: Date;
  action: AuditAction;
  actor?: { id: string; name?: string; via?: string };
  target?: { kind: string; id: string; name?: string };
}

async function seed(entries: Seed[]) {
  await log().insertMany(
    entries.map((e) => ({
      _id: e.id,
      ...(e.ws ? { workspaceId: e.ws } : {}),
      at: e.at,
      action: e.action,
      actor: e.actor ?? { id: 'u_alice', name: 'Alice Admin', via: 'session' },
      ...(e.target ? { target: e.target } : {}),
      ip: '198.51.100.7',
    })) as never[],
  );
}

async function tokenFor(userId: string, workspaceId: string, scopes: readonly TokenScope[] = TOKEN_SCOPES) {
  return (await createApiToken({ userId, workspaceId, name: 'audit test', scopes })).token;
}

const get = (path: string, token: string | null = tokens.admin) => stack.api('GET', path, undefined, { token });
const idsOf = (body: { entries: Array<{ id: string }> }) => body.entries.map((e) => e.id);

beforeAll(async () => {
  stack = await startWebStack('audit_api');
  await mongoose.connect(stack.mongoUri);
  const owner = (await stack.api('GET', '/api/me')).body.user;
  ownWs = (await mongoose.connection.db!.collection('memberships').findOne({ userId: owner.id }))!.workspaceId;

  const admin = await createUser({ email: 'admin@audit.test', name: 'Ada Admin', password: 'admin-password-1' });
  const viewer = await createUser({ email: 'viewer@audit.test', name: 'Vic Viewer', password: 'viewer-password-1' });
  const itOwner = await createUser({ email: 'it@audit.test', name: 'Ivan IT', password: 'it-password-1' });
  await addMember(ownWs, admin.id, 'admin');
  await addMember(ownWs, viewer.id, 'viewer');
  itWs = (await createWorkspace({ name: 'IT', ownerId: itOwner.id })).id;
  bulkWs = (await createWorkspace({ name: 'Bulk', ownerId: itOwner.id })).id;
  tokens.admin = await tokenFor(admin.id, ownWs);
  tokens.viewer = await tokenFor(viewer.id, ownWs);
  tokens.adminReadOnly = await tokenFor(admin.id, ownWs, ['read', 'write', 'run']);
  tokens.itOwner = await tokenFor(itOwner.id, itWs);
  tokens.bulk = await tokenFor(itOwner.id, bulkWs);

  await seed([
    { id: 'aud_o1', ws: ownWs, at: at('2025-01-10', '08:00:00'), action: 'auth.sign-in' },
    {
      id: 'aud_o2',
      ws: ownWs,
      at: at('2025-01-11', '09:30:00'),
      action: 'workflow.publish',
      target: { kind: 'workflow', id: 'wf_payroll', name: 'Payroll sync' },
    },
    {
      id: 'aud_o3',
      ws: ownWs,
      at: at('2025-01-12', '23:59:59'),
      action: 'member.role-change',
      actor: { id: 'u_bob', name: 'Bob Builder', via: 'token' },
      target: { kind: 'user', id: 'u_carol', name: 'Carol' },
    },
    {
      id: 'aud_o4',
      ws: ownWs,
      at: at('2025-01-13', '00:00:00'),
      action: 'workflow.publish',
      actor: { id: 'u_bob', name: 'Bob Builder' },
      target: { kind: 'workflow', id: 'wf_evil', name: FORMULA },
    },
    { id: 'aud_o5', ws: ownWs, at: at('2025-01-14'), action: 'run.start' },
    { id: 'aud_i1', ws: itWs, at: at('2025-01-11'), action: 'workflow.publish' },
    { id: 'aud_i2', ws: itWs, at: at('2025-01-12'), action: 'credential.create' },
    {
      id: 'aud_n1',
      at: at('2025-01-12'),
      action: 'auth.sign-in-failed',
      actor: { id: 'anonymous', name: 'mallory@x.test' },
    },
    ...Array.from({ length: 1_100 }, (_, n) => ({
      id: `aud_b${String(n).padStart(4, '0')}`,
      ws: bulkWs,
      at: new Date(Date.UTC(2024, 0, 1) + n * 60_000),
      action: 'run.start' as const,
    })),
  ]);
  await recordAudit({
    workspaceId: ownWs,
    actor: { id: admin.id, name: admin.name, via: 'session' },
    action: 'credential.update',
    target: { kind: 'credential', id: 'cred_smtp', name: 'SMTP' },
    change: { host: 'smtp.example.com', password: CANARY, headers: { Authorization: `Bearer ${CANARY}` } },
  });
}, 360_000);

afterAll(async () => {
  await mongoose.disconnect();
  await stack?.stop();
});

const JANUARY = 'from=2025-01-01&to=2025-01-31';

describe('who may read', () => {
  test('a viewer gets 403 naming audit.read; so does an admin’s token without the admin scope', async () => {
    const viewer = await get('/api/audit', tokens.viewer);
    expect(viewer.status).toBe(403);
    expect(viewer.body.error.message).toMatch(/audit\.read/);
    const scoped = await get('/api/audit', tokens.adminReadOnly);
    expect(scoped.status).toBe(403);
    expect(scoped.body.error.message).toMatch(/audit\.read.*token scoped to read, write, run/);
    expect((await get('/api/audit?format=csv', tokens.viewer)).status).toBe(403);
  });

  test('without credentials: 401', async () => {
    expect((await get('/api/audit', null)).status).toBe(401);
  });
});

describe('isolation', () => {
  test('a workspace lists its own entries only: never another workspace’s, never those without a workspace', async () => {
    const own = await get(`/api/audit?limit=200`);
    expect(own.status).toBe(200);
    const ids = idsOf(own.body);
    expect(ids).toEqual(expect.arrayContaining(['aud_o1', 'aud_o2', 'aud_o3', 'aud_o4', 'aud_o5']));
    // The other workspaces' seeded ids (entries the app writes are `aud_<uuid>`, which may start with a b too).
    expect(ids.filter((id) => /^aud_(i\d+|n\d+|b\d{4})$/.test(id))).toEqual([]);
    // The setup token's creation was recorded in the owner's workspace by the app itself.
    expect(own.body.entries.map((e: { action: string }) => e.action)).toContain('token.create');

    const it = await get(`/api/audit?limit=200&${JANUARY}`, tokens.itOwner);
    expect(idsOf(it.body)).toEqual(['aud_i2', 'aud_i1']);
    const exported = (await get('/api/audit?format=json', tokens.itOwner)).body;
    // An export records itself first (audit.export), so the trail shows who took a copy.
    expect(exported[0]).toMatchObject({ action: 'audit.export', change: { format: 'json' } });
    expect(exported.slice(1).map((e: { id: string }) => e.id)).toEqual(['aud_i2', 'aud_i1']);
  });

  test('the instance view shows only entries without a workspace, to the instance owner alone', async () => {
    const owner = await get(`/api/audit?view=instance&${JANUARY}`, stack.token);
    expect(owner.status).toBe(200);
    expect(idsOf(owner.body)).toEqual(['aud_n1']);
    expect(owner.body.entries[0]).toMatchObject({ action: 'auth.sign-in-failed', actor: { name: 'mallory@x.test' } });
    expect(owner.body.entries[0].workspaceId).toBeUndefined();
    for (const token of [tokens.admin, tokens.itOwner]) {
      const refused = await get('/api/audit?view=instance', token);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(/instance owner/);
    }
  });
});

describe('filters and pages', () => {
  test('action, actor, target and a UTC day range (to includes its whole day)', async () => {
    const ids = async (query: string) => idsOf((await get(`/api/audit?${query}`)).body);
    expect(await ids(`action=workflow.publish&${JANUARY}`)).toEqual(['aud_o4', 'aud_o2']);
    expect(await ids(`actor=u_bob&${JANUARY}`)).toEqual(['aud_o4', 'aud_o3']);
    expect(await ids(`actor=bob%20builder&${JANUARY}`)).toEqual(['aud_o4', 'aud_o3']);
    expect(await ids(`target=payroll`)).toEqual(['aud_o2']);
    expect(await ids(`target=u_carol`)).toEqual(['aud_o3']);
    expect(await ids(`from=2025-01-11&to=2025-01-12`)).toEqual(['aud_o3', 'aud_o2']);
    expect(await ids(`from=2025-01-11T09:30:00Z&to=2025-01-13T00:00:00Z`)).toEqual(['aud_o4', 'aud_o3', 'aud_o2']);
    // Empty form fields are no filter.
    const unfiltered = await ids('actor=&action=&target=&to=&from=2025-01-14&limit=200');
    expect(unfiltered).toContain('aud_o5');
    expect(unfiltered).not.toContain('aud_o4');
  });

  test('pages follow `next` newest first until the last one, keeping the filter', async () => {
    const seen: string[][] = [];
    let query = `limit=2&${JANUARY}`;
    for (;;) {
      const page = await get(`/api/audit?${query}`);
      expect(page.status).toBe(200);
      seen.push(idsOf(page.body));
      if (!page.body.next) break;
      query = `limit=2&${JANUARY}&cursor=${page.body.next}`;
    }
    expect(seen).toEqual([['aud_o5', 'aud_o4'], ['aud_o3', 'aud_o2'], ['aud_o1']]);
  });

  test.each([
    ['action=workflow.explode', /action: expected one of auth\.sign-in/],
    ['from=yesterday', /from: expected a date/],
    ['to=2025-13-45', /to: expected a date/],
    ['from=2025-02-01&to=2025-01-01', /to: must not be before from/],
    ['cursor=bm90LWEtY3Vyc29y', /cursor: not a cursor/],
    ['limit=0', /limit:/],
    ['limit=5000', /limit:/],
    ['format=xlsx', /format:/],
    ['view=everything', /view:/],
  ])('%s is a 400 naming the field', async (query, message) => {
    const res = await get(`/api/audit?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });
});

describe('exports', () => {
  test('CSV: every matching entry, escaped and formula-guarded, as an attachment named for the workspace', async () => {
    const res = await get(`/api/audit?format=csv&${JANUARY}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="baton-audit-${ownWs}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`),
    );
    const rows = parseCsv(res.body as string);
    expect(rows[0]).toEqual([
      'time',
      'actor_id',
      'actor_name',
      'via',
      'action',
      'target_kind',
      'target_id',
      'target_name',
      'ip',
      'change',
    ]);
    expect(rows.slice(1).map((row) => row[4])).toEqual([
      'run.start',
      'workflow.publish',
      'member.role-change',
      'workflow.publish',
      'auth.sign-in',
    ]);
    expect(rows[2]).toEqual([
      '2025-01-13T00:00:00.000Z',
      'u_bob',
      'Bob Builder',
      '',
      'workflow.publish',
      'workflow',
      'wf_evil',
      `'${FORMULA}`,
      '198.51.100.7',
      '',
    ]);
  });

  test('JSON: all 1,100 entries of a workspace across database batches, newest first, each once', async () => {
    const res = await get('/api/audit?format=json', tokens.bulk);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/filename="baton-audit-ws_[\w-]+-[\d-]+\.json"/);
    const [exportEntry, ...entries] = res.body as Array<{
      id: string;
      at: string;
      workspaceId: string;
      action: string;
    }>;
    expect(exportEntry).toMatchObject({ action: 'audit.export', workspaceId: bulkWs });
    expect(entries).toHaveLength(1_100);
    expect(entries[0]).toMatchObject({ id: 'aud_b1099', at: '2024-01-01T18:19:00.000Z', workspaceId: bulkWs });
    expect(entries.map((e) => e.id)).toEqual(
      Array.from({ length: 1_100 }, (_, n) => `aud_b${String(1_099 - n).padStart(4, '0')}`),
    );
  });

  test('a signed-in browser downloads with its session cookie', async () => {
    const login = await fetch(`${stack.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: stack.url },
      body: new URLSearchParams({ email: 'admin@audit.test', password: 'admin-password-1', redirectTo: '/' }),
    });
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const res = await fetch(`${stack.url}/api/audit?format=csv&action=workflow.publish&${JANUARY}`, {
      headers: { Cookie: cookie },
    });
    expect(res.status).toBe(200);
    expect(parseCsv(await res.text()).map((row) => row[6])).toEqual(['target_id', 'wf_evil', 'wf_payroll']);
  });
});

describe('secrets and immutability', () => {
  test('a recorded change reaches the API, the CSV and the JSON export without its secrets', async () => {
    const listed = await get('/api/audit?action=credential.update');
    expect(listed.body.entries).toEqual([
      expect.objectContaining({
        target: { kind: 'credential', id: 'cred_smtp', name: 'SMTP' },
        change: { host: 'smtp.example.com', password: '[omitted]', headers: { Authorization: '[omitted]' } },
      }),
    ]);
    for (const format of ['csv', 'json'])
      expect(JSON.stringify((await get(`/api/audit?format=${format}`)).body)).not.toContain(CANARY);
    expect(JSON.stringify(listed.body)).not.toContain(CANARY);
  });

  test('no API route changes an entry: /api/audit answers GET alone and nothing is routed below it', async () => {
    const files = readdirSync(join(REPO_ROOT, 'app', 'routes')).filter((f) => f.startsWith('api.audit'));
    expect(files).toEqual(['api.audit.ts']);
    const source = readFileSync(join(REPO_ROOT, 'app', 'routes', 'api.audit.ts'), 'utf8');
    expect([...source.matchAll(/\b(GET|POST|PUT|PATCH|DELETE):/g)].map((m) => m[1])).toEqual(['GET']);

    const before = await log().findOne({ _id: 'aud_o2' as never });
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await stack.api(method, '/api/audit', { action: 'run.start' });
      expect({ method, status: res.status, allow: res.headers.get('allow') }).toEqual({
        method,
        status: 405,
        allow: 'GET',
      });
      const below = await stack.api(method, '/api/audit/aud_o2', { action: 'run.start' });
      expect({ method, status: below.status }).toEqual({ method, status: 404 });
    }
    expect(await log().findOne({ _id: 'aud_o2' as never })).toEqual(before);
  });
});
