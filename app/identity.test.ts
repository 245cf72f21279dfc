// Users' identity over the real web stack: sign-in and out with server-side sessions, their idle and absolute
// limits, listing and revoking them, password change and admin-issued reset links, the scrypt → argon2id upgrade,
// and scoped API tokens (scopes enforced, no escalation when minting, expiry and revocation answer 401, last use
// listed). Each audited action is checked to leave one entry.
import { createHash, randomBytes, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import { createCookieSessionStorage } from '@remix-run/node';
import mongoose from 'mongoose';
import { createUser } from '../db/users';
import { addMember } from '../db/workspaces';
import { docWith, manualNode } from './web-test-documents';
import { startWebStack, type WebStack } from './web-test-stack';

const SECRET = 'identity-test-secret-0123456789abcdef';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: WebStack;
let conn: mongoose.Connection;
let workspaceId: string;

async function signIn(
  email: string,
  password: string,
  on: WebStack = stack,
): Promise<{ status: number; cookie: string }> {
  const res = await fetch(`${on.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: on.url, 'User-Agent': 'IdentityTest/1.0' },
    body: new URLSearchParams({ email, password, redirectTo: '/' }),
  });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { status: res.status, cookie };
}

async function signedIn(email: string, password: string, on: WebStack = stack): Promise<string> {
  const { status, cookie } = await signIn(email, password, on);
  if (status !== 302 || !cookie) throw new Error(`Sign-in of ${email} answered ${status}.`);
  return cookie;
}

/** A JSON call as a browser with `cookie` (same-origin writes carry Origin). */
const asBrowser = (cookie: string, method: string, path: string, body?: unknown, on: WebStack = stack) =>
  on.api(method, path, body, { token: null, headers: { Cookie: cookie, Origin: on.url } });

const asToken = (token: string, method: string, path: string, body?: unknown) =>
  stack.api(method, path, body, { token });

async function auditEntries(action: string, filter: Record<string, unknown> = {}) {
  return conn
    .collection('audit_log')
    .find({ action, ...filter })
    .toArray();
}

/** A member of the stack's workspace, with a password. */
async function member(name: string, role: 'admin' | 'editor' | 'viewer' | 'operator' = 'editor') {
  const email = `${name}@identity.test`;
  const password = `${name}-password-1`;
  const user = await createUser({ email, name, password });
  await addMember(workspaceId, user.id, role);
  return { ...user, email, password };
}

beforeAll(async () => {
  stack = await startWebStack('identity', { worker: true, env: { BATON_SECRET: SECRET } });
  conn = await mongoose.connect(stack.mongoUri).then((m) => m.connection);
  const owner = (await stack.api('GET', '/api/me')).body.user;
  workspaceId = (await conn.collection('memberships').findOne({ userId: owner.id }))!.workspaceId as string;
}, 240_000);

afterAll(async () => {
  await mongoose.disconnect();
  await stack?.stop();
});

describe('signing in and out', () => {
  test('a sign-in starts a server-side session; signing out deletes it, and the cookie stops working', async () => {
    const cookie = await signedIn('owner@baton.test', 'owner-password');
    expect(cookie).toMatch(/^baton_session=/);
    expect((await asBrowser(cookie, 'GET', '/api/me')).status).toBe(200);
    const sessions = await asBrowser(cookie, 'GET', '/api/sessions');
    const current = sessions.body.sessions.find((s: { current: boolean }) => s.current);
    expect(current).toMatchObject({ userAgent: 'IdentityTest/1.0' });
    // The cookie carries the secret, the store only its hash.
    expect(await conn.collection('sessions').countDocuments({ _id: current.id })).toBe(1);
    expect(JSON.stringify(await conn.collection('sessions').find().toArray())).not.toContain(
      decodeURIComponent(cookie.split('=')[1]),
    );

    const signIns = await auditEntries('auth.sign-in', { 'actor.name': 'Owner' });
    expect(signIns.length).toBeGreaterThanOrEqual(1);
    expect(signIns.at(-1)).toMatchObject({ workspaceId, target: { kind: 'user' } });

    const out = await fetch(`${stack.url}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: cookie, Origin: stack.url },
    });
    expect(out.status).toBe(302);
    expect(out.headers.get('set-cookie')).toMatch(/^baton_session=;/);
    expect(await conn.collection('sessions').countDocuments({ _id: current.id })).toBe(0);
    expect((await asBrowser(cookie, 'GET', '/api/me')).status).toBe(401);
    expect(await auditEntries('auth.sign-out', { workspaceId })).toHaveLength(1);
  });

  test('a failed sign-in is refused and audited as anonymous with the email typed, in no workspace', async () => {
    const { status } = await signIn('nobody@identity.test', 'wrong-password');
    expect(status).toBe(200);
    const failed = await auditEntries('auth.sign-in-failed', { 'actor.name': 'nobody@identity.test' });
    expect(failed).toHaveLength(1);
    expect(failed[0].actor.id).toBe('anonymous');
    expect(failed[0].workspaceId).toBeUndefined();
    expect(JSON.stringify(failed[0])).not.toContain('wrong-password');
  });

  test('a cookie of the old format (a signed user id) no longer signs anyone in', async () => {
    const owner = (await stack.api('GET', '/api/me')).body.user;
    const old = createCookieSessionStorage<{ userId: string }>({
      cookie: { name: 'baton_session', secrets: [SECRET], path: '/', httpOnly: true, sameSite: 'lax' },
    });
    const session = await old.getSession();
    session.set('userId', owner.id);
    const cookie = (await old.commitSession(session)).split(';')[0];
    expect((await asBrowser(cookie, 'GET', '/api/me')).status).toBe(401);
    const page = await fetch(`${stack.url}/`, { redirect: 'manual', headers: { Cookie: cookie } });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toMatch(/^\/login/);
  });

  test('a scrypt password hash still signs in and is replaced by an argon2id hash', async () => {
    const user = await member('legacy');
    const salt = randomBytes(16);
    const hash = (await promisify(scrypt)('legacy-scrypt-pass', salt, 64)) as Buffer;
    await conn
      .collection('users')
      .updateOne(
        { _id: new mongoose.Types.ObjectId(user.id) },
        { $set: { passwordHash: `scrypt$${salt.toString('base64')}$${hash.toString('base64')}` } },
      );
    expect((await signIn(user.email, 'not-it')).status).toBe(200);
    await signedIn(user.email, 'legacy-scrypt-pass');
    const stored = await conn.collection('users').findOne({ _id: new mongoose.Types.ObjectId(user.id) });
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await signedIn(user.email, 'legacy-scrypt-pass');
  });
});

describe('sessions: list, revoke, password change, reset', () => {
  test('a user lists their sessions and ends another one; that browser is signed out', async () => {
    const user = await member('lister');
    const a = await signedIn(user.email, user.password);
    const b = await signedIn(user.email, user.password);
    const listed = (await asBrowser(a, 'GET', '/api/sessions')).body.sessions as Array<{
      id: string;
      current: boolean;
    }>;
    expect(listed).toHaveLength(2);
    const other = listed.find((s) => !s.current)!;
    expect((await asBrowser(a, 'DELETE', `/api/sessions/${other.id}`)).status).toBe(204);
    expect((await asBrowser(b, 'GET', '/api/me')).status).toBe(401);
    expect((await asBrowser(a, 'GET', '/api/me')).status).toBe(200);
    expect((await asBrowser(a, 'DELETE', `/api/sessions/${other.id}`)).status).toBe(404);
    expect(await auditEntries('session.revoke', { 'actor.id': user.id, 'target.id': other.id })).toHaveLength(1);
  });

  test('a password change needs the current password and signs out the other sessions', async () => {
    const user = await member('changer');
    const a = await signedIn(user.email, user.password);
    const b = await signedIn(user.email, user.password);
    const wrong = await asBrowser(a, 'POST', '/api/me/password', {
      currentPassword: 'not-mine',
      newPassword: 'a-new-password',
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.message).toContain('currentPassword');
    const short = await asBrowser(a, 'POST', '/api/me/password', { currentPassword: user.password, newPassword: 'x' });
    expect(short.status).toBe(400);
    expect(short.body.error.message).toContain('newPassword');

    const changed = await asBrowser(a, 'POST', '/api/me/password', {
      currentPassword: user.password,
      newPassword: 'a-new-password',
    });
    expect(changed).toMatchObject({ status: 200, body: { otherSessionsEnded: 1 } });
    expect((await asBrowser(b, 'GET', '/api/me')).status).toBe(401);
    expect((await asBrowser(a, 'GET', '/api/me')).status).toBe(200);
    expect((await signIn(user.email, user.password)).status).toBe(200);
    await signedIn(user.email, 'a-new-password');
    const entries = await auditEntries('auth.password-change', { 'actor.id': user.id });
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries)).not.toContain('a-new-password');
  });

  test('an admin issues a single-use reset link; using it sets the password and ends every session', async () => {
    const admin = await member('resetadmin', 'admin');
    const user = await member('forgetful');
    const adminCookie = await signedIn(admin.email, admin.password);
    const userCookie = await signedIn(user.email, user.password);

    const editor = await member('noreset', 'editor');
    const editorCookie = await signedIn(editor.email, editor.password);
    expect((await asBrowser(editorCookie, 'POST', `/api/members/${user.id}/reset`)).status).toBe(403);
    const ownerId = (await stack.api('GET', '/api/me')).body.user.id;
    const onOwner = await asBrowser(adminCookie, 'POST', `/api/members/${ownerId}/reset`);
    expect(onOwner.status).toBe(403);
    const stranger = await createUser({ email: 'stranger@identity.test', name: 'Stranger', password: 'stranger-pass' });
    expect((await asBrowser(adminCookie, 'POST', `/api/members/${stranger.id}/reset`)).status).toBe(404);

    const issued = await asBrowser(adminCookie, 'POST', `/api/members/${user.id}/reset`);
    expect(issued.status).toBe(201);
    const link = new URL(issued.body.link);
    expect(link.pathname).toMatch(/^\/reset\/[\w-]{43}$/);
    const token = link.pathname.split('/')[2];
    expect(JSON.stringify(await conn.collection('password_resets').find().toArray())).not.toContain(token);

    const page = await fetch(`${stack.url}${link.pathname}`);
    expect(await page.text()).toContain('Choose a new password');
    const mismatched = await postForm(link.pathname, { password: 'reset-password-1', confirmPassword: 'other' });
    expect(mismatched.status).toBe(200);
    const used = await postForm(link.pathname, { password: 'reset-password-1', confirmPassword: 'reset-password-1' });
    expect(used.status).toBe(302);
    const newCookie = used.headers.getSetCookie()[0].split(';')[0];
    expect((await asBrowser(newCookie, 'GET', '/api/me')).body.user.id).toBe(user.id);
    expect((await asBrowser(userCookie, 'GET', '/api/me')).status).toBe(401);
    await signedIn(user.email, 'reset-password-1');

    const again = await postForm(link.pathname, { password: 'reset-password-2', confirmPassword: 'reset-password-2' });
    expect(again.status).toBe(410);
    expect(await (await fetch(`${stack.url}${link.pathname}`)).text()).toContain('has been used');

    expect(await auditEntries('auth.password-reset-issued', { 'target.id': user.id })).toHaveLength(1);
    const reset = await auditEntries('auth.password-reset', { 'target.id': user.id });
    expect(reset).toHaveLength(1);
    expect(reset[0]).toMatchObject({ workspaceId, change: { issuedBy: admin.id } });
  });

  test('an admin ends every session of a member; an editor may not', async () => {
    const admin = await member('sessionadmin', 'admin');
    const user = await member('signedout');
    const adminCookie = await signedIn(admin.email, admin.password);
    const a = await signedIn(user.email, user.password);
    const b = await signedIn(user.email, user.password);
    const editorCookie = await signedIn('noreset@identity.test', 'noreset-password-1');
    expect((await asBrowser(editorCookie, 'DELETE', `/api/members/${user.id}/sessions`)).status).toBe(403);
    const ended = await asBrowser(adminCookie, 'DELETE', `/api/members/${user.id}/sessions`);
    expect(ended).toMatchObject({ status: 200, body: { ended: 2 } });
    expect((await asBrowser(a, 'GET', '/api/me')).status).toBe(401);
    expect((await asBrowser(b, 'GET', '/api/me')).status).toBe(401);
    expect(
      await auditEntries('session.revoke', { 'actor.id': admin.id, 'target.id': user.id, 'change.sessionsEnded': 2 }),
    ).toHaveLength(1);
  });
});

async function postForm(path: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${stack.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: stack.url },
    body: new URLSearchParams(fields),
  });
}

describe('API tokens', () => {
  let ownerCookie: string;
  beforeAll(async () => {
    ownerCookie = await signedIn('owner@baton.test', 'owner-password');
  });

  const mint = (body: unknown, as: { cookie?: string; token?: string } = {}) =>
    as.token
      ? asToken(as.token, 'POST', '/api/tokens', body)
      : asBrowser(as.cookie ?? ownerCookie, 'POST', '/api/tokens', body);

  test('scopes are enforced: a read token cannot write, a run token can start runs', async () => {
    const read = await mint({ name: 'reader', scopes: ['read'] });
    expect(read.status).toBe(201);
    expect(read.body.apiToken).toMatchObject({ name: 'reader', scopes: ['read'], workspaceId, status: 'active' });
    expect((await asToken(read.body.token, 'GET', '/api/workflows')).status).toBe(200);
    const write = await asToken(read.body.token, 'POST', '/api/workflows', { name: 'Not allowed' });
    expect(write.status).toBe(403);
    expect(write.body.error.message).toContain('workflow.write');

    const created = await stack.api('POST', '/api/workflows', {
      name: 'Run by token',
      document: docWith([manualNode('start')]),
    });
    const run = await mint({ name: 'runner', scopes: ['run'] });
    const started = await asToken(run.body.token, 'POST', '/api/runs', { workflowId: created.body.workflow.id });
    expect(started.status).toBe(201);
    expect((await asToken(run.body.token, 'POST', '/api/workflows', { name: 'No' })).status).toBe(403);
    expect(await auditEntries('token.create', { 'target.id': read.body.apiToken.id })).toHaveLength(1);
  });

  test('a token never mints more scope or a longer life than its own; a session only what its role can use', async () => {
    const read = await mint({ name: 'narrow', scopes: ['read'], expiresAt: new Date(Date.now() + 86_400_000) });
    const escalate = await mint({ name: 'wider', scopes: ['read', 'write'] }, { token: read.body.token });
    expect(escalate.status).toBe(403);
    expect(escalate.body.error.message).toContain('scopes');
    const longer = await mint(
      { name: 'longer', scopes: ['read'], expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString() },
      { token: read.body.token },
    );
    expect(longer.status).toBe(400);
    expect(longer.body.error.message).toContain('expiresAt');
    const same = await mint({ name: 'same' }, { token: read.body.token });
    expect(same.status).toBe(201);
    expect(same.body.apiToken.scopes).toEqual(['read']);
    expect(new Date(same.body.apiToken.expiresAt).getTime()).toBeLessThanOrEqual(Date.now() + 86_400_000);

    const editor = await member('tokeneditor');
    const editorCookie = await signedIn(editor.email, editor.password);
    const admin = await mint({ name: 'admin please', scopes: ['admin'] }, { cookie: editorCookie });
    expect(admin.status).toBe(403);
    const allHeMay = await mint({ name: 'all mine' }, { cookie: editorCookie });
    expect(allHeMay.body.apiToken.scopes).toEqual(['read', 'write', 'run', 'approve']); // editors decide approvals addressed to them

    expect((await mint({ name: '' })).body.error.message).toContain('name');
    const tooLong = await mint({ name: 'forever', expiresAt: new Date(Date.now() + 400 * 86_400_000).toISOString() });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toContain('expiresAt');
  });

  test('an expired or revoked token answers 401 saying which; revocation is audited', async () => {
    const soon = await mint({ name: 'brief', scopes: ['read'], expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect((await asToken(soon.body.token, 'GET', '/api/me')).status).toBe(200);
    await sleep(2000);
    const expired = await asToken(soon.body.token, 'GET', '/api/me');
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toContain('expired');

    const doomed = await mint({ name: 'doomed', scopes: ['read'] });
    expect((await asToken(doomed.body.token, 'GET', '/api/me')).status).toBe(200);
    const revoked = await asBrowser(ownerCookie, 'DELETE', `/api/tokens/${doomed.body.apiToken.id}`);
    expect(revoked.body.token.status).toBe('revoked');
    const refused = await asToken(doomed.body.token, 'GET', '/api/workflows');
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toContain('revoked');
    expect(await auditEntries('token.revoke', { 'target.id': doomed.body.apiToken.id })).toHaveLength(1);

    const editor = await member('otherholder');
    const editorCookie = await signedIn(editor.email, editor.password);
    const notHis = await asBrowser(
      editorCookie,
      'DELETE',
      `/api/tokens/${(await mint({ name: 'x' })).body.apiToken.id}`,
    );
    expect(notHis.status).toBe(404);
  });

  test('the list shows last use and never a token’s plaintext or hash', async () => {
    const used = await mint({ name: 'used once', scopes: ['read'] });
    await asToken(used.body.token, 'GET', '/api/workflows');
    const listed = await asBrowser(ownerCookie, 'GET', '/api/tokens');
    const entry = listed.body.tokens.find((t: { id: string }) => t.id === used.body.apiToken.id);
    expect(entry.lastUsedAt).toEqual(expect.any(String));
    expect(entry.status).toBe('active');
    const text = JSON.stringify(listed.body);
    expect(text).not.toContain(used.body.token);
    expect(text).not.toContain(createHash('sha256').update(used.body.token).digest('hex'));
    expect(JSON.stringify(await conn.collection('audit_log').find().toArray())).not.toContain(used.body.token);
  });
});

describe('session limits (shortened through the environment)', () => {
  let short: WebStack;
  beforeAll(async () => {
    short = await startWebStack('identity_limits', {
      env: { BATON_SESSION_IDLE_MINUTES: String(5 / 60), BATON_SESSION_MAX_DAYS: String(12 / 86400) },
    });
    // Compile the routes first, so that no first-request build time counts as idling.
    await signIn('owner@baton.test', 'owner-password', short);
    await short.api('GET', '/api/me');
    await short.api('GET', '/api/sessions');
  }, 240_000);
  afterAll(async () => {
    await short?.stop();
  });

  test('a session unused for longer than the idle limit has ended', async () => {
    const cookie = await signedIn('owner@baton.test', 'owner-password', short);
    expect((await asBrowser(cookie, 'GET', '/api/me', undefined, short)).status).toBe(200);
    await sleep(6500);
    expect((await asBrowser(cookie, 'GET', '/api/me', undefined, short)).status).toBe(401);
  });

  test('a session in steady use still ends at the absolute limit', async () => {
    const cookie = await signedIn('owner@baton.test', 'owner-password', short);
    const listed = await asBrowser(cookie, 'GET', '/api/sessions', undefined, short);
    const current = listed.body.sessions.find((s: { current: boolean }) => s.current);
    const expiresAt = new Date(current.expiresAt).getTime();
    while (Date.now() < expiresAt - 500) {
      expect((await asBrowser(cookie, 'GET', '/api/me', undefined, short)).status).toBe(200);
      await sleep(1000);
    }
    await sleep(1000);
    expect((await asBrowser(cookie, 'GET', '/api/me', undefined, short)).status).toBe(401);
  }, 60_000);
});
