// The browser-session routes through the real web server (docs/decisions/060): the list names each session, its size,
// sites, dates and the workflow and run that saved it, never a cookie; deleting follows the credentials' rules
// (editors may, viewers may not); another workspace's session is neither listed nor deletable (404). Limiting a
// session to workflows follows the same rules, refuses a workflow of another workspace and is audited.
import mongoose from 'mongoose';
import { createApiToken } from '../db/api-tokens';
import { saveBrowserSession } from '../db/browser-sessions';
import { createUser } from '../db/users';
import { addMember } from '../db/workspaces';
import type { BrowserStorageState } from '../nodes/define';
import { startWebStack, viewerAndOutsider, type WebStack } from './web-test-stack';

const COOKIE = 'sid-canary-7f3a9c1e';
let stack: WebStack;
let viewerToken: string;
let otherToken: string;
let editorToken: string;
let workflowId: string;

const state = (value: string): BrowserStorageState => ({
  cookies: [
    {
      name: 'sid',
      value,
      domain: 'crm.example.com',
      path: '/',
      expires: -1,
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
    },
  ],
  origins: [{ origin: 'https://crm.example.com', localStorage: [{ name: 'token', value }] }],
});

const saveIn = (workspaceId: string, name: string) =>
  saveBrowserSession(workspaceId, name, state(COOKIE), { workflowId, runId: 'run_saver', nodeId: 'browse' });

beforeAll(async () => {
  stack = await startWebStack('browser_sessions_api');
  await mongoose.connect(stack.mongoUri);
  ({ viewerToken, otherToken } = await viewerAndOutsider());
  const editor = await createUser({ email: 'editor@baton.test', name: 'Editor', password: 'editor-password' });
  await addMember('ws_default', editor.id, 'editor');
  editorToken = (await createApiToken({ userId: editor.id, workspaceId: 'ws_default', name: 't', scopes: ['write'] }))
    .token;
  const created = await stack.api('POST', '/api/workflows', { name: 'CRM export' });
  workflowId = created.body.workflow.id;
}, 240_000);

afterAll(async () => {
  await mongoose.disconnect();
  await stack?.stop();
});

test('the list shows names, sizes, sites and who saved each, never the state; empty elsewhere', async () => {
  const empty = await stack.api('GET', '/api/browser-sessions');
  expect(empty).toMatchObject({ status: 200, body: { sessions: [] } });

  await saveIn('ws_default', 'crm login');
  const listed = await stack.api('GET', '/api/browser-sessions');
  expect(listed.status).toBe(200);
  expect(listed.body.sessions).toEqual([
    {
      id: expect.stringMatching(/^bs_[0-9a-f]{32}$/),
      name: 'crm login',
      size: JSON.stringify(state(COOKIE)).length,
      cookies: 1,
      sites: ['crm.example.com'],
      savedBy: { workflowId, workflowName: 'CRM export', runId: 'run_saver', nodeId: 'browse' },
      allowedWorkflowIds: [],
      allowedWorkflows: [],
      indexedDbOrigins: 0,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      expiresAt: null,
    },
  ]);
  expect(JSON.stringify(listed.body)).not.toContain(COOKIE);

  const outsider = await stack.api('GET', '/api/browser-sessions', undefined, { token: otherToken });
  expect(outsider).toMatchObject({ status: 200, body: { sessions: [] } });
  const viewer = await stack.api('GET', '/api/browser-sessions', undefined, { token: viewerToken });
  expect(viewer.status).toBe(403);
  expect(viewer.body.error.message).toContain('credential.read');
});

test('editors delete a session by name; viewers are refused and another workspace gets 404', async () => {
  await saveIn('ws_default', 'shop.example-2');
  const path = `/api/browser-sessions/${encodeURIComponent('shop.example-2')}`;

  const viewer = await stack.api('DELETE', path, undefined, { token: viewerToken });
  expect(viewer.status).toBe(403);
  const outsider = await stack.api('DELETE', path, undefined, { token: otherToken });
  expect(outsider.status).toBe(404);
  expect(outsider.body.error.message).toBe(
    'No browser session "shop.example-2" in this workspace; it may have been deleted.',
  );

  const deleted = await stack.api('DELETE', path, undefined, { token: editorToken });
  expect(deleted).toMatchObject({ status: 200, body: { deleted: true, name: 'shop.example-2' } });
  const names = (await stack.api('GET', '/api/browser-sessions')).body.sessions.map((s: { name: string }) => s.name);
  expect(names).not.toContain('shop.example-2');
  expect((await stack.api('DELETE', path)).status).toBe(404);

  const audit = await mongoose.connection
    .db!.collection('audit_log')
    .find({ action: 'credential.delete', 'target.kind': 'browser-session' })
    .toArray();
  expect(audit.map((a) => a.target.name)).toEqual(['shop.example-2']);
});

test('editors limit a session to workflows of the workspace; the list names them, and the change is audited', async () => {
  await saveIn('ws_default', 'limited');
  const path = `/api/browser-sessions/${encodeURIComponent('limited')}`;
  const body = { allowedWorkflowIds: [workflowId] };

  expect((await stack.api('PATCH', path, body, { token: viewerToken })).status).toBe(403);
  expect((await stack.api('PATCH', path, body, { token: otherToken })).status).toBe(404);
  const foreign = await stack.api('PATCH', path, { allowedWorkflowIds: ['0123456789abcdef01234567'] });
  expect(foreign.status).toBe(400);
  expect(foreign.body.error.message).toBe(
    'allowedWorkflowIds: 0123456789abcdef01234567 is not a workflow of this workspace',
  );
  expect((await stack.api('PATCH', path, { allowedWorkflowIds: 'all' })).status).toBe(400);

  const limited = await stack.api('PATCH', path, body, { token: editorToken });
  expect(limited.status).toBe(200);
  expect(limited.body.session).toMatchObject({
    name: 'limited',
    allowedWorkflowIds: [workflowId],
    allowedWorkflows: [{ id: workflowId, name: 'CRM export' }],
  });
  const listed = (await stack.api('GET', '/api/browser-sessions')).body.sessions.find(
    (s: { name: string }) => s.name === 'limited',
  );
  expect(listed.allowedWorkflows).toEqual([{ id: workflowId, name: 'CRM export' }]);
  const audit = await mongoose.connection
    .db!.collection('audit_log')
    .find({ action: 'credential.update', 'target.kind': 'browser-session' })
    .toArray();
  expect(audit.map((a) => [a.target.name, a.change.allowedWorkflowIds])).toEqual([['limited', [workflowId]]]);
});
