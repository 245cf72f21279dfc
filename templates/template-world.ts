// The shared harness for end-to-end tests of workflow templates: one web stack with a worker, and the steps a
// person takes to use a template, each over HTTP: make the credentials and data tables it asks for, instantiate it
// (contracts/templates.ts), create and publish the workflow, submit its hosted form, decide its approvals as a real
// approver user, wait for the run, and read back its steps and files.
//
// Use it like this (one world per test file, shared by its describes):
//   const world = await startTemplateWorld('hr', { bamboo: true });          // in beforeAll; world.stop() in afterAll
//   const template = loadTemplateFolder('hr-onboarding');                    // workflow.json + template.json + …
//   const mail = await world.smtpCredential();                               // Mailpit; caldavCredential(), bambooCredential()
//   const tables = await world.createTables(template);                       // { key: tableId } from template.tables
//   const workflowId = await world.install(template, { inputs, credentials: { mail }, tables });
//   const approver = await world.addApprover('director-123@acme.test');      // a workspace member with an approve token
//   const runId = await world.submitForm(workflowId, template.fixture.form);  // as the signed-in owner
//   await world.decide(approver, runId, 'approval', 'approve', 'Welcome aboard');
//   const run = await world.waitForRun(runId);                               // { status, output, error }
//   const offer = await world.stepOutput(runId, 'offerPdf');                 // a node's output, by node id
//   const bytes = await world.readFile(offer.file);                          // a file value's bytes
import { readFileSync } from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { instantiateTemplate, parseTemplateMeta, type Template } from '../contracts/templates';
import { createApiToken } from '../db/api-tokens';
import { createUser } from '../db/users';
import { addMember } from '../db/workspaces';
import { BAMBOOHR_API_URL_ENV } from '../nodes/bamboohr/api-url';
import { startBambooReplay, type BambooReplay } from '../test/replay/bamboohr';
import { isTerminalRunStatus } from '../contracts/run-status';
import { caldavAccount } from '../test/radicale';
import { REPO_ROOT } from '../test/stack';
import { startWebStack, waitForRunStatus, type WebStack } from '../app/web-test-stack';
import { messagesTo, readMessage, waitForMessages } from '../test/mailbox';

/** What a template's end-to-end test drives and expects (fixture.json); `expect` is free-form per template. */
export interface TemplateFixture {
  inputs: Record<string, unknown>;
  form: Record<string, string>;
  decisions: Array<{ node: string; decision: 'approve' | 'reject'; comment?: string }>;
  expect: Record<string, unknown>;
}

export type TemplateFolder = Template & { fixture: TemplateFixture };

/** A member of the world's workspace who may approve, with an API token scoped to `approve`. */
export interface Approver {
  email: string;
  userId: string;
  token: string;
}

export interface StepRecord {
  nodeId: string;
  status: string;
  output?: any;
  error?: { message: string };
}

export interface TemplateWorld {
  stack: WebStack;
  workspaceId: string;
  /** The BambooHR replay server the worker calls, when started with `bamboo: true`. */
  bamboo?: BambooReplay;
  smtpCredential(): Promise<string>;
  caldavCredential(): Promise<string>;
  bambooCredential(): Promise<string>;
  /** Creates each of the template's tables (with a name unique to this run); returns their ids by key. */
  createTables(template: Template): Promise<Record<string, string>>;
  /** Instantiates the template, creates the workflow through the API and publishes it; returns its id. */
  install(
    template: Template,
    values: {
      inputs: Record<string, unknown>;
      credentials: Record<string, string>;
      tables?: Record<string, string>;
      name?: string;
    },
  ): Promise<string>;
  addApprover(email: string): Promise<Approver>;
  /** Posts the hosted form as a signed-in member would (multipart); returns the id of the run it started. */
  submitForm(workflowId: string, answers: Record<string, string>): Promise<string>;
  /** Waits for the run's open request of approval node `nodeId` in `approver`'s inbox and decides it. */
  decide(
    approver: Approver,
    runId: string,
    nodeId: string,
    decision: 'approve' | 'reject',
    comment?: string,
  ): Promise<void>;
  waitForRun(runId: string): Promise<{ status: string; output?: any; error?: { message: string } }>;
  steps(runId: string): Promise<StepRecord[]>;
  /** The output of the node `nodeId` in the run; fails naming the node when it did not succeed. */
  stepOutput(runId: string, nodeId: string): Promise<any>;
  readFile(ref: { $batonFile: string }): Promise<Buffer>;
  /** Every row of a data table, values by column name. */
  tableRows(tableId: string): Promise<Array<Record<string, unknown>>>;
  stop(): Promise<void>;
}

/** Reads templates/<slug>/: the document, the metadata, the README and the test's fixture. */
export function loadTemplateFolder(slug: string): TemplateFolder {
  const dir = path.join(REPO_ROOT, 'templates', slug);
  const json = (file: string) => JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  const { nodes, edges, settings } = json('workflow.json');
  return {
    ...parseTemplateMeta(json('template.json'), slug),
    slug,
    document: { nodes, edges, settings: settings ?? {} },
    readme: readFileSync(path.join(dir, 'README.md'), 'utf8'),
    fixture: json('fixture.json'),
  };
}

/** A word unique to this test run, for addresses and names (so Mailpit counts and table names are exact). */
export const runTag = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Replaces `{tag}` in every string of a fixture value, so fixed fixture addresses become unique per run. */
export function tagged<T>(value: T, tag: string): T {
  return JSON.parse(JSON.stringify(value).replaceAll('{tag}', tag)) as T;
}

const APPROVER_PASSWORD = 'template-approver-password';

/** Signs in through the login page; returns the session cookie. */
async function signIn(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: url },
    body: new URLSearchParams({ email, password }),
  });
  if (res.status !== 302) throw new Error(`Sign-in of ${email} answered ${res.status}.`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

export async function startTemplateWorld(name: string, opts: { bamboo?: boolean } = {}): Promise<TemplateWorld> {
  const bamboo = opts.bamboo ? await startBambooReplay() : undefined;
  const env: Record<string, string> = bamboo ? { [BAMBOOHR_API_URL_ENV]: bamboo.url } : {};
  let stack: WebStack;
  try {
    stack = await startWebStack(name, { worker: true, env });
  } catch (err) {
    await bamboo?.close(); // else its open server keeps the test process alive
    throw err;
  }
  await mongoose.connect(stack.mongoUri);
  const owner = (await stack.api('GET', '/api/me')).body.user;
  const membership = await mongoose.connection.collection('memberships').findOne({ userId: owner.id });
  const workspaceId = String(membership!.workspaceId);

  const ok = <T = any>(what: string, res: { status: number; body: T }, status = 201): T => {
    if (res.status !== status) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const credential = async (type: string, values: Record<string, unknown>) =>
    ok(
      `POST /api/credentials (${type})`,
      await stack.api('POST', '/api/credentials', { name: `${type} ${runTag()}`, type, values }),
    ).credential.id as string;
  const runIdsOf = async (workflowId: string): Promise<string[]> =>
    ok('GET /api/runs', await stack.api('GET', `/api/runs?workflowId=${workflowId}`), 200).runs.map(
      (r: { runId: string }) => r.runId,
    );

  let ownerCookie: string | undefined;
  const world: TemplateWorld = {
    stack,
    workspaceId,
    bamboo,
    smtpCredential() {
      const smtp = new URL(process.env.BATON_SMTP_URL ?? 'smtp://127.0.0.1:1025');
      return credential('smtp', {
        host: smtp.hostname,
        port: Number(smtp.port),
        secure: false,
        from: 'Baton HR <hr-robot@acme.test>',
      });
    },
    caldavCredential: () => credential('caldav', caldavAccount()),
    bambooCredential() {
      if (!bamboo) throw new Error('This template world has no BambooHR replay; start it with { bamboo: true }.');
      return credential('bamboohr', { companyDomain: bamboo.company, apiKey: bamboo.apiKey });
    },
    async createTables(template) {
      const ids: Record<string, string> = {};
      for (const table of template.tables ?? []) {
        const body = { name: `${table.name} ${runTag()}`, columns: table.columns };
        ids[table.key] = ok(
          `POST /api/data-tables (${table.key})`,
          await stack.api('POST', '/api/data-tables', body),
        ).table.id;
      }
      return ids;
    },
    async install(template, values) {
      const name = values.name ?? `${template.title} ${runTag()}`;
      const { document } = instantiateTemplate(template, { ...values, name });
      const created = ok('POST /api/workflows', await stack.api('POST', '/api/workflows', { name, document }));
      const id = created.workflow.id as string;
      ok(`POST /api/workflows/${id}/publish`, await stack.api('POST', `/api/workflows/${id}/publish`));
      return id;
    },
    async addApprover(email) {
      const user = await createUser({ email, name: email.split('@')[0], password: APPROVER_PASSWORD });
      await addMember(workspaceId, user.id, 'approver');
      const { token } = await createApiToken({ userId: user.id, workspaceId, name: 'approve', scopes: ['approve'] });
      return { email, userId: user.id, token };
    },
    async submitForm(workflowId, answers) {
      const before = new Set(await runIdsOf(workflowId));
      const body = new FormData();
      for (const [key, value] of Object.entries(answers)) body.append(`form.${key}`, value);
      // The templates' forms are for members: the owner signs in, as a colleague filling it in would.
      ownerCookie ??= await signIn(stack.url, 'owner@baton.test', 'owner-password');
      const res = await fetch(`${stack.url}/form/${workflowId}`, {
        method: 'POST',
        body,
        redirect: 'manual',
        headers: { Cookie: ownerCookie, Origin: stack.url },
      });
      if (res.status !== 200) throw new Error(`POST /form/${workflowId} answered ${res.status}: ${await res.text()}`);
      const started = (await runIdsOf(workflowId)).filter((id) => !before.has(id));
      if (started.length !== 1) throw new Error(`The form started ${started.length} runs, not one.`);
      return started[0];
    },
    async decide(approver, runId, nodeId, decision, comment) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const inbox = ok(
          'GET /api/approvals',
          await stack.api('GET', '/api/approvals', undefined, { token: approver.token }),
          200,
        );
        const request = inbox.approvals.find(
          (a: { runId: string; nodeId: string }) => a.runId === runId && a.nodeId === nodeId,
        );
        if (request) {
          const path = `/api/approvals/${request.id}/decision`;
          ok(
            `POST ${path}`,
            await stack.api('POST', path, { decision, ...(comment ? { comment } : {}) }, { token: approver.token }),
            200,
          );
          return;
        }
        const { run } = ok('GET /api/runs/:id', await stack.api('GET', `/api/runs/${runId}`), 200);
        if (isTerminalRunStatus(run.status))
          throw new Error(`Run ${runId} is ${run.status} before approval "${nodeId}" reached ${approver.email}.`);
        if (Date.now() > deadline)
          throw new Error(`Approval "${nodeId}" of run ${runId} did not reach ${approver.email}'s inbox.`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    waitForRun: (runId) => waitForRunStatus(stack, runId, 120_000),
    async steps(runId) {
      return ok('GET /api/runs/:id/steps', await stack.api('GET', `/api/runs/${runId}/steps`), 200).steps;
    },
    async stepOutput(runId, nodeId) {
      const step = (await world.steps(runId)).find((s) => s.nodeId === nodeId);
      if (step?.status !== 'succeeded')
        throw new Error(
          `Step "${nodeId}" of run ${runId} is ${step?.status ?? 'absent'}: ${step?.error?.message ?? ''}`,
        );
      return step.output;
    },
    async readFile(ref) {
      const res = await fetch(`${stack.url}/api/files/${ref.$batonFile}`, {
        headers: { Authorization: `Bearer ${stack.token}` },
      });
      if (res.status !== 200) throw new Error(`GET /api/files/${ref.$batonFile} answered ${res.status}`);
      return Buffer.from(await res.arrayBuffer());
    },
    async tableRows(tableId) {
      const page = ok('GET rows', await stack.api('GET', `/api/data-tables/${tableId}/rows?limit=500`), 200);
      return page.rows.map((r: { values: Record<string, unknown> }) => r.values);
    },
    async stop() {
      await mongoose.disconnect();
      await stack.stop();
      await bamboo?.close();
    },
  };
  return world;
}

// ---- Added for templates/ops-run.test.ts: forms with files and later pages, approvals with form values ------------

/** A form answer: text, or a file to upload. */
export type FormAnswer = string | File;

/**
 * Posts the hosted form with files (multipart) as the signed-in owner. Returns the run it started and, when the
 * workflow has Form pages (the web answers 303 to the run's form link), that link and the owner's session, with
 * which `fillFormPage` fills in the next page as the same member.
 */
export async function submitFormWithFiles(
  world: TemplateWorld,
  workflowId: string,
  answers: Record<string, FormAnswer>,
): Promise<{ runId: string; runPath?: string; cookie: string }> {
  const { url } = world.stack;
  const cookie = await signIn(url, 'owner@baton.test', 'owner-password');
  const runIds = async (): Promise<string[]> =>
    ((await world.stack.api('GET', `/api/runs?workflowId=${workflowId}`)).body?.runs ?? []).map(
      (r: { runId: string }) => r.runId,
    );
  const before = new Set(await runIds());
  const body = new FormData();
  for (const [key, value] of Object.entries(answers)) {
    if (typeof value === 'string') body.append(`form.${key}`, value);
    else body.append(`form.${key}`, value, value.name);
  }
  const res = await fetch(`${url}/form/${workflowId}`, {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { Cookie: cookie, Origin: url },
  });
  if (res.status === 303) {
    const runPath = res.headers.get('Location') ?? '';
    const runId = decodeURIComponent(runPath.split('/')[3] ?? '');
    if (!runId) throw new Error(`POST /form/${workflowId} redirected to "${runPath}", not to a run's form link.`);
    return { runId, runPath, cookie };
  }
  if (res.status !== 200) throw new Error(`POST /form/${workflowId} answered ${res.status}: ${await res.text()}`);
  const started = (await runIds()).filter((id) => !before.has(id));
  if (started.length !== 1)
    throw new Error(`The form of workflow ${workflowId} started ${started.length} runs, not one.`);
  return { runId: started[0], cookie };
}

/**
 * Follows a run's form link (as the member who started it) until it opens a Form node's page, checks the page is
 * `nodeId`'s, and posts `answers` to it. Fails naming the page it found instead, or the run's state.
 */
export async function fillFormPage(
  world: TemplateWorld,
  form: { runId: string; runPath?: string; cookie: string },
  nodeId: string,
  answers: Record<string, string>,
): Promise<void> {
  const { url } = world.stack;
  if (!form.runPath) throw new Error(`Run ${form.runId} has no form link: its workflow has no Form pages.`);
  const headers = { Cookie: form.cookie, Origin: url };
  const deadline = Date.now() + 120_000;
  let at = `${url}${form.runPath}`;
  for (;;) {
    const res = await fetch(at, { redirect: 'manual', headers });
    const location = res.headers.get('Location');
    if ((res.status === 302 || res.status === 303) && location) {
      at = new URL(location, url).href;
      continue;
    }
    const html = await res.text();
    const step = new URL(at).searchParams.get('step');
    if (res.status === 200 && step === nodeId) break;
    if (step && step !== nodeId) throw new Error(`Run ${form.runId}'s form opened page "${step}", not "${nodeId}".`);
    if (!html.includes('data-testid="form-waiting"'))
      throw new Error(
        `Run ${form.runId}'s form link answered ${res.status} without page "${nodeId}": ${html.slice(0, 300)}`,
      );
    if (Date.now() > deadline) throw new Error(`Run ${form.runId} did not reach Form page "${nodeId}".`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const body = new URLSearchParams({ step: nodeId });
  for (const [key, value] of Object.entries(answers)) body.append(`form.${key}`, value);
  const sent = await fetch(at, { method: 'POST', body, redirect: 'manual', headers });
  if (sent.status !== 303)
    throw new Error(`Posting page "${nodeId}" answered ${sent.status}: ${(await sent.text()).slice(0, 300)}`);
}

/** Like `world.decide`, with values for the approval's form fields. */
export async function decideWithForm(
  world: TemplateWorld,
  approver: Approver,
  runId: string,
  nodeId: string,
  decision: 'approve' | 'reject',
  form: Record<string, unknown>,
  comment?: string,
): Promise<void> {
  const { stack } = world;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const inbox = await stack.api('GET', '/api/approvals', undefined, { token: approver.token });
    if (inbox.status !== 200)
      throw new Error(`GET /api/approvals answered ${inbox.status}: ${JSON.stringify(inbox.body)}`);
    const request = inbox.body.approvals.find(
      (a: { runId: string; nodeId: string }) => a.runId === runId && a.nodeId === nodeId,
    );
    if (request) {
      const path = `/api/approvals/${request.id}/decision`;
      const res = await stack.api(
        'POST',
        path,
        { decision, form, ...(comment ? { comment } : {}) },
        { token: approver.token },
      );
      if (res.status !== 200) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
      return;
    }
    const { body } = await stack.api('GET', `/api/runs/${runId}`);
    if (isTerminalRunStatus(body?.run?.status))
      throw new Error(`Run ${runId} is ${body.run.status} before approval "${nodeId}" reached ${approver.email}.`);
    if (Date.now() > deadline)
      throw new Error(`Approval "${nodeId}" of run ${runId} did not reach ${approver.email}'s inbox.`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// ---- Mail checks shared by the template tests ----

/** What one address should have received; `textContains` is one text or several, all in the matching mail. */
export interface MailExpectation {
  to: string;
  count: number;
  subjectContains?: string;
  textContains?: string | string[];
  attachment?: string;
}

/** Each address got exactly `count` messages; the one matching the subject says what it should. */
export async function expectMails(expected: MailExpectation[]): Promise<void> {
  for (const mail of expected) if (mail.count > 0) await waitForMessages(mail.to, mail.count);
  for (const mail of expected) {
    const got = await messagesTo(mail.to);
    expect([mail.to, got.length]).toEqual([mail.to, mail.count]);
    if (!mail.subjectContains) continue;
    const hit = got.find((m) => m.Subject.includes(mail.subjectContains!));
    expect([mail.to, hit?.Subject]).toEqual([mail.to, expect.stringContaining(mail.subjectContains)]);
    const message = await readMessage(hit!.ID);
    for (const text of [mail.textContains ?? []].flat()) expect(message.Text).toContain(text);
    if (mail.attachment) expect(message.Attachments.map((a) => a.FileName)).toContain(mail.attachment);
  }
}
