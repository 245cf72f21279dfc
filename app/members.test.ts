// Workspaces, members, invites and groups through the real web server: invite links (once, expiry, revocation,
// hashed at rest), the role rules (assignable roles, the last owner, nobody changes their own role), groups, create /
// rename / switch, the nav and page a role sees, and one audit entry per audited action.
import { jest } from '@jest/globals';
import mongoose from 'mongoose';
import { startWebStack, type WebStack } from './web-test-stack';

// The first request to each page and route compiles it (the web server runs from source), slow on a busy machine.
jest.setTimeout(240_000);

let stack: WebStack;
let conn: mongoose.Connection;
let ownerId: string;
let homeWorkspace: string;

beforeAll(async () => {
  stack = await startWebStack('members');
  conn = await mongoose.createConnection(stack.mongoUri).asPromise();
  ownerId = (await stack.api('GET', '/api/me')).body.user.id;
  homeWorkspace = (await conn.collection('memberships').findOne({ userId: ownerId }))!.workspaceId as string;
}, 420_000);

afterAll(async () => {
  await conn?.close();
  await stack?.stop();
});

/** The cookies a response sets, as a Cookie header. */
const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

async function signIn(email: string, password: string): Promise<string> {
  const res = await fetch(`${stack.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: stack.url },
    body: new URLSearchParams({ email, password, redirectTo: '/' }),
  });
  if (res.status !== 302) throw new Error(`Sign-in of ${email} answered ${res.status}.`);
  return cookiesOf(res);
}

const page = (path: string, cookie?: string) =>
  fetch(`${stack.url}${path}`, { headers: cookie ? { Cookie: cookie } : {}, redirect: 'manual' });

const postForm = (path: string, fields: Record<string, string>, cookie?: string) =>
  fetch(`${stack.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: stack.url,
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: new URLSearchParams(fields),
  });

const asSession = (cookie: string, method: string, path: string, body?: unknown) =>
  stack.api(method, path, body, { token: null, headers: { Cookie: cookie, Origin: stack.url } });

async function auditOf(action: string, targetId?: string) {
  return conn
    .collection('audit_log')
    .find({ action, ...(targetId ? { 'target.id': targetId } : {}) })
    .toArray();
}

async function invite(email: string, role: string) {
  const res = await stack.api('POST', '/api/invites', { email, role });
  expect(res.status).toBe(201);
  return { id: res.body.invite.id as string, link: res.body.link as string, path: new URL(res.body.link).pathname };
}

async function acceptAsNew(path: string, name: string, password: string) {
  return postForm(path, { intent: 'create', name, password });
}

describe('invites', () => {
  let editor: { id: string; cookie: string };

  test('an invite link is shown once, stored hashed, and accepting it makes a signed-in member', async () => {
    const { id, link, path } = await invite('Eddie@Example.com', 'editor');
    expect(link).toBe(`${stack.url}${path}`);
    const token = path.split('/').pop()!;
    const listed = await stack.api('GET', '/api/invites');
    expect(listed.body.invites).toEqual([expect.objectContaining({ id, email: 'eddie@example.com', role: 'editor' })]);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    const stored = await conn.collection('invites').findOne({ _id: id as never });
    expect(JSON.stringify(stored)).not.toContain(token);
    const [invited] = await auditOf('member.invite', id);
    expect(invited).toMatchObject({ workspaceId: homeWorkspace, actor: { id: ownerId }, change: { role: 'editor' } });
    expect(invited.ip).toMatch(/127\.0\.0\.1|::1/);
    expect(JSON.stringify(await conn.collection('audit_log').find().toArray())).not.toContain(token);

    const form = await page(path);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('eddie@example.com');

    expect((await acceptAsNew(path, 'Eddie', 'short')).status).toBe(400);
    const accepted = await acceptAsNew(path, 'Eddie Editor', 'eddie-password-1');
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get('Location')).toBe('/');
    const cookie = cookiesOf(accepted);
    expect(cookie).toContain(`baton_workspace=${homeWorkspace}`);
    const me = await asSession(cookie, 'GET', '/api/me');
    expect(me.body.user).toMatchObject({ name: 'Eddie Editor', email: 'eddie@example.com' });
    editor = { id: me.body.user.id, cookie };
    const members = (await stack.api('GET', '/api/members')).body.members;
    expect(members.find((m: { userId: string }) => m.userId === editor.id)).toMatchObject({ role: 'editor' });
    expect(await auditOf('member.join', editor.id)).toEqual([
      expect.objectContaining({ workspaceId: homeWorkspace, change: expect.objectContaining({ role: 'editor' }) }),
    ]);
    expect((await stack.api('GET', '/api/invites')).body.invites).toEqual([]);

    const again = await acceptAsNew(path, 'Someone Else', 'other-password-1');
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('already been used');
    expect((await page(path)).status).toBe(410);
  });

  test('expired, revoked and made-up links show why they cannot be used', async () => {
    const late = await invite('late@example.com', 'viewer');
    await conn
      .collection('invites')
      .updateOne({ _id: late.id as never }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await page(late.path);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('expired');
    expect((await acceptAsNew(late.path, 'Late', 'late-password-1')).status).toBe(410);

    const gone = await invite('gone@example.com', 'viewer');
    expect((await stack.api('DELETE', `/api/invites/${gone.id}`)).status).toBe(204);
    expect(await auditOf('member.invite-revoke', gone.id)).toHaveLength(1);
    expect((await stack.api('DELETE', `/api/invites/${gone.id}`)).status).toBe(404);
    const revoked = await page(gone.path);
    expect(revoked.status).toBe(410);
    expect(await revoked.text()).toContain('withdrawn');

    expect((await page('/invite/inv_made-up')).status).toBe(404);
    expect(await conn.collection('users').countDocuments({ email: { $in: ['late@example.com'] } })).toBe(0);
  });

  test('bad invite input is a 400 naming the field; a member cannot be invited twice', async () => {
    const bad = await stack.api('POST', '/api/invites', { email: 'not-an-email', role: 'boss' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/email: must be an email address/);
    expect(bad.body.error.message).toMatch(/role:/);
    const dup = await stack.api('POST', '/api/invites', { email: 'eddie@example.com', role: 'viewer' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toMatch(/already a member/);
  });

  test('an editor sees no Members link and gets a 403 page; the owner sees both', async () => {
    const editorHome = await page('/', editor.cookie);
    expect(editorHome.status).toBe(200);
    const editorHtml = await editorHome.text();
    expect(editorHtml).not.toContain('href="/settings/members"');
    expect(editorHtml).toContain('href="/credentials"');
    expect(editorHtml).not.toContain('href="/audit"');
    const refused = await page('/settings/members', editor.cookie);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('member.manage');
    expect(
      (await asSession(editor.cookie, 'POST', '/api/invites', { email: 'x@example.com', role: 'viewer' })).status,
    ).toBe(403);

    const owner = await signIn('owner@baton.test', 'owner-password');
    const ownerHtml = await (await page('/', owner)).text();
    expect(ownerHtml).toContain('href="/settings/members"');
    expect(ownerHtml).toContain('href="/audit"');
    const members = await page('/settings/members', owner);
    expect(members.status).toBe(200);
    expect(await members.text()).toContain('Eddie Editor');
  });

  test('roles: assignable roles, nobody changes their own, the last owner stays; each change is audited', async () => {
    const admin = await invite('ada@example.com', 'admin');
    const adaCookie = cookiesOf(await acceptAsNew(admin.path, 'Ada Admin', 'ada-password-1'));
    const adaId = (await asSession(adaCookie, 'GET', '/api/me')).body.user.id as string;

    const toOwner = await asSession(adaCookie, 'PATCH', `/api/members/${editor.id}`, { role: 'owner' });
    expect(toOwner.status).toBe(403);
    expect(toOwner.body.error.message).toMatch(/only an owner/);
    const demoteOwner = await asSession(adaCookie, 'PATCH', `/api/members/${ownerId}`, { role: 'viewer' });
    expect(demoteOwner.status).toBe(403);
    expect((await asSession(adaCookie, 'DELETE', `/api/members/${ownerId}`)).status).toBe(403);
    const own = await asSession(adaCookie, 'PATCH', `/api/members/${adaId}`, { role: 'viewer' });
    expect(own.status).toBe(403);
    expect(own.body.error.message).toMatch(/your own role/);
    expect((await stack.api('PATCH', `/api/members/${editor.id}`, { role: 'chief' })).body.error.message).toMatch(
      /role:/,
    );
    expect((await stack.api('PATCH', '/api/members/nobody', { role: 'viewer' })).status).toBe(404);

    const lastOwner = await stack.api('DELETE', `/api/members/${ownerId}`);
    expect(lastOwner.status).toBe(409);
    expect(lastOwner.body.error.message).toMatch(/last owner/);

    const changed = await asSession(adaCookie, 'PATCH', `/api/members/${editor.id}`, { role: 'operator' });
    expect(changed.status).toBe(200);
    expect(changed.body.member).toMatchObject({ userId: editor.id, role: 'operator' });
    expect(await auditOf('member.role-change', editor.id)).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ id: adaId }),
        change: { from: 'editor', to: 'operator' },
      }),
    ]);
    expect((await stack.api('PATCH', `/api/members/${editor.id}`, { role: 'editor' })).status).toBe(200);

    // Two owners: one may now leave or be demoted, and the other is then the last.
    expect((await stack.api('PATCH', `/api/members/${adaId}`, { role: 'owner' })).status).toBe(200);
    expect((await asSession(adaCookie, 'PATCH', `/api/members/${ownerId}`, { role: 'admin' })).status).toBe(200);
    const demoteLast = await stack.api('PATCH', `/api/members/${adaId}`, { role: 'admin' });
    expect(demoteLast.status).toBe(403); // the admin now outranks no owner
    expect((await asSession(adaCookie, 'DELETE', `/api/members/${adaId}`)).status).toBe(409);
    expect((await asSession(adaCookie, 'PATCH', `/api/members/${ownerId}`, { role: 'owner' })).status).toBe(200);

    expect((await stack.api('DELETE', `/api/members/${adaId}`)).status).toBe(204);
    expect(await auditOf('member.remove', adaId)).toHaveLength(1);
    expect((await asSession(adaCookie, 'GET', '/api/members')).status).toBe(403);
  });

  describe('workspaces', () => {
    let secondId: string;

    test('any signed-in user creates a workspace they own, switches to it, and sees only it there', async () => {
      const created = await asSession(editor.cookie, 'POST', '/api/workspaces', { name: '  Editor Lab ' });
      expect(created.status).toBe(201);
      secondId = created.body.workspace.id;
      expect(created.body.workspace).toMatchObject({ name: 'Editor Lab', role: 'owner' });
      expect((await asSession(editor.cookie, 'POST', '/api/workspaces', { name: '' })).body.error.message).toMatch(
        /name: is required/,
      );

      const list = await asSession(editor.cookie, 'GET', '/api/workspaces');
      expect(list.body.workspaces.map((w: { name: string; current: boolean }) => [w.name, w.current])).toEqual([
        ['Default workspace', true],
        ['Editor Lab', false],
      ]);
      const switched = await fetch(`${stack.url}/api/workspaces/${secondId}/switch`, {
        method: 'POST',
        headers: { Cookie: editor.cookie, Origin: stack.url },
      });
      expect(switched.status).toBe(200);
      const cookie = `${editor.cookie.replace(/baton_workspace=[^;]*;?\s*/, '')}; ${cookiesOf(switched)}`;
      const there = await asSession(cookie, 'GET', '/api/members');
      expect(there.body.members.map((m: { email: string }) => m.email)).toEqual(['eddie@example.com']);
      expect((await asSession(cookie, 'GET', '/settings/members')).status).toBe(200);

      expect((await stack.api('POST', `/api/workspaces/${secondId}/switch`)).status).toBe(400); // a token is bound
      const stranger = await fetch(`${stack.url}/api/workspaces/ws_not-mine/switch`, {
        method: 'POST',
        headers: { Cookie: editor.cookie, Origin: stack.url },
      });
      expect(stranger.status).toBe(404);
    });

    test('rename: only the workspace one acts in, by workspace.admin, audited', async () => {
      expect((await stack.api('PATCH', `/api/workspaces/${secondId}`, { name: 'Taken over' })).status).toBe(404);
      expect((await asSession(editor.cookie, 'PATCH', `/api/workspaces/${homeWorkspace}`, { name: 'X' })).status).toBe(
        403,
      );
      const renamed = await stack.api('PATCH', `/api/workspaces/${homeWorkspace}`, { name: 'People Ops' });
      expect(renamed.status).toBe(200);
      expect(renamed.body.workspace).toMatchObject({ id: homeWorkspace, name: 'People Ops' });
      expect(await auditOf('workspace.settings', homeWorkspace)).toEqual([
        expect.objectContaining({ change: { name: { from: 'Default workspace', to: 'People Ops' } } }),
      ]);
    });

    test('a signed-in user accepts an invite sent to their email into their account', async () => {
      const switched = await fetch(`${stack.url}/api/workspaces/${secondId}/switch`, {
        method: 'POST',
        headers: { Cookie: editor.cookie, Origin: stack.url },
      });
      const labCookie = `${editor.cookie.replace(/baton_workspace=[^;]*;?\s*/, '')}; ${cookiesOf(switched)}`;
      const sent = await asSession(labCookie, 'POST', '/api/invites', { email: 'owner@baton.test', role: 'viewer' });
      expect(sent.status).toBe(201);
      const path = new URL(sent.body.link).pathname;

      // Someone else signed in is told to sign out; nothing is used up.
      const wrong = await postForm(path, { intent: 'join' }, editor.cookie);
      expect(wrong.status).toBe(403);
      expect(await wrong.text()).toContain('This invite is for owner@baton.test');
      const signedOut = await page(path);
      expect(await signedOut.text()).toContain('Sign in to accept');

      const owner = await signIn('owner@baton.test', 'owner-password');
      expect(await (await page(path, owner)).text()).toContain('Join with this account');
      const joined = await postForm(path, { intent: 'join' }, owner);
      expect(joined.status).toBe(302);
      expect(cookiesOf(joined)).toContain(`baton_workspace=${secondId}`);
      const mine = await stack.api('GET', '/api/me');
      const memberships = await conn.collection('memberships').find({ userId: mine.body.user.id }).toArray();
      expect(memberships.map((m) => [m.workspaceId, m.role]).sort()).toEqual(
        [
          [homeWorkspace, 'owner'],
          [secondId, 'viewer'],
        ].sort(),
      );
      expect(await auditOf('member.join', ownerId)).toEqual([expect.objectContaining({ workspaceId: secondId })]);
    });
  });
});

describe('groups', () => {
  test('create, members, rename and delete, scoped to the workspace and audited', async () => {
    const members = (await stack.api('GET', '/api/members')).body.members as Array<{ userId: string }>;
    const someone = members.find((m) => m.userId !== ownerId)!.userId;

    const stranger = await stack.api('POST', '/api/groups', { name: 'HR directors', userIds: [ownerId, 'nobody'] });
    expect(stranger.status).toBe(400);
    expect(stranger.body.error.message).toMatch(/userIds\.1: nobody is not a member/);
    expect((await stack.api('POST', '/api/groups', { name: 'X', slug: 'Bad Slug' })).body.error.message).toMatch(
      /slug:/,
    );

    const created = await stack.api('POST', '/api/groups', { name: 'HR directors', userIds: [ownerId] });
    expect(created.status).toBe(201);
    expect(created.body.group).toMatchObject({ slug: 'hr-directors', name: 'HR directors', userIds: [ownerId] });
    expect((await stack.api('POST', '/api/groups', { name: 'HR Directors' })).status).toBe(409);

    const added = await stack.api('POST', '/api/groups/hr-directors/members', { userId: someone });
    expect(added.body.group.userIds).toEqual([ownerId, someone]);
    const removed = await stack.api('DELETE', `/api/groups/hr-directors/members/${ownerId}`);
    expect(removed.body.group.userIds).toEqual([someone]);
    const put = await stack.api('PUT', '/api/groups/hr-directors', { name: 'HR leads', userIds: [ownerId, someone] });
    expect(put.body.group).toMatchObject({ name: 'HR leads', userIds: [ownerId, someone] });
    expect((await stack.api('GET', '/api/groups')).body.groups.map((g: { slug: string }) => g.slug)).toEqual([
      'hr-directors',
    ]);
    expect((await stack.api('GET', '/api/groups/nope')).status).toBe(404);

    expect(await auditOf('group.save', 'hr-directors')).toHaveLength(4);
    expect((await stack.api('DELETE', '/api/groups/hr-directors')).status).toBe(204);
    expect(await auditOf('group.delete', 'hr-directors')).toHaveLength(1);
    expect((await stack.api('GET', '/api/groups/hr-directors')).status).toBe(404);
  });

  test('the Members page manages groups through its form actions', async () => {
    // The owner now also belongs to "Editor Lab"; the cookie picks the home workspace, as the switcher would.
    const owner = `${await signIn('owner@baton.test', 'owner-password')}; baton_workspace=${homeWorkspace}`;
    const created = await postForm('/settings/members', { intent: 'group-create', name: 'IT' }, owner);
    expect(created.status).toBe(200);
    expect(await conn.collection('groups').findOne({ _id: `${homeWorkspace}:it` as never })).toMatchObject({
      name: 'IT',
    });
    const refused = await postForm('/settings/members', { intent: 'group-add', slug: 'it', userId: 'nobody' }, owner);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('not a member of this workspace');
  });
});
