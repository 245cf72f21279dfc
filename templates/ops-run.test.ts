// The operations templates (offboarding, invoice approval, interview scheduling) run end to end as a user runs them:
// instantiated with their fixture.json's answers, created and published through the web API, started from their
// hosted form, decided by real approver users through the approvals API, run by a real worker. Every effect is read
// back where it landed: the identity API call on a loopback server, rows in a real PostgreSQL database, data table
// rows through the API, the exit survey's answers, mail in Mailpit (recipients, counts, texts, the attached PDF and
// invite), the event in Radicale and the message the Slack replay server accepted.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import { property, readEvents, textOf } from '../nodes/calendar-event/ics-read';
import { SLACK_API_URL_ENV } from '../nodes/slack/api-url';
import { attachmentContent, ensureMailpit, messagesTo, readMessage } from '../test/mailbox';
import { ensureRadicale, eventsIn, makeCalendar } from '../test/radicale';
import { startSlackReplay, type SlackReplay } from '../test/replay/slack';
import { postgresTestDatabase, type TestDatabase } from '../test/sql-servers';
import {
  decideWithForm,
  fillFormPage,
  loadTemplateFolder,
  runTag,
  startTemplateWorld,
  submitFormWithFiles,
  tagged,
  type Approver,
  type TemplateFixture,
  type TemplateFolder,
  type TemplateWorld,
  expectMails,
  type MailExpectation,
} from './template-world';

jest.setTimeout(300_000);

let world: TemplateWorld;
let db: TestDatabase;
let slack: SlackReplay;
const ownServices: Array<{ stop(): Promise<void> }> = [];

beforeAll(async () => {
  // Started here only when the environment names none (a jest run outside `npm test`), and stopped after.
  ownServices.push(await ensureMailpit(), await ensureRadicale());
  db = await postgresTestDatabase('ops_templates');
  slack = await startSlackReplay();
  // The web and worker processes the world starts inherit this environment: Slack calls reach the replay server.
  process.env[SLACK_API_URL_ENV] = slack.apiUrl;
  world = await startTemplateWorld('ops_templates');
}, 300_000);

afterAll(async () => {
  await world?.stop();
  await slack?.close();
  await db?.drop();
  delete process.env[SLACK_API_URL_ENV];
  for (const service of ownServices) await service.stop();
});

/** The template with its fixture's `{tag}` placeholders (and any others given) made unique to this test. */
function fixtureOf<F>(slug: string, more: Record<string, string> = {}): { template: TemplateFolder; fixture: F } {
  const template = loadTemplateFolder(slug);
  let fixture = tagged(template.fixture, runTag());
  for (const [name, value] of Object.entries(more))
    fixture = JSON.parse(JSON.stringify(fixture).replaceAll(`{${name}}`, value));
  return { template: { ...template, fixture }, fixture: fixture as unknown as F };
}

const credential = async (type: string, values: Record<string, unknown>): Promise<string> => {
  const res = await world.stack.api('POST', '/api/credentials', { name: `${type} ${runTag()}`, type, values });
  if (res.status !== 201) throw new Error(`POST /api/credentials (${type}) answered ${res.status}`);
  return res.body.credential.id;
};

const postgresCredential = () => credential('postgres', db.credential);

describe('Employee offboarding', () => {
  interface Recorded {
    method: string;
    path: string;
    headers: IncomingHttpHeaders;
    body: unknown;
  }
  type Fixture = TemplateFixture & {
    decisions: Array<{ form: Record<string, unknown> }>;
    pages: Record<string, Record<string, string>>;
    expect: {
      accounts: Array<{ email: string; active: boolean }>;
      deactivated: string[];
      revocation: { method: string; path: string; body: unknown };
      rows: Array<Record<string, unknown>>;
      survey: Record<string, unknown>;
      mails: MailExpectation[];
      rejection: {
        form: Record<string, string>;
        decision: { node: string; decision: 'reject'; comment: string };
        skipped: string[];
        mails: MailExpectation[];
      };
    };
  };

  const IDENTITY_TOKEN = `identity-token-${runTag()}`;
  const calls: Recorded[] = [];
  let identity: Server;
  let identityUrl: string;

  beforeAll(async () => {
    // The identity service: records each call and answers as a REST API does when it creates a revocation.
    identity = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        calls.push({ method: req.method!, path: req.url!, headers: req.headers, body: text ? JSON.parse(text) : null });
        res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ revoked: true }));
      });
    });
    await new Promise<void>((resolve) => identity.listen(0, '127.0.0.1', resolve));
    identityUrl = `http://127.0.0.1:${(identity.address() as AddressInfo).port}/api`;
    await db.sql('CREATE TABLE accounts (email text PRIMARY KEY, active boolean NOT NULL)');
  });

  afterAll(async () => {
    await new Promise((resolve) => identity?.close(resolve));
  });

  /** Installs the template with the fixture's inputs and a payroll approver who may decide. */
  async function install(template: TemplateFolder, fixture: Fixture) {
    const payroll = await world.addApprover(String(fixture.inputs.payrollEmail));
    const tables = await world.createTables(template);
    const workflowId = await world.install(template, {
      inputs: fixture.inputs,
      credentials: {
        mail: await world.smtpCredential(),
        identity: await credential('bearer-token', { token: IDENTITY_TOKEN }),
        accountsDb: await postgresCredential(),
      },
      tables,
    });
    return { payroll, tables, workflowId };
  }

  /** The identity API calls made for one employee. */
  const callsFor = (email: string) => calls.filter((c) => (c.body as { email?: string } | null)?.email === email);

  test('access revoked, final pay approved, equipment listed, exit survey answered, manager briefed', async () => {
    const { template, fixture } = fixtureOf<Fixture>('offboarding', { identityApi: identityUrl });
    const want = fixture.expect;
    for (const a of want.accounts) await db.sql('INSERT INTO accounts VALUES ($1, $2)', [a.email, a.active]);
    const { payroll, tables, workflowId } = await install(template, fixture);

    const form = await submitFormWithFiles(world, workflowId, fixture.form);
    const [pay] = fixture.decisions;
    await decideWithForm(world, payroll, form.runId, pay.node, pay.decision, pay.form, pay.comment);
    await fillFormPage(world, form, 'exit-survey', fixture.pages['exit-survey']);
    const run = await world.waitForRun(form.runId);
    expect([run.status, run.error?.message]).toEqual([want.status, undefined]);

    const revoked = callsFor(String(fixture.form.employeeEmail));
    expect(revoked.map((c) => ({ method: c.method, path: c.path, body: c.body }))).toEqual([want.revocation]);
    expect(revoked[0].headers.authorization).toBe(`Bearer ${IDENTITY_TOKEN}`);
    expect(revoked[0].headers['idempotency-key']).toEqual(expect.any(String));

    const accounts = await db.sql<{ email: string; active: boolean }>(
      'SELECT email, active FROM accounts WHERE email = ANY($1) ORDER BY email',
      [want.accounts.map((a) => a.email)],
    );
    expect(accounts).toEqual(
      want.accounts
        .map((a) => ({ email: a.email, active: !want.deactivated.includes(a.email) }))
        .sort((a, b) => a.email.localeCompare(b.email)),
    );

    const rows = await world.tableRows(tables.equipment);
    expect(
      rows.map((r) => ({ Employee: r.Employee, Item: r.Item, Returned: r.Returned, 'Last day': r['Last day'] })),
    ).toEqual(want.rows);
    expect(await world.stepOutput(form.runId, 'exit-survey')).toEqual(want.survey);
    await expectMails(want.mails);
    // The survey's answers are for HR: the manager's summary says only that it was answered.
    const summary = (await messagesTo(String(fixture.form.managerEmail)))[0];
    expect((await readMessage(summary.ID)).Text).not.toContain(String(want.survey.whyLeaving));
  });

  test('final pay not approved: put on hold with a note to the manager; no checklist, no survey, no summary', async () => {
    const { template, fixture } = fixtureOf<Fixture>('offboarding', { identityApi: identityUrl });
    const { rejection } = fixture.expect;
    const { payroll, tables, workflowId } = await install(template, fixture);

    const form = await submitFormWithFiles(world, workflowId, rejection.form);
    const d = rejection.decision;
    await world.decide(payroll, form.runId, d.node, d.decision, d.comment);
    const run = await world.waitForRun(form.runId);
    expect([run.status, run.error?.message]).toEqual(['succeeded', undefined]);

    expect(callsFor(rejection.form.employeeEmail)).toHaveLength(1);
    await expectMails(rejection.mails);
    const steps = await world.steps(form.runId);
    const statusOf = (id: string) => steps.find((s) => s.nodeId === id)?.status;
    expect(rejection.skipped.map(statusOf)).toEqual(rejection.skipped.map(() => 'skipped'));
    expect(await world.tableRows(tables.equipment)).toEqual([]);
  });
});

describe('Invoice approval', () => {
  interface Case {
    title: string;
    form: Record<string, string>;
    decisions: Array<{ node: string; who: 'fm' | 'cfo'; decision: 'approve' | 'reject'; comment?: string }>;
    row: Record<string, unknown>;
    apSubject: string;
    apTextContains?: string;
    approvalMails: Record<'fm' | 'cfo', number>;
  }
  type Fixture = TemplateFixture & { expect: { status: string; cases: Case[] } };

  const { template, fixture } = fixtureOf<Fixture>('invoice-approval');
  const approvers = {} as Record<'fm' | 'cfo', Approver>;
  let workflowId: string;

  beforeAll(async () => {
    await db.sql(`CREATE TABLE invoices (
      id serial PRIMARY KEY, invoice_number text UNIQUE NOT NULL, vendor text NOT NULL, amount numeric(12, 2) NOT NULL,
      currency text NOT NULL, status text NOT NULL, decided_by text, comment text, pdf_name text,
      recorded_at timestamptz NOT NULL DEFAULT now())`);
    approvers.fm = await world.addApprover(String(fixture.inputs.financeManagerEmail));
    approvers.cfo = await world.addApprover(String(fixture.inputs.cfoEmail));
    workflowId = await world.install(template, {
      inputs: fixture.inputs,
      credentials: { mail: await world.smtpCredential(), financeDb: await postgresCredential() },
    });
  });

  /** The messages to `address` about one invoice, once `count` of them arrived (or what arrived in 20 s). */
  async function mailsAbout(address: string, invoiceNumber: string, count: number) {
    const about = async () =>
      (await messagesTo(address)).filter((m) => m.Subject.includes(`Invoice ${invoiceNumber} `));
    const deadline = Date.now() + 20_000;
    while ((await about()).length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    return about();
  }

  test.each(fixture.expect.cases.map((c) => [c.title, c] as const))('%s', async (_title, c) => {
    const pdfBytes = `%PDF-1.4 invoice ${c.form.invoiceNumber}`;
    const pdf = new File([pdfBytes], `${c.form.invoiceNumber}.pdf`, { type: 'application/pdf' });
    const { runId } = await submitFormWithFiles(world, workflowId, { ...fixture.form, ...c.form, pdf });
    for (const d of c.decisions) await world.decide(approvers[d.who], runId, d.node, d.decision, d.comment);
    const run = await world.waitForRun(runId);
    expect([run.status, run.error?.message]).toEqual([fixture.expect.status, undefined]);

    const [row] = await db.sql('SELECT * FROM invoices WHERE invoice_number = $1', [c.form.invoiceNumber]);
    expect(row).toMatchObject({
      invoice_number: c.form.invoiceNumber,
      vendor: fixture.form.vendor,
      currency: fixture.form.currency,
      pdf_name: pdf.name,
      ...c.row,
    });

    const sent = await mailsAbout(String(fixture.inputs.accountsPayableEmail), c.form.invoiceNumber, 1);
    expect(sent.map((m) => m.Subject)).toEqual([c.apSubject]);
    const message = await readMessage(sent[0].ID);
    if (c.apTextContains) expect(message.Text).toContain(c.apTextContains);
    const attached = message.Attachments.find((a) => a.FileName === pdf.name);
    expect((await attachmentContent(message.ID, attached!.PartID)).toString('utf8')).toBe(pdfBytes);

    const asked = async (who: 'fm' | 'cfo') =>
      (await mailsAbout(approvers[who].email, c.form.invoiceNumber, c.approvalMails[who])).length;
    expect({ fm: await asked('fm'), cfo: await asked('cfo') }).toEqual(c.approvalMails);
    const steps = await world.steps(runId);
    const ran = (id: string) => steps.find((s) => s.nodeId === id)?.status === 'succeeded';
    expect(c.decisions.map((d) => d.node).every(ran)).toBe(true);
  });
});

describe('Candidate interview scheduling', () => {
  type Fixture = TemplateFixture & {
    decisions: Array<{ who: string; form: Record<string, unknown> }>;
    expect: {
      status: string;
      event: { summary: string; dtstart: string; dtend: string; location: string };
      slack: { channel: string; textContains: string };
      mails: MailExpectation[];
      decline: {
        form: Record<string, string>;
        decision: { node: string; who: string; decision: 'reject'; comment: string };
        skipped: string[];
        mails: MailExpectation[];
      };
    };
  };

  /** Installs the template with the fixture's inputs into a new calendar; the interviewers may decide. */
  async function install(fixture: Fixture, template: TemplateFolder, interviewers: string) {
    const people = new Map<string, Approver>();
    for (const email of interviewers.split(',').map((s) => s.trim())) people.set(email, await world.addApprover(email));
    const workflowId = await world.install(template, {
      inputs: fixture.inputs,
      credentials: {
        mail: await world.smtpCredential(),
        calendarServer: await world.caldavCredential(),
        slack: await credential('slack-bot', { token: slack.token }),
      },
    });
    return { people, workflowId };
  }

  test('an interviewer moves the slot; the event, the invite, the Slack post and the confirmation follow it', async () => {
    const calendar = await makeCalendar('interviews');
    const { template, fixture } = fixtureOf<Fixture>('interview-scheduling', { calendar: calendar.displayName });
    const want = fixture.expect;
    const { people, workflowId } = await install(fixture, template, String(fixture.form.interviewers));
    const postedBefore = slack.posted.length;

    const { runId } = await submitFormWithFiles(world, workflowId, fixture.form);
    const [confirm] = fixture.decisions;
    await decideWithForm(
      world,
      people.get(confirm.who)!,
      runId,
      confirm.node,
      confirm.decision,
      confirm.form,
      confirm.comment,
    );
    const run = await world.waitForRun(runId);
    expect([run.status, run.error?.message]).toEqual([want.status, undefined]);

    const events = (await eventsIn(calendar)).flatMap((s) => readEvents(s.data));
    expect(events).toHaveLength(1);
    const [event] = events;
    expect({
      summary: textOf(event, 'SUMMARY'),
      dtstart: `DTSTART:${property(event, 'DTSTART')?.value}`,
      dtend: `DTEND:${property(event, 'DTEND')?.value}`,
      location: textOf(event, 'LOCATION'),
    }).toEqual(want.event);
    const created = (await world.stepOutput(runId, 'calendar-event')) as { uid: string };
    expect(property(event, 'UID')?.value).toBe(created.uid);

    await expectMails(want.mails);
    const candidate = (await messagesTo(String(fixture.form.candidateEmail)))[0];
    const invite = await readMessage(candidate.ID);
    const ics = invite.Attachments.find((a) => a.FileName === 'invite.ics')!;
    const [invited] = readEvents((await attachmentContent(invite.ID, ics.PartID)).toString('utf8'));
    expect(property(invited, 'UID')?.value).toBe(created.uid);
    expect(`DTSTART:${property(invited, 'DTSTART')?.value}`).toBe(want.event.dtstart);

    const posted = slack.posted.slice(postedBefore);
    expect(posted.map((p) => p.channel)).toEqual([want.slack.channel]);
    expect(posted[0].text).toContain(want.slack.textContains);
  });

  test('the interviewers decline: the recruiter is asked for another slot; no event, invite or post', async () => {
    const calendar = await makeCalendar('interviews');
    const { template, fixture } = fixtureOf<Fixture>('interview-scheduling', { calendar: calendar.displayName });
    const { decline } = fixture.expect;
    const { people, workflowId } = await install(fixture, template, decline.form.interviewers);
    const postedBefore = slack.posted.length;

    const { runId } = await submitFormWithFiles(world, workflowId, decline.form);
    const d = decline.decision;
    await world.decide(people.get(d.who)!, runId, d.node, d.decision, d.comment);
    const run = await world.waitForRun(runId);
    expect([run.status, run.error?.message]).toEqual(['succeeded', undefined]);

    await expectMails(decline.mails);
    const steps = await world.steps(runId);
    const statusOf = (id: string) => steps.find((s) => s.nodeId === id)?.status;
    expect(decline.skipped.map(statusOf)).toEqual(decline.skipped.map(() => 'skipped'));
    expect(await eventsIn(calendar)).toEqual([]);
    expect(slack.posted.slice(postedBefore)).toEqual([]);
  });
});
