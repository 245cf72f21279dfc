// Hosted forms over HTTP against the real web server and a real worker: a submitted form starts a run with its
// values and file; refused answers name their fields and start nothing; the password gate; a two-step form whose
// second page the submitter reaches through the run's link, whose used and expired links say so; hostile text.
import mongoose from 'mongoose';
import { createUser } from '../db/users';
import { createWorkspace } from '../db/workspaces';
import type { DocumentNode } from '../ir/types';
import { anyNode, chain, docWith, setNode } from './web-test-documents';
import { startWebStack, waitForRunStatus, type WebStack } from './web-test-stack';

let stack: WebStack;

beforeAll(async () => {
  stack = await startWebStack('forms', { worker: true });
}, 240_000);

afterAll(async () => {
  await mongoose.disconnect();
  await stack?.stop();
});

const field = (key: string, type: string, extra: Record<string, unknown> = {}) => ({ key, label: key, type, ...extra });

const hireFields = [
  { key: 'name', label: 'Full name', type: 'text', required: true },
  { key: 'email', label: 'Work email', type: 'email', required: true },
  { key: 'salary', label: 'Salary', type: 'number' },
  { key: 'start', label: 'Start date', type: 'date', required: true },
  { key: 'team', label: 'Team', type: 'select', options: 'Sales, Engineering' },
  { key: 'remote', label: 'Remote', type: 'boolean' },
  { key: 'notes', label: 'Notes', type: 'textarea' },
  { key: 'cv', label: 'CV', type: 'file' },
];

async function publishedForm(nodes: DocumentNode[], edges: ReturnType<typeof chain>[]): Promise<string> {
  const created = await stack.api('POST', '/api/workflows', {
    name: `Form ${Date.now()}`,
    document: docWith(nodes, edges),
  });
  expect(created.status).toBe(201);
  const id = created.body.workflow.id as string;
  const published = await stack.api('POST', `/api/workflows/${id}/publish`);
  expect([published.status, published.body?.error?.message]).toEqual([201, undefined]);
  return id;
}

const formNode = (params: Record<string, unknown>) => anyNode('intake', 'form-trigger', params);

async function runsOf(workflowId: string): Promise<Array<{ runId: string }>> {
  const res = await stack.api('GET', `/api/runs?workflowId=${workflowId}`);
  expect(res.status).toBe(200);
  return res.body.runs;
}

async function firstRunOf(workflowId: string): Promise<{ runId: string }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [run] = await runsOf(workflowId);
    if (run) return run;
    if (Date.now() > deadline) throw new Error(`no run of ${workflowId} was recorded within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function multipart(values: Record<string, string | Blob>, extra: Record<string, string> = {}): FormData {
  const body = new FormData();
  for (const [key, value] of Object.entries(values)) {
    if (value instanceof File) body.append(`form.${key}`, value, value.name);
    else body.append(`form.${key}`, value);
  }
  for (const [name, value] of Object.entries(extra)) body.append(name, value);
  return body;
}

const post = (path: string, body: FormData | URLSearchParams) =>
  fetch(`${stack.url}${path}`, { method: 'POST', body, redirect: 'manual' });

test('a submitted form starts a run with its values, the file stored as a file value', async () => {
  const id = await publishedForm(
    [
      formNode({ title: 'New hire', fields: hireFields, confirmation: 'Thanks, we got it.' }),
      setNode('after', { greeting: 'Hello {{ $input.name }}' }),
    ],
    [chain('intake', 'after')],
  );
  const page = await fetch(`${stack.url}/form/${id}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  for (const label of ['New hire', 'Full name', 'Work email', 'Start date', 'CV'])
    expect([label, html.includes(label)]).toEqual([label, true]);
  expect(html).toContain('name="form.cv"');

  const cv = new File(['%PDF-1.4 a small CV'], 'ada-cv.pdf', { type: 'application/pdf' });
  const res = await post(
    `/form/${id}`,
    multipart({
      name: 'Ada Lovelace',
      email: ' ada@acme.test ',
      salary: '52000',
      start: '2026-10-05',
      team: 'Engineering',
      remote: 'true',
      notes: 'Line one\nline two',
      cv,
    }),
  );
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('Thanks, we got it.');

  const [run] = await runsOf(id);
  const finished = await waitForRunStatus(stack, run.runId);
  expect([finished.status, finished.mode]).toEqual(['succeeded', 'form']);
  const { cv: ref, ...values } = finished.output.after;
  expect(values).toEqual({
    name: 'Ada Lovelace',
    email: 'ada@acme.test',
    salary: 52000,
    start: '2026-10-05',
    team: 'Engineering',
    remote: true,
    notes: 'Line one\nline two',
    greeting: 'Hello Ada Lovelace',
  });
  expect(ref).toMatchObject({ name: 'ada-cv.pdf', mimeType: 'application/pdf', bytes: 19 });
  const file = await fetch(`${stack.url}/api/files/${ref.$batonFile}`, {
    headers: { Authorization: `Bearer ${stack.token}` },
  });
  expect(file.status).toBe(200);
  expect(await file.text()).toBe('%PDF-1.4 a small CV');
}, 120_000);

test('an express form runs in the web process, its nodes found also from the built app', async () => {
  // The web serves its Vite build in `baton test`: a runner found by a path relative to nodes/runners.ts is not
  // beside the bundle, and an express run is the web process loading runners itself.
  const created = await stack.api('POST', '/api/workflows', {
    name: `Express form ${Date.now()}`,
    document: {
      ...docWith(
        [
          formNode({ title: 'Quick note', fields: [field('note', 'text', { required: true })] }),
          setNode('after', { echoed: 'Note: {{ $input.note }}' }),
        ],
        [chain('intake', 'after')],
      ),
      settings: { mode: 'express' },
    },
  });
  expect(created.status).toBe(201);
  const id = created.body.workflow.id as string;
  expect((await stack.api('POST', `/api/workflows/${id}/publish`)).status).toBe(201);
  expect((await post(`/form/${id}`, multipart({ note: 'fast' }))).status).toBe(200);
  // An express run is recorded once it has ended (express/record-run.ts), which may be just after the answer.
  const run = await firstRunOf(id);
  const finished = await waitForRunStatus(stack, run.runId);
  expect([finished.status, finished.error?.message]).toEqual(['succeeded', undefined]);
  expect(finished.output.after.echoed).toBe('Note: fast');
}, 120_000);

test('refused answers are named next to their fields, kept, and start nothing', async () => {
  const id = await publishedForm([formNode({ title: 'New hire', fields: hireFields, maxFileMb: 10 })], []);
  const missing = await post(`/form/${id}`, new URLSearchParams({ 'form.email': 'ada@acme.test' }));
  expect(missing.status).toBe(400);
  const missingHtml = await missing.text();
  expect(missingHtml).toContain('Full name is required.');
  expect(missingHtml).toContain('Start date is required.');
  expect(missingHtml).toContain('value="ada@acme.test"');

  const wrong = await post(
    `/form/${id}`,
    new URLSearchParams({
      'form.name': 'Ada',
      'form.email': 'ada at acme',
      'form.salary': 'a lot',
      'form.start': 'next monday',
      'form.team': 'Marketing',
    }),
  );
  expect(wrong.status).toBe(400);
  const wrongHtml = await wrong.text();
  expect(wrongHtml).toContain('Work email must be an email address such as name@example.com.');
  expect(wrongHtml).toContain('Salary must be a number.');
  expect(wrongHtml).toContain('Start date must be a date (YYYY-MM-DD).');
  expect(wrongHtml).toContain('Team must be one of &quot;Sales&quot;, &quot;Engineering&quot;.');
  expect(wrongHtml).toContain('value="Ada"');
  expect(wrongHtml).toContain('aria-invalid="true"');

  const huge = new File([Buffer.alloc(50 * 1024 * 1024, 1)], 'huge.bin', { type: 'application/octet-stream' });
  const tooLarge = await post(
    `/form/${id}`,
    multipart({ name: 'Ada', email: 'ada@acme.test', start: '2026-10-05', cv: huge }),
  );
  expect(tooLarge.status).toBe(400);
  expect(await tooLarge.text()).toContain('CV is larger than 10.0 MB (the file “huge.bin” is 50.0 MB).');

  expect(await runsOf(id)).toEqual([]);
}, 120_000);

test('a password form opens only with its password, kept in a credential', async () => {
  const credential = await stack.api('POST', '/api/credentials', {
    name: `Form password ${Date.now()}`,
    type: 'form-password',
    values: { password: 'open sesame' },
  });
  expect(credential.status).toBe(201);
  const id = await publishedForm(
    [
      formNode({
        title: 'Internal survey',
        fields: [field('answer', 'text', { required: true })],
        access: 'password',
        password: credential.body.credential.id,
      }),
    ],
    [],
  );
  const gate = await (await fetch(`${stack.url}/form/${id}`)).text();
  expect(gate).toContain('Type its password to open it');
  expect(gate).not.toContain('name="form.answer"');

  const noPass = await post(`/form/${id}`, new URLSearchParams({ 'form.answer': 'yes' }));
  expect(noPass.status).toBe(401);
  const forged = await post(
    `/form/${id}`,
    new URLSearchParams({ 'form.answer': 'yes', pass: `${Date.now() + 9e6}.abc` }),
  );
  expect(forged.status).toBe(403);
  const wrong = await post(`/form/${id}`, new URLSearchParams({ intent: 'password', password: 'open says me' }));
  expect(wrong.status).toBe(403);
  expect(await wrong.text()).toContain('That password is not right.');
  expect(await runsOf(id)).toEqual([]);

  const right = await post(`/form/${id}`, new URLSearchParams({ intent: 'password', password: 'open sesame' }));
  expect(right.status).toBe(200);
  const unlocked = await right.text();
  expect(unlocked).toContain('name="form.answer"');
  const pass = /name="pass" value="([^"]+)"/.exec(unlocked)?.[1];
  expect(pass).toMatch(/^\d+\.[A-Za-z0-9_-]{43}$/);
  expect(unlocked).not.toContain('open sesame');

  const sent = await post(`/form/${id}`, new URLSearchParams({ 'form.answer': 'yes', pass: pass! }));
  expect(sent.status).toBe(200);
  const [run] = await runsOf(id);
  expect((await waitForRunStatus(stack, run.runId)).output).toEqual({ intake: { answer: 'yes' } });
}, 120_000);

/** Follows the run's form link until it opens a page (a redirect to `?step=`) or ends; returns where it landed. */
async function followRun(runPath: string): Promise<{ status: number; url: string; html: string }> {
  const deadline = Date.now() + 30_000;
  let url = `${stack.url}${runPath}`;
  for (;;) {
    const res = await fetch(url, { redirect: 'manual' });
    if (res.status === 302 || res.status === 303) {
      url = new URL(res.headers.get('Location')!, stack.url).href;
      continue;
    }
    const html = await res.text();
    if (!html.includes('data-testid="form-waiting"') || Date.now() > deadline) return { status: res.status, url, html };
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('a two-step form: the submitter is taken to the Form node’s page, and its answers reach the run', async () => {
  const id = await publishedForm(
    [
      formNode({ title: 'Onboarding', fields: [field('name', 'text', { required: true })], confirmation: 'All done.' }),
      setNode('prepare', { welcome: 'Welcome {{ $input.name }}' }),
      anyNode('equipment', 'form', {
        title: 'Equipment',
        fields: [field('laptop', 'select', { options: 'Mac, Linux', required: true }), field('phone', 'boolean')],
      }),
      setNode('end', { who: '{{ $node("intake").name }}' }),
    ],
    [chain('intake', 'prepare'), chain('prepare', 'equipment'), chain('equipment', 'end')],
  );
  const first = await post(`/form/${id}`, new URLSearchParams({ 'form.name': 'Grace' }));
  expect(first.status).toBe(303);
  const runPath = first.headers.get('Location')!;
  expect(runPath).toMatch(/^\/form\/run\/run_[0-9a-f-]{36}\/[A-Za-z0-9_-]{43}$/);
  const runId = runPath.split('/')[3];

  const forged = await fetch(`${stack.url}${runPath.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))}`);
  expect(forged.status).toBe(404);

  const second = await followRun(runPath);
  expect(second.status).toBe(200);
  expect(second.url).toBe(`${stack.url}${runPath}?step=equipment`);
  expect(second.html).toContain('Equipment');
  expect(second.html).toContain('name="form.laptop"');

  const refused = await post(`${runPath}?step=equipment`, new URLSearchParams({ step: 'equipment' }));
  expect(refused.status).toBe(400);
  expect(await refused.text()).toContain('laptop is required.');

  const sent = await post(
    `${runPath}?step=equipment`,
    new URLSearchParams({ step: 'equipment', 'form.laptop': 'Linux', 'form.phone': 'true' }),
  );
  expect(sent.status).toBe(303);
  const done = await followRun(sent.headers.get('Location')!);
  expect(done.html).toContain('All done.');

  const run = await waitForRunStatus(stack, runId);
  expect(run.status).toBe('succeeded');
  expect(run.output).toEqual({ end: { laptop: 'Linux', phone: true, who: 'Grace' } });

  // The page was sent: its link says so, naming the form, and a second post changes nothing and echoes its answers.
  const used = await fetch(`${stack.url}${runPath}?step=equipment`);
  expect(used.status).toBe(410);
  expect(await used.text()).toContain('The page “Equipment” of the form “Onboarding” was already sent');
  const again = await post(
    `${runPath}?step=equipment`,
    new URLSearchParams({ step: 'equipment', 'form.laptop': 'Mac', 'form.phone': 'true' }),
  );
  expect(again.status).toBe(410);
  const againHtml = await again.text();
  expect(againHtml).toContain('was already sent');
  expect(againHtml).toContain('<dd>Mac</dd>');
  expect((await waitForRunStatus(stack, runId)).output).toEqual(run.output);
}, 120_000);

test('an expired Form page says so, and the run goes down "Expired"', async () => {
  const id = await publishedForm(
    [
      formNode({ title: 'Exit survey', fields: [field('name', 'text')] }),
      anyNode('followUp', 'form', {
        title: 'Follow-up',
        fields: [field('answer', 'text')],
        expires: 'after',
        expiresAmount: 1,
        expiresUnit: 'seconds',
      }),
      setNode('answered', { how: 'answered' }),
      setNode('late', { how: 'expired' }),
    ],
    [chain('intake', 'followUp'), chain('followUp', 'answered'), chain('followUp', 'late', 'timeout')],
  );
  const first = await post(`/form/${id}`, new URLSearchParams({ 'form.name': 'Lin' }));
  const runPath = first.headers.get('Location')!;
  const run = await waitForRunStatus(stack, runPath.split('/')[3]);
  expect(run.output).toEqual({ late: { name: 'Lin', how: 'expired' } });
  const runRecords = async () =>
    Promise.all(['', '/steps'].map(async (part) => (await stack.api('GET', `/api/runs/${run.runId}${part}`)).body));
  const recorded = await runRecords();
  expect(recorded[1].steps.map((s: { nodeId: string }) => s.nodeId)).toEqual(expect.arrayContaining(['followUp']));
  const expired = await fetch(`${stack.url}${runPath}?step=followUp`);
  expect(expired.status).toBe(410);
  expect(await expired.text()).toContain('The page “Follow-up” of the form “Exit survey” expired');
  const late = await post(
    `${runPath}?step=followUp`,
    new URLSearchParams({ step: 'followUp', 'form.answer': 'sorry' }),
  );
  expect(late.status).toBe(410);
  expect(await late.text()).toContain('<dd>sorry</dd>');
  // The late answer changed nothing: the run and its steps read as before.
  expect(await runRecords()).toEqual(recorded);
}, 120_000);

test('hostile labels and values are shown as text, never as markup', async () => {
  const hostile = '<script>alert("label")</script>';
  const id = await publishedForm(
    [
      formNode({
        title: '<img src=x onerror=alert(1)>',
        description: '<b>bold?</b>',
        fields: [
          { key: 'name', label: hostile, type: 'text', required: true },
          { key: 'email', label: 'Email', type: 'email', required: true },
        ],
      }),
    ],
    [],
  );
  const page = await (await fetch(`${stack.url}/form/${id}`)).text();
  expect(page).not.toContain(hostile);
  expect(page).not.toContain('<img src=x');
  expect(page).not.toContain('<b>bold?</b>');
  expect(page).toContain('&lt;script&gt;alert(&quot;label&quot;)&lt;/script&gt;');

  const value = '"><script>alert("value")</script>';
  const res = await post(`/form/${id}`, new URLSearchParams({ 'form.name': value, 'form.email': value }));
  expect(res.status).toBe(400);
  const html = await res.text();
  expect(html).not.toContain('<script>alert("value")');
  expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(&quot;value&quot;)&lt;/script&gt;"');
  expect(await runsOf(id)).toEqual([]);
}, 60_000);

async function signIn(email: string, password: string): Promise<string> {
  const res = await fetch(`${stack.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: stack.url },
    body: new URLSearchParams({ email, password, redirectTo: '/' }),
  });
  expect(res.status).toBe(302);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

test('a members-only form asks to sign in, refuses other workspaces, and records who submitted', async () => {
  const id = await publishedForm(
    [formNode({ title: 'Time off', fields: [field('days', 'number', { required: true })], access: 'members' })],
    [],
  );
  const anonymous = await fetch(`${stack.url}/form/${id}`, { redirect: 'manual' });
  expect(anonymous.status).toBe(302);
  expect(anonymous.headers.get('Location')).toBe(`/login?redirectTo=${encodeURIComponent(`/form/${id}`)}`);
  const anonymousPost = await post(`/form/${id}`, new URLSearchParams({ 'form.days': '3' }));
  expect(anonymousPost.status).toBe(302);

  await mongoose.connect(stack.mongoUri);
  const stranger = await createUser({ email: 'stranger@other.test', name: 'Stranger', password: 'stranger-password' });
  await createWorkspace({ name: 'Other company', ownerId: stranger.id });
  const strangerPage = await fetch(`${stack.url}/form/${id}`, {
    headers: { Cookie: await signIn('stranger@other.test', 'stranger-password') },
  });
  expect(strangerPage.status).toBe(403);
  expect(await strangerPage.text()).toContain('only for members of the workspace');

  const owner = await signIn('owner@baton.test', 'owner-password');
  expect((await fetch(`${stack.url}/form/${id}`, { headers: { Cookie: owner } })).status).toBe(200);
  const sent = await fetch(`${stack.url}/form/${id}`, {
    method: 'POST',
    headers: { Cookie: owner, Origin: stack.url },
    body: new URLSearchParams({ 'form.days': '3' }),
  });
  expect(sent.status).toBe(200);
  expect(await runsOf(id)).toHaveLength(1);
  const [run] = await runsOf(id);
  const me = (await stack.api('GET', '/api/me')).body.user;
  const finished = await waitForRunStatus(stack, run.runId);
  expect([finished.startedBy, finished.output]).toEqual([me.id, { intake: { days: 3 } }]);
  expect(await runsOf(id)).toHaveLength(1);
}, 60_000);

test('a form that ends with another page sends the browser there, also without scripts', async () => {
  const id = await publishedForm(
    [
      formNode({
        fields: [field('name', 'text')],
        ending: 'redirect',
        redirectUrl: 'https://intranet.acme.test/welcome?from=form&x="y"',
      }),
    ],
    [],
  );
  const res = await post(`/form/${id}`, new URLSearchParams({ 'form.name': 'Ada' }));
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toContain(
    '<noscript><meta http-equiv="refresh" content="0;url=https://intranet.acme.test/welcome?from=form&amp;x=&quot;y&quot;"/></noscript>',
  );
  expect(html).toContain('<a href="https://intranet.acme.test/welcome?from=form&amp;x=&quot;y&quot;">Continue</a>');
  expect(await runsOf(id)).toHaveLength(1);
}, 30_000);

test('an unknown or unpublished form is the same 404', async () => {
  const created = await stack.api('POST', '/api/workflows', {
    name: 'Draft form',
    document: docWith([formNode({ fields: [field('a', 'text')] })]),
  });
  for (const path of [`/form/${created.body.workflow.id}`, '/form/000000000000000000000000', '/form/nope']) {
    const res = await fetch(`${stack.url}${path}`);
    expect([path, res.status]).toEqual([path, 404]);
  }
}, 30_000);
