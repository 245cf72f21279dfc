// The authorization matrix (issue 8), generated from the one table in app/lib/access-rules.ts:
// - statically, every API route file's methods and every page have a rule, and every rule has a route;
// - against the real web server, every API rule is called by each role on an object of its own workspace (allowed
//   exactly when the role grants the permission), by a role that may act on an object of another workspace (404),
//   anonymously and with a token that is not one (401); every page by each role; and the socket rooms.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { io as connectSocket } from 'socket.io-client';
import { allows, ROLES, TOKEN_SCOPES, type Permission, type Role, type TokenScope } from '../contracts/permissions';
import { SUBSCRIBE, type SubscribeAck } from '../contracts/live-events';
import { TAKEOVER_JOIN } from '../contracts/browser-takeover';
import { RECORDER_START, type RecorderAck } from '../contracts/browser-recorder';
import { newTakeoverId, openTakeover } from '../db/browser-takeovers';
import { createUser } from '../db/users';
import { createApiToken } from '../db/api-tokens';
import { saveBrowserSession } from '../db/browser-sessions';
import { addMember, createWorkspace, membershipOf } from '../db/workspaces';
import { API_RULES, PAGE_ACTION_RULES, PAGE_RULES, ROOM_RULES, type AccessRule } from './lib/access-rules';
import { RECORDER_RULE } from './lib/browser-recorder-socket.server';
import { anyNode, chain, docWith, manualNode } from './web-test-documents';
import { REPO_ROOT } from '../test/stack';
import { startWebStack, waitForRunStatus, type WebStack } from './web-test-stack';

/** The entries of a rule table whose rule is a permission. */
function permissionsOf(table: Record<string, AccessRule>): Array<[string, Permission]> {
  return Object.entries(table).filter(
    (entry): entry is [string, Permission] => entry[1] !== 'public' && entry[1] !== 'signed-in',
  );
}

const ROUTES_DIR = join(REPO_ROOT, 'app', 'routes');
const TEMPLATE_FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'templates');

/** `api.workflows.$id.schedule.ts` → `/api/workflows/:id/schedule`; `_app.workflows.$id.runs.tsx` → `/workflows/:id/runs`. */
function patternOf(file: string): string | undefined {
  const segments = file
    .replace(/\.tsx?$/, '')
    .split('.')
    .filter((segment) => !segment.startsWith('_'));
  if (segments.length === 0) return '/';
  return '/' + segments.map((s) => (s === '$' ? '*' : s.startsWith('$') ? `:${s.slice(1)}` : s)).join('/');
}

const routeFiles = readdirSync(ROUTES_DIR).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'));

describe('the table covers every route', () => {
  test('each method of each /api route file has a rule, and each rule names a served method', () => {
    const served = new Set<string>();
    const missing: string[] = [];
    for (const file of routeFiles.filter((f) => f.startsWith('api.'))) {
      const source = readFileSync(join(ROUTES_DIR, file), 'utf8');
      const pattern = patternOf(file)!;
      const declared = source.match(/apiHandler\('([^']+)'/)?.[1];
      let methods: string[];
      if (declared) {
        expect({ file, pattern: declared }).toEqual({ file, pattern });
        methods = [
          ...new Set(
            [...source.slice(source.indexOf('apiHandler(')).matchAll(/\b(GET|POST|PUT|PATCH|DELETE):/g)].map(
              (m) => m[1],
            ),
          ),
        ];
      } else {
        // Routes outside apiHandler authenticate themselves and must be declared public.
        methods = [...(/export (async )?function action/.test(source) ? ['POST'] : [])];
        for (const m of methods)
          expect({ file, rule: API_RULES[`${m} ${pattern}` as keyof typeof API_RULES] }).toEqual({
            file,
            rule: 'public',
          });
      }
      expect({ file, methods: methods.length > 0 }).toEqual({ file, methods: true });
      for (const method of methods) {
        served.add(`${method} ${pattern}`);
        if (!(`${method} ${pattern}` in API_RULES)) missing.push(`${method} ${pattern} (${file})`);
      }
    }
    expect(missing).toEqual([]);
    expect(Object.keys(API_RULES).filter((key) => !served.has(key))).toEqual([]);
  });

  test('each page with a loader or action declares its rule, and calls the check with its own pattern', () => {
    const missing: string[] = [];
    for (const file of routeFiles.filter((f) => !f.startsWith('api.'))) {
      const source = readFileSync(join(ROUTES_DIR, file), 'utf8');
      if (!/export (async )?function (loader|action)/.test(source)) continue;
      const pattern = patternOf(file)!;
      if (file === '_app.tsx') {
        // The signed-in shell: its loader runs for every page inside it and needs what its index page needs.
        expect(source).toMatch(/requirePageCaller\(request, '\/'\)/);
        continue;
      }
      const rule = (PAGE_RULES as Record<string, AccessRule>)[pattern];
      if (!rule) {
        missing.push(`${pattern} (${file})`);
        continue;
      }
      // A page whose action changes something declares the action's rule too, and checks it.
      const hasAction = /export (async )?function action/.test(source);
      if (hasAction && rule !== 'public') {
        const actionRule = (PAGE_ACTION_RULES as Record<string, AccessRule>)[pattern];
        expect({ file, actionRule: actionRule !== undefined }).toEqual({ file, actionRule: true });
        expect({ file, checks: source.includes(`requirePageActionCaller(request, '${pattern}')`) }).toEqual({
          file,
          checks: true,
        });
      }
      if (rule !== 'public')
        expect({ file, checks: source.includes(`requirePageCaller(request, '${pattern}')`) }).toEqual({
          file,
          checks: true,
        });
    }
    expect(missing).toEqual([]);
  });
});

describe('every rule, every role, own and other workspace', () => {
  let stack: WebStack;
  let conn: mongoose.Connection;
  const sessions = new Map<Role | 'other', string>();
  let ownWorkspace: string;
  let expiredToken = '';
  const scopedTokens = new Map<TokenScope, string>();
  const fixtures = { own: { workflow: '', run: '', approval: '', table: '' }, other: { workflow: '', run: '' } };
  let approvalWorkflow = '';
  let chatWorkflow = '';
  let chatRun = '';
  let listedWorkflow: Promise<string> | undefined;
  let otherListed: Promise<void> | undefined;

  /** A published workflow of the own workspace, for the marketplace cases (listings list published versions). */
  function publishedWorkflow(): Promise<string> {
    listedWorkflow ??= (async () => {
      const id = await workflowIn('owner');
      const published = await as('owner', 'POST', `/api/workflows/${id}/publish`);
      if (published.status !== 201) throw new Error(`Fixture listing publish: ${published.status}`);
      return id;
    })();
    return listedWorkflow;
  }

  async function signIn(email: string, password: string): Promise<string> {
    const res = await fetch(`${stack.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: stack.url },
      body: new URLSearchParams({ email, password, redirectTo: '/' }),
    });
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]);
    if (res.status !== 302 || cookie.length === 0) throw new Error(`Sign-in of ${email} answered ${res.status}.`);
    return cookie.join('; ');
  }

  const as = (who: Role | 'other', method: string, path: string, body?: unknown) =>
    stack.api(method, path, body, { token: null, headers: { Cookie: sessions.get(who)!, Origin: stack.url } });

  async function workflowIn(who: 'owner' | 'other'): Promise<string> {
    const created = await as(who, 'POST', '/api/workflows', {
      name: `Matrix ${who} ${Math.random().toString(36).slice(2, 8)}`,
      document: docWith([manualNode('start')]),
    });
    if (created.status !== 201) throw new Error(`Fixture workflow: ${created.status} ${JSON.stringify(created.body)}`);
    return created.body.workflow.id;
  }

  async function runIn(who: 'owner' | 'other', workflowId: string): Promise<string> {
    const started = await as(who, 'POST', '/api/runs', { workflowId });
    if (started.status !== 201) throw new Error(`Fixture run: ${started.status} ${JSON.stringify(started.body)}`);
    const run = await waitForRunStatus(
      { ...stack, api: (m, p, b) => as(who, m, p, b) } as WebStack,
      started.body.runId as string,
    );
    return run.runId as string;
  }

  beforeAll(async () => {
    // The template routes use the test fixture template, so their cases do not depend on the shipped templates.
    stack = await startWebStack('authz_matrix', { worker: true, env: { BATON_TEMPLATES_DIR: TEMPLATE_FIXTURES } });
    conn = await mongoose.connect(stack.mongoUri).then((m) => m.connection);
    const owner = (await stack.api('GET', '/api/me')).body.user;
    ownWorkspace = (await conn.collection('memberships').findOne({ userId: owner.id }))!.workspaceId as string;
    sessions.set('owner', await signIn('owner@baton.test', 'owner-password'));
    for (const role of ROLES.filter((r) => r !== 'owner')) {
      const user = await createUser({
        email: `${role}@matrix.test`,
        name: `Matrix ${role}`,
        password: `${role}-password-1`,
      });
      await addMember(ownWorkspace, user.id, role);
      sessions.set(role, await signIn(`${role}@matrix.test`, `${role}-password-1`));
    }
    const stranger = await createUser({
      email: 'other@matrix.test',
      name: 'Other owner',
      password: 'other-password-1',
    });
    await createWorkspace({ name: 'Other company', ownerId: stranger.id });
    sessions.set('other', await signIn('other@matrix.test', 'other-password-1'));
    expect(await membershipOf(ownWorkspace, stranger.id)).toBeUndefined();

    const expired = await createApiToken({
      userId: owner.id,
      workspaceId: ownWorkspace,
      name: 'expired',
      scopes: [...TOKEN_SCOPES],
      expiresAt: new Date(Date.now() - 1000),
    });
    expiredToken = expired.token;
    for (const scope of TOKEN_SCOPES) {
      const minted = await createApiToken({
        userId: owner.id,
        workspaceId: ownWorkspace,
        name: scope,
        scopes: [scope],
      });
      scopedTokens.set(scope, minted.token);
    }

    fixtures.own.workflow = await workflowIn('owner');
    fixtures.own.run = await runIn('owner', fixtures.own.workflow);
    fixtures.other.workflow = await workflowIn('other');
    fixtures.other.run = await runIn('other', fixtures.other.workflow);
    fixtures.own.approval = await makers.approval();
    fixtures.own.table = await makers['data-table']();
  }, 240_000);

  afterAll(async () => {
    await mongoose.disconnect();
    await stack?.stop();
  });

  const unique = () => Math.random().toString(36).slice(2, 10);
  const matrixModel = () => ({ name: `Matrix model ${unique()}`, provider: 'local-gguf', model: 'matrix.gguf' });

  /** Objects of the own workspace made by its owner, one per kind for reads (kept) and fresh for writes. */
  const makers: Record<string, () => Promise<string>> = {
    workflow: () => workflowIn('owner'),
    run: async () => fixtures.own.run,
    credential: async () => {
      const res = await as('owner', 'POST', '/api/credentials', {
        name: `Matrix key ${unique()}`,
        type: 'bearer-token',
        values: { token: 'matrix-secret' },
      });
      if (res.status !== 201) throw new Error(`Fixture credential: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.credential.id;
    },
    member: async () => {
      const user = await createUser({
        email: `m-${unique()}@matrix.test`,
        name: 'Matrix member',
        password: 'pw-matrix-1',
      });
      await addMember(ownWorkspace, user.id, 'viewer');
      return user.id;
    },
    invite: async () => {
      const res = await as('owner', 'POST', '/api/invites', { email: `i-${unique()}@matrix.test`, role: 'viewer' });
      if (res.status !== 201) throw new Error(`Fixture invite: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.invite.id;
    },
    group: async () => {
      const member = await makers.member();
      const res = await as('owner', 'POST', '/api/groups', { name: `Group ${unique()}`, userIds: [member] });
      if (res.status !== 201) throw new Error(`Fixture group: ${res.status} ${JSON.stringify(res.body)}`);
      groupMembers.set(res.body.group.slug, member);
      return res.body.group.slug;
    },
    workspace: async () => ownWorkspace,
    // A browser takeover task asking every member (docs/decisions/059). Runs open them; the fixture is written to the
    // store, its relay address unreachable: these cases are about who may read, decide and join.
    takeover: () => takeoverFixture(),
    // A saved browser session, by name (docs/decisions/060); runs save them, so the fixture is written to the store.
    'browser-session': async () => {
      const name = `Matrix session ${unique()}`;
      const state = { cookies: [], origins: [{ origin: 'https://example.com', localStorage: [] }] };
      await saveBrowserSession(ownWorkspace, name, state, {
        workflowId: fixtures.own.workflow,
        runId: 'r',
        nodeId: 'n',
      });
      return encodeURIComponent(name);
    },
    // Templates are one catalog for every workspace, not objects of one (docs/decisions/051).
    template: async () => 'hello',
    // A listing seen only in the own workspace (docs/decisions/061), and a signing key of it.
    listing: async () => {
      const res = await as('owner', 'POST', '/api/marketplace/listings', {
        workflowId: await publishedWorkflow(),
        title: `Matrix listing ${unique()}`,
        category: 'Matrix',
        visibility: 'workspace',
        version: '1.0.0',
      });
      if (res.status !== 201) throw new Error(`Fixture listing: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.listing.id;
    },
    // A listing of the other workspace shared with the instance: reviews and reports are about listings the caller's
    // workspace does not publish (docs/decisions/071: a member of the publisher may not review its own listing).
    'listed-elsewhere': async () => {
      otherListed ??= (async () => {
        const published = await as('other', 'POST', `/api/workflows/${fixtures.other.workflow}/publish`);
        if (published.status !== 201) throw new Error(`Fixture other publish: ${published.status}`);
      })();
      await otherListed;
      const res = await as('other', 'POST', '/api/marketplace/listings', {
        workflowId: fixtures.other.workflow,
        title: `Matrix shared listing ${unique()}`,
        category: 'Matrix',
        visibility: 'instance',
        version: '1.0.0',
      });
      if (res.status !== 201) throw new Error(`Fixture shared listing: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.listing.id;
    },
    'publisher-key': async () => {
      const res = await as('owner', 'POST', '/api/marketplace/keys/rotate');
      if (res.status !== 201) throw new Error(`Fixture key: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.key.keyId;
    },
    // A table with one column and one row, for the column and row routes. Each write case gets a fresh one, so
    // those of earlier cases are cleared to keep the workspace under its table limit.
    'data-table': async () => {
      const tables = conn.collection('data_tables');
      if ((await tables.countDocuments({ workspaceId: ownWorkspace })) >= 50) {
        const keep = [kept.get('data-table'), fixtures.own.table].filter(Boolean) as never[];
        await tables.deleteMany({ workspaceId: ownWorkspace, _id: { $nin: keep } });
      }
      const res = await as('owner', 'POST', '/api/data-tables', {
        name: `Matrix table ${unique()}`,
        columns: [{ name: 'Name', type: 'string' }],
      });
      if (res.status !== 201) throw new Error(`Fixture table: ${res.status} ${JSON.stringify(res.body)}`);
      const row = await as('owner', 'POST', `/api/data-tables/${res.body.table.id}/rows`, { values: { Name: 'A' } });
      if (row.status !== 201) throw new Error(`Fixture row: ${row.status} ${JSON.stringify(row.body)}`);
      tableParts.set(res.body.table.id, { column: res.body.table.columns[0].id, row: row.body.rows[0].id });
      return res.body.table.id;
    },
    // A local model: it needs no credential, and probing it (the file is absent) fails fast on the worker.
    model: async () => {
      const res = await as('owner', 'POST', '/api/models', matrixModel());
      if (res.status !== 201) throw new Error(`Fixture model: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.model.id;
    },
    file: async () => {
      const res = await stack.api('POST', `/api/files?name=matrix-${unique()}.txt`, undefined, {
        token: null,
        headers: { Cookie: sessions.get('owner')!, Origin: stack.url, 'Content-Type': 'text/plain' },
        raw: 'A file of the matrix',
      });
      if (res.status !== 201) throw new Error(`Fixture file: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.file.$batonFile;
    },
    // A published workflow that starts with a Chat trigger. Nothing answers in it (no model to set up): the rules are
    // what these cases read, and a message to a conversation that has ended is refused as such (409), not as foreign.
    'chat-workflow': async () => {
      if (!chatWorkflow) {
        const created = await as('owner', 'POST', '/api/workflows', {
          name: `Matrix chat ${unique()}`,
          document: docWith(
            [
              anyNode('start', 'chat-trigger', { title: 'Matrix chat' }),
              anyNode('after', 'set-fields', { fields: { greeting: 'hi' } }),
            ],
            [chain('start', 'after')],
          ),
        });
        if (created.status !== 201) throw new Error(`Fixture chat: ${created.status} ${JSON.stringify(created.body)}`);
        const published = await as('owner', 'POST', `/api/workflows/${created.body.workflow.id}/publish`);
        if (published.status !== 201) throw new Error(`Fixture chat publish: ${published.status}`);
        chatWorkflow = created.body.workflow.id;
      }
      return chatWorkflow;
    },
    'chat-run': async () => {
      if (!chatRun) {
        const workflowId = await makers['chat-workflow']();
        const started = await as('owner', 'POST', `/api/chat/${workflowId}/sessions`, { text: 'Hello, matrix' });
        if (started.status !== 201)
          throw new Error(`Fixture chat run: ${started.status} ${JSON.stringify(started.body)}`);
        chatRun = started.body.runId;
      }
      return chatRun;
    },
    // A request every role may decide (addressed to all roles, nobody barred), so that the run's own eligibility
    // check never stands in for the table's rule.
    approval: async () => {
      if (!approvalWorkflow) {
        const created = await as('owner', 'POST', '/api/workflows', {
          name: `Matrix approval ${unique()}`,
          document: docWith(
            [
              manualNode('start'),
              anyNode('review', 'approval', {
                title: 'Matrix approval',
                users: [],
                groups: [],
                roles: ROLES.map((role) => ({ role })),
                rule: 'any',
                barStarter: false,
                barPublisher: false,
                form: [],
                deadline: 'none',
              }),
            ],
            [chain('start', 'review')],
          ),
        });
        if (created.status !== 201)
          throw new Error(`Fixture approval: ${created.status} ${JSON.stringify(created.body)}`);
        approvalWorkflow = created.body.workflow.id;
      }
      const started = await as('owner', 'POST', '/api/runs', { workflowId: approvalWorkflow });
      if (started.status !== 201) throw new Error(`Fixture approval run: ${started.status}`);
      for (let tries = 0; tries < 600; tries++) {
        const found = await conn.collection('approvals').findOne({ runId: started.body.runId });
        if (found) return String(found._id);
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`Fixture approval: run ${started.body.runId} opened no request.`);
    },
  };
  /** An open takeover task of the own workspace asking `eligible` (every member when absent). */
  async function takeoverFixture(eligible?: string[]): Promise<string> {
    const members = await conn.collection('memberships').find({ workspaceId: ownWorkspace }).toArray();
    const id = newTakeoverId();
    const now = new Date();
    await openTakeover({
      task: {
        id,
        workspaceId: ownWorkspace,
        workflowId: fixtures.own.workflow,
        workflowName: 'Matrix',
        runId: fixtures.own.run,
        nodeId: 'browse',
        nodeName: 'Browse',
        step: 'Step 2 (click text=Verify)',
        reason: 'Timeout 500ms exceeded.',
        url: 'https://example.com/login',
        eligible: eligible ?? members.map((m) => String(m.userId)),
        from: ['role owner'],
        status: 'open',
        attempt: 1,
        createdAt: now.toISOString(),
        deadlineAt: new Date(now.getTime() + 600_000).toISOString(),
      },
      stepKey: `${fixtures.own.run}:${id}`,
      relay: { url: 'http://127.0.0.1:9', token: 'matrix-relay-token' },
    });
    return id;
  }

  test('a takeover decides and joins only for the people it asks, and never shows its relay', async () => {
    const owner = await conn.collection('memberships').findOne({ workspaceId: ownWorkspace, role: 'owner' });
    const id = await takeoverFixture([String(owner!.userId)]);
    const read = await as('admin', 'GET', `/api/takeovers/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.takeover.you.canDecide).toBe(false);
    expect(JSON.stringify(read.body)).not.toMatch(/matrix-relay-token|127\.0\.0\.1:9/);
    const decided = await as('admin', 'POST', `/api/takeovers/${id}/decision`, { decision: 'done' });
    expect(decided.status).toBe(403);
    const socket = connectSocket(stack.url, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { Cookie: sessions.get('admin')! },
    });
    try {
      const ack = await new Promise<SubscribeAck>((resolve) => socket.emit(TAKEOVER_JOIN, { id }, resolve));
      expect(ack).toEqual({ ok: false, error: expect.stringContaining('you are not one of them') });
    } finally {
      socket.close();
    }
    expect((await as('owner', 'POST', `/api/takeovers/${id}/decision`, { decision: 'done' })).status).toBe(200);
    expect((await as('owner', 'POST', `/api/takeovers/${id}/decision`, { decision: 'done' })).status).toBe(409);
  });

  const groupMembers = new Map<string, string>();
  const tableParts = new Map<string, { column: string; row: string }>();
  const kept = new Map<string, string>();

  let bundleFixture: Promise<unknown> | undefined;
  function exportedBundle(): Promise<unknown> {
    bundleFixture ??= (async () => {
      const res = await as('owner', 'GET', `/api/marketplace/listings/${await makers.listing()}/versions/1.0.0/bundle`);
      if (res.status !== 200) throw new Error(`Fixture bundle: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    })();
    return bundleFixture;
  }

  /** Which kind of object a pattern's first parameter names. */
  function kindOf(pattern: string): string | undefined {
    const family = pattern.split('/')[2];
    if (family === 'chat') return pattern.includes(':runId') ? 'chat-run' : 'chat-workflow';
    if (family === 'marketplace' && /\/(reviews|reports)$/.test(pattern)) return 'listed-elsewhere';
    if (family === 'marketplace' && pattern.includes('/:'))
      return pattern.includes(':keyId') ? 'publisher-key' : 'listing';
    const kinds: Record<string, string> = {
      workflows: 'workflow',
      runs: 'run',
      credentials: 'credential',
      'browser-sessions': 'browser-session',
      members: 'member',
      invites: 'invite',
      groups: 'group',
      workspaces: 'workspace',
      approvals: 'approval',
      takeovers: 'takeover',
      files: 'file',
      'data-tables': 'data-table',
      models: 'model',
      templates: 'template',
    };
    return pattern.includes('/:') ? kinds[family] : undefined;
  }

  /**
   * The path with its parameters filled (writes get a fresh object, so one role's delete does not change the next
   * role's case) and a body that would succeed for an allowed caller, so that a refusal is the authorization's doing.
   */
  async function caseFor(key: string): Promise<{ path: string; body: unknown }> {
    const [method, pattern] = key.split(' ');
    const kind = kindOf(pattern);
    let id = '';
    if (kind) {
      if (method === 'GET' && kept.has(kind)) id = kept.get(kind)!;
      else {
        id = await makers[kind]();
        if (method === 'GET') kept.set(kind, id);
      }
    }
    const path = pattern
      .replace(/:id|:userId|:slug|:fileId|:workflowId|:runId|:name|:keyId/, id)
      .replace(':nodeId', 'start')
      .replace(':version', '1.0.0') // the version every listing fixture is published with
      .replace(':field', 'output')
      .replace(':columnId', tableParts.get(id)?.column ?? '')
      .replace(':rowId', tableParts.get(id)?.row ?? '')
      .replace(':userId', groupMembers.get(id) ?? '')
      .replace('*', 'no-such-endpoint');
    const now = Date.now();
    const bodies: Record<string, unknown> = {
      'POST /api/workflows': { name: 'Made by the matrix' },
      'POST /api/workflows/import-n8n': {
        source: JSON.stringify({ nodes: [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', parameters: {} }] }),
      },
      'PUT /api/workflows/:id': { revision: 1, name: 'Renamed by the matrix' },
      'PATCH /api/workflows/:id': { retention: { days: 30 } },
      'POST /api/workflows/:id/schedule/backfill': {
        from: new Date(now - 3_600_000).toISOString(),
        to: new Date(now).toISOString(),
      },
      'POST /api/runs': { workflowId: kept.get('workflow') ?? fixtures.own.workflow },
      'POST /api/runs/:id/resume': { node: 'start' },
      'POST /api/tokens': { name: 'made by the matrix', scopes: ['read'] },
      'POST /api/credentials': { name: `Matrix ${unique()}`, type: 'bearer-token', values: { token: 'matrix-secret' } },
      'PATCH /api/credentials/:id': { name: `Renamed ${unique()}` },
      'PATCH /api/browser-sessions/:name': { allowedWorkflowIds: [] },
      'PUT /api/credentials/:id': { name: `Renamed ${unique()}`, values: {} },
      'POST /api/credentials/connection-test': { type: 'bearer-token', values: { token: 'matrix-secret' } },
      'PATCH /api/members/:userId': { role: 'operator' },
      'POST /api/invites': { email: `i-${unique()}@matrix.test`, role: 'viewer' },
      'POST /api/groups': { name: `Group ${unique()}` },
      'PUT /api/groups/:slug': { name: `Renamed ${unique()}`, userIds: [] },
      'POST /api/groups/:slug/members': { userId: kind === 'group' ? await makers.member() : '' },
      'PATCH /api/workspaces/:id': { name: 'Matrix company' },
      'POST /api/workspaces': { name: `Workspace ${unique()}` },
      'POST /api/approvals/:id/decision': { decision: 'approve' },
      'POST /api/approvals/:id/delegate': { to: groupMembers.values().next().value ?? 'nobody' },
      'POST /api/approvals/decisions': { ids: ['apr_matrix_missing'], decision: 'approve' },
      'POST /api/takeovers/:id/decision': { decision: 'give-up', note: 'matrix' },
      'POST /api/data-tables': { name: `Matrix table ${unique()}` },
      'PATCH /api/data-tables/:id': { name: `Renamed ${unique()}` },
      'POST /api/data-tables/:id/columns': { name: `Column ${unique()}`, type: 'string' },
      'PATCH /api/data-tables/:id/columns/:columnId': { name: `Column ${unique()}` },
      'POST /api/data-tables/:id/rows': { values: { Name: 'Matrix' } },
      'PATCH /api/data-tables/:id/rows/:rowId': { values: { Name: 'Changed' } },
      'POST /api/templates/:slug/workflows': { inputs: { greeterEmail: 'matrix@baton.test' } },
      'POST /api/marketplace/listings/:id/versions': { version: '2.0.0' },
      // The fixture listing has no credential params; the fixture workflow was not installed (answered 409, not refused).
      'POST /api/marketplace/listings/:id/install': { credentials: {} },
      'POST /api/workflows/:id/marketplace/update': { version: '2.0.0', revision: 1, choices: {} },
      'PUT /api/marketplace/listings/:id/reviews': { rating: 4, text: 'Matrix review' },
      'POST /api/marketplace/listings/:id/reports': { reason: 'other', text: 'Matrix report' },
      'POST /api/models': matrixModel(),
      'POST /api/chat/:workflowId/sessions': { text: 'Hello from the matrix' },
      'POST /api/chat/sessions/:runId/messages': { text: 'Hello again' },
      'PUT /api/models/:id': matrixModel(),
      'PUT /api/ai-settings': { monthlyBudgetUsd: 100 },
    };
    // Made only for its own cases: other cases must not find an extra published workflow in the workspace.
    if (key === 'POST /api/marketplace/listings')
      bodies[key] = {
        workflowId: await publishedWorkflow(),
        title: `Matrix listing ${unique()}`,
        category: 'Matrix',
        version: '1.0.0',
      };
    // A bundle exported from a listing of the own workspace (docs/decisions/070): the first allowed import makes a
    // listing, the next ones are a conflict (409), neither of which is a refusal.
    if (key === 'POST /api/marketplace/bundles') bodies[key] = await exportedBundle();
    const body = bodies[key] ?? (method === 'GET' || method === 'DELETE' ? undefined : {});
    return { path, body };
  }

  const permissionRules = permissionsOf(API_RULES);

  test.each(permissionRules)('%s (%s): each role in its own workspace', async (key, permission) => {
    const [method] = key.split(' ');
    const outcomes: string[] = [];
    for (const role of ROLES) {
      const { path, body } = await caseFor(key);
      const res = await as(role, method, path, body);
      const allowed = allows(role, permission);
      const refused = res.status === 401 || res.status === 403 || res.status === 404;
      if (allowed === refused) outcomes.push(`${role}: ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
    }
    expect(outcomes).toEqual([]);
  });

  test.each(permissionRules)('%s (%s): the owner’s token of each single scope', async (key, permission) => {
    const [method] = key.split(' ');
    const outcomes: string[] = [];
    for (const scope of TOKEN_SCOPES) {
      const { path, body } = await caseFor(key);
      const res = await stack.api(method, path, body, { token: scopedTokens.get(scope)! });
      const allowed = allows('owner', permission, [scope]);
      const refused = res.status === 401 || res.status === 403 || res.status === 404;
      if (allowed === refused) outcomes.push(`${scope}: ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
    }
    expect(outcomes).toEqual([]);
  });

  // Templates are one catalog; a shared listing's reviews are not an object of the workspace that publishes it (an
  // outsider who cannot see a listing gets 404: app/marketplace-reviews.test.ts).
  test.each(
    permissionRules.filter(
      ([key]) => key.includes('/:') && !['template', 'listed-elsewhere'].includes(kindOf(key.split(' ')[1]) ?? ''),
    ),
  )('%s (%s): an owner of another workspace gets 404 for this workspace’s object', async (key) => {
    const [method] = key.split(' ');
    const { path, body } = await caseFor(key);
    const res = await as('other', method, path, body);
    expect({ key, status: res.status }).toEqual({ key, status: 404 });
  });

  test('starting a run of another workspace’s workflow is refused as missing', async () => {
    const res = await as('other', 'POST', '/api/runs', { workflowId: fixtures.own.workflow });
    expect(res.status).toBe(404);
  });

  test('lists hold only the caller’s workspace', async () => {
    const workflows = await as('viewer', 'GET', '/api/workflows');
    const ids = (workflows.body.workflows as Array<{ id: string }>).map((w) => w.id);
    expect(ids).toContain(fixtures.own.workflow);
    expect(ids).not.toContain(fixtures.other.workflow);
    const runs = await as('viewer', 'GET', '/api/runs');
    const runIds = (runs.body.runs as Array<{ runId: string }>).map((r) => r.runId);
    expect(runIds).toContain(fixtures.own.run);
    expect(runIds).not.toContain(fixtures.other.run);
  });

  test.each(Object.keys(API_RULES).filter((key) => (API_RULES as Record<string, AccessRule>)[key] !== 'public'))(
    '%s: anonymous, unknown-token and expired-token callers get 401',
    async (key) => {
      const [method] = key.split(' ');
      const { path, body } = await caseFor(key);
      const anonymous = await stack.api(method, path, body, { token: null });
      const forged = await stack.api(method, path, body, { token: 'baton_not-a-real-token' });
      const expired = await stack.api(method, path, body, { token: expiredToken });
      expect({ key, anonymous: anonymous.status, forged: forged.status, expired: expired.status }).toEqual({
        key,
        anonymous: 401,
        forged: 401,
        expired: 401,
      });
    },
  );

  test.each(permissionsOf(PAGE_RULES))(
    'page %s (%s): each role, and another workspace’s object',
    async (pattern, permission) => {
      const path = pattern
        .replace(':slug', 'hello')
        .replace(':workflowId', pattern.startsWith('/chat/') ? await makers['chat-workflow']() : '')
        .replace(
          ':id',
          pattern.startsWith('/takeovers/')
            ? await makers.takeover()
            : pattern.startsWith('/marketplace/')
              ? await makers.listing()
              : pattern.startsWith('/approvals/')
                ? fixtures.own.approval
                : pattern.startsWith('/tables/')
                  ? fixtures.own.table
                  : pattern.startsWith('/runs/')
                    ? fixtures.own.run
                    : fixtures.own.workflow,
        );
      const outcomes: string[] = [];
      for (const role of ROLES) {
        const res = await fetch(`${stack.url}${path}`, {
          headers: { Cookie: sessions.get(role)! },
          redirect: 'manual',
        });
        const allowed = allows(role, permission);
        if (allowed !== (res.status === 200)) outcomes.push(`${role}: ${res.status}`);
      }
      expect(outcomes).toEqual([]);
      if (pattern.includes(':id') || pattern.includes(':workflowId')) {
        const res = await fetch(`${stack.url}${path}`, {
          headers: { Cookie: sessions.get('other')! },
          redirect: 'manual',
        });
        expect(res.status).toBe(404);
      }
    },
  );

  test('marketplace moderation: the instance owner only, whatever the workspace role (docs/decisions/071)', async () => {
    // The own workspace's owner made the instance (first-run setup), so only that role moderates here.
    const listing = await makers['listed-elsewhere']();
    const outcomes: string[] = [];
    for (const who of [...ROLES, 'other'] as const) {
      const queue = await as(who, 'GET', '/api/marketplace/moderation/queue');
      const act = await as(who, 'POST', `/api/marketplace/moderation/listings/${listing}`, { action: 'feature' });
      const decide = await as(who, 'POST', '/api/marketplace/moderation/reports/rpt_matrix_missing', {
        decision: 'dismiss',
      });
      const page = await fetch(`${stack.url}/marketplace/moderation`, {
        headers: { Cookie: sessions.get(who)! },
        redirect: 'manual',
      });
      const want = who === 'owner' ? [200, 200, 404, 200] : [403, 403, 403, 404];
      const got = [queue.status, act.status, decide.status, page.status];
      if (JSON.stringify(got) !== JSON.stringify(want)) outcomes.push(`${who}: ${got.join(' ')}`);
    }
    expect(outcomes).toEqual([]);
  });

  test('the list page’s action (create a workflow) follows its rule for each role', async () => {
    const outcomes: string[] = [];
    for (const role of ROLES) {
      const res = await fetch(`${stack.url}/?index`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          Cookie: sessions.get(role)!,
          Origin: stack.url,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ intent: 'create' }),
      });
      const allowed = allows(role, PAGE_ACTION_RULES['/'] as Permission);
      if (allowed !== (res.status === 302)) outcomes.push(`${role}: ${res.status}`);
      if (!allowed && res.status !== 403) outcomes.push(`${role}: ${res.status}, not 403`);
    }
    expect(outcomes).toEqual([]);
  });

  test.each(Object.entries(ROOM_RULES))(
    'socket room %s (%s): own workspace joins, another workspace is refused',
    async (kind, permission) => {
      const subscribe = async (who: Role | 'other', message: object) => {
        const socket = connectSocket(stack.url, {
          transports: ['websocket'],
          reconnection: false,
          extraHeaders: { Cookie: sessions.get(who)! },
        });
        try {
          return await new Promise<SubscribeAck>((resolve, reject) => {
            socket.on('connect_error', reject);
            socket.emit(kind === 'takeover' ? TAKEOVER_JOIN : SUBSCRIBE, message, resolve);
          });
        } finally {
          socket.close();
        }
      };
      const own =
        kind === 'run'
          ? { runId: fixtures.own.run }
          : kind === 'user'
            ? { inboxOf: ownWorkspace }
            : kind === 'agents'
              ? { agentsOf: ownWorkspace }
              : kind === 'takeover'
                ? { id: await makers.takeover() }
                : { workflowId: fixtures.own.workflow };
      for (const role of ROLES) {
        const ack = await subscribe(role, own);
        expect({ role, ok: ack.ok }).toEqual({ role, ok: allows(role, permission as Permission) });
      }
      expect((await subscribe('other', own)).ok).toBe(false);
    },
  );

  test(`the Browser node recorder starts by ${RECORDER_RULE} for each role; another workspace is refused`, async () => {
    const start = async (who: Role | 'other') => {
      const socket = connectSocket(stack.url, {
        transports: ['websocket'],
        reconnection: false,
        extraHeaders: { Cookie: sessions.get(who)! },
      });
      try {
        return await new Promise<RecorderAck>((resolve, reject) => {
          socket.on('connect_error', reject);
          // A refused address: a start that is allowed opens a browser context and navigates nowhere.
          socket.emit(RECORDER_START, { workflowId: fixtures.own.workflow, url: 'http://169.254.169.254/' }, resolve);
        });
      } finally {
        socket.close(); // which ends the session
      }
    };
    for (const role of ROLES) {
      const ack = await start(role);
      expect({ role, ok: ack.ok }).toEqual({ role, ok: allows(role, RECORDER_RULE) });
    }
    expect(await start('other')).toEqual({ ok: false, error: `Workflow ${fixtures.own.workflow} does not exist.` });
  });
});
