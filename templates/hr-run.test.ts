// The HR templates run end to end as a user runs them: instantiated with the answers of their fixture.json, created
// and published through the web API, started by submitting their hosted form, decided by a real approver, run by a
// real worker. Every effect is read back where it landed: mail from Mailpit (recipients, counts, the attached offer
// letter), the employee and the time off in the BambooHR replay, events from Radicale, rows through the data table
// API, and the generated DOCX and PDF opened and read.
import { jest } from '@jest/globals';
import { attachmentContent, ensureMailpit, messagesTo, readMessage } from '../test/mailbox';
import { ensureRadicale, eventsIn, makeCalendar } from '../test/radicale';
import { docxText, pdfText } from '../nodes/documents/testing';
import { property, readEvents, textOf } from '../nodes/calendar-event/ics-read';
import { diagnoseTemplate } from '../app/lib/templates.server';
import {
  loadTemplateFolder,
  runTag,
  startTemplateWorld,
  tagged,
  type TemplateFolder,
  type TemplateWorld,
  expectMails,
  type MailExpectation,
} from './template-world';

jest.setTimeout(240_000);

let world: TemplateWorld;
let services: Array<{ stop(): Promise<void> }> = [];

beforeAll(async () => {
  // Before the worker starts: it inherits BATON_SMTP_URL and BATON_CALDAV_URL.
  services = [await ensureMailpit(), await ensureRadicale()];
  world = await startTemplateWorld('hr_templates', { bamboo: true });
}, 300_000);

afterAll(async () => {
  await world?.stop();
  for (const service of services) await service.stop();
});

/** The template's targets fit its workflow, and the workflow compiles once configured (as the gallery checks it). */
function expectNoDiagnostics(slug: string): void {
  expect(diagnoseTemplate(loadTemplateFolder(slug))).toEqual([]);
}

/** The template with its fixture's `{tag}` placeholders made unique to this test. */
function fixtureOf(slug: string): { template: TemplateFolder; tag: string } {
  const tag = runTag();
  const template = loadTemplateFolder(slug);
  return { template: { ...template, fixture: tagged(template.fixture, tag) }, tag };
}

describe('HR onboarding', () => {
  const credentials: Record<string, string> = {};
  let calendarName: string;
  let calendar: Awaited<ReturnType<typeof makeCalendar>>;

  beforeAll(async () => {
    credentials.mail = await world.smtpCredential();
    credentials.calendar = await world.caldavCredential();
    credentials.bamboohr = await world.bambooCredential();
    calendar = await makeCalendar('onboarding');
    calendarName = calendar.displayName;
  });

  /** Installs the template with the fixture's inputs (and a director who may approve); returns the workflow id. */
  async function install(template: TemplateFolder) {
    const { inputs } = template.fixture;
    const director = await world.addApprover(String(inputs.hrDirectorEmail));
    const tables = await world.createTables(template);
    const workflowId = await world.install(template, {
      inputs: { ...inputs, calendar: calendarName },
      credentials,
      tables,
    });
    return { director, tables, workflowId };
  }

  test('loads with no template diagnostics', () => expectNoDiagnostics('hr-onboarding'));

  test('an approved offer: letter, BambooHR employee, welcome mail with the PDF, first-day events, IT rows, summary', async () => {
    const { template } = fixtureOf('hr-onboarding');
    const {
      form,
      decisions,
      expect: want,
    } = template.fixture as TemplateFolder['fixture'] & {
      expect: {
        fullName: string;
        mails: MailExpectation[];
        bamboohr: Record<string, string>;
        event: { summary: string; dtstart: string };
        rows: Array<Record<string, unknown>>;
        documentContains: string[];
      };
    };
    const { director, tables, workflowId } = await install(template);
    const runId = await world.submitForm(workflowId, form);
    for (const d of decisions) await world.decide(director, runId, d.node, d.decision, d.comment);
    const run = await world.waitForRun(runId);
    expect([run.status, run.error?.message]).toEqual([want.status, undefined]);

    const docx = docxText(await world.readFile((await world.stepOutput(runId, 'offerDocx')).file));
    const pdf = pdfText(await world.readFile((await world.stepOutput(runId, 'offerPdf')).file)).replace(/\n/g, ' ');
    for (const text of want.documentContains) {
      expect(docx).toContain(text);
      expect(pdf).toContain(text);
    }

    await expectMails(want.mails);
    const welcome = (await messagesTo(String(form.personalEmail))).find((m) => m.Subject.startsWith('Welcome'))!;
    const attached = (await readMessage(welcome.ID)).Attachments.find((a) => a.FileName.endsWith('.pdf'))!;
    expect(pdfText(await attachmentContent(welcome.ID, attached.PartID)).replace(/\n/g, ' ')).toContain(want.fullName);

    const created = await world.stepOutput(runId, 'bamboo');
    expect(world.bamboo!.employees.get(String(created.id))).toEqual(want.bamboohr);

    const stored = await eventsIn(calendar);
    const events = stored.flatMap((s) => readEvents(s.data));
    expect(events.map((e) => [textOf(e, 'SUMMARY'), property(e, 'DTSTART')?.value])).toEqual([
      [want.event.summary, want.event.dtstart],
    ]);
    const invite = (await world.stepOutput(runId, 'invite')) as { uid: string };
    expect(property(events[0], 'UID')?.value).toBe(invite.uid);

    const rows = await world.tableRows(tables.equipment);
    expect(rows.map((r) => ({ Employee: r.Employee, Item: r.Item, Due: r.Due, Done: r.Done }))).toEqual(want.rows);
    expect(new Set(rows.map((r) => r['Work email']))).toEqual(new Set([form.workEmail]));
  });

  test('a rejected offer is put on hold with a note to HR; the candidate hears nothing, the run ends cleanly', async () => {
    const { template } = fixtureOf('hr-onboarding');
    const { rejection } = template.fixture.expect as {
      rejection: {
        form: Record<string, string>;
        decision: { node: string; decision: 'reject'; comment: string };
        mails: MailExpectation[];
      };
    };
    const { director, tables, workflowId } = await install(template);
    const bambooBefore = world.bamboo!.employees.size;
    const runId = await world.submitForm(workflowId, rejection.form);
    const d = rejection.decision;
    await world.decide(director, runId, d.node, d.decision, d.comment);
    const run = await world.waitForRun(runId);
    expect([run.status, run.error?.message]).toEqual(['succeeded', undefined]);

    await expectMails(rejection.mails);
    const steps = await world.steps(runId);
    const statusOf = (id: string) => steps.find((s) => s.nodeId === id)?.status;
    expect(['onHold', 'bamboo', 'welcome', 'itTasks'].map(statusOf)).toEqual([
      'succeeded',
      'skipped',
      'skipped',
      'skipped',
    ]);
    expect(world.bamboo!.employees.size).toBe(bambooBefore);
    expect(await world.tableRows(tables.equipment)).toEqual([]);
  });
});

describe('PTO request', () => {
  const credentials: Record<string, string> = {};
  let calendar: Awaited<ReturnType<typeof makeCalendar>>;
  let nextEmployeeId = 70_000;

  beforeAll(async () => {
    credentials.mail = await world.smtpCredential();
    credentials.bamboohr = await world.bambooCredential();
    credentials.calendar = await world.caldavCredential();
    calendar = await makeCalendar('absences');
  });

  /** The employee of the fixture in BambooHR's directory, the manager as an approver, the workflow published. */
  async function install(template: TemplateFolder) {
    const fixture = template.fixture as TemplateFolder['fixture'] & { employee: Record<string, string> };
    const employeeId = String(nextEmployeeId++);
    world.bamboo!.employees.set(employeeId, fixture.employee);
    const manager = await world.addApprover(fixture.form.managerEmail);
    const workflowId = await world.install(template, {
      inputs: { ...fixture.inputs, calendar: calendar.displayName },
      credentials,
    });
    return { employeeId, manager, workflowId };
  }

  const timeOffOf = (employeeId: string) =>
    world
      .bamboo!.timeOff.filter((r) => r.employeeId === employeeId)
      .map((r) => ({
        start: r.start,
        end: r.end,
        type: r.type.id,
        amount: r.amount.amount,
        status: r.status.status,
        note: r.notes.employee,
      }));

  test('loads with no template diagnostics', () => expectNoDiagnostics('pto-request'));

  test('approved time off is booked in BambooHR, blocked in the calendar and confirmed by email', async () => {
    const { template } = fixtureOf('pto-request');
    const {
      form,
      decisions,
      expect: want,
    } = template.fixture as TemplateFolder['fixture'] & {
      expect: {
        timeOff: Record<string, string>;
        event: { summary: string; dtstart: string; dtend: string };
        mails: MailExpectation[];
      };
    };
    const { employeeId, manager, workflowId } = await install(template);
    const runId = await world.submitForm(workflowId, form);
    for (const d of decisions) await world.decide(manager, runId, d.node, d.decision, d.comment);
    const run = await world.waitForRun(runId);
    expect([run.status, run.error?.message]).toEqual([want.status, undefined]);

    expect(timeOffOf(employeeId)).toEqual([want.timeOff]);
    const events = (await eventsIn(calendar)).flatMap((s) => readEvents(s.data));
    expect(
      events.map((e) => [textOf(e, 'SUMMARY'), property(e, 'DTSTART')?.value, property(e, 'DTEND')?.value]),
    ).toEqual([[want.event.summary, want.event.dtstart, want.event.dtend]]);
    await expectMails(want.mails);
  });

  test('a declined request books nothing and tells the employee why', async () => {
    const { template } = fixtureOf('pto-request');
    const { rejection } = template.fixture.expect as {
      rejection: { form: Record<string, string>; decision: { node: string; decision: 'reject'; comment: string } };
    } & { rejection: { mails: MailExpectation[] } };
    const { employeeId, manager, workflowId } = await install(template);
    const eventsBefore = (await eventsIn(calendar)).length;
    const runId = await world.submitForm(workflowId, rejection.form);
    await world.decide(
      manager,
      runId,
      rejection.decision.node,
      rejection.decision.decision,
      rejection.decision.comment,
    );
    const run = await world.waitForRun(runId);
    expect([run.status, run.error?.message]).toEqual(['succeeded', undefined]);

    expect(timeOffOf(employeeId)).toEqual([]);
    expect((await eventsIn(calendar)).length).toBe(eventsBefore);
    await expectMails(rejection.mails);
  });
  test('someone BambooHR does not know is told so, with HR in copy, and no manager is asked', async () => {
    const { template } = fixtureOf('pto-request');
    const { notFound } = template.fixture.expect as {
      notFound: { form: Record<string, string>; mails: MailExpectation[] };
    };
    const { workflowId } = await install(template);
    const runId = await world.submitForm(workflowId, notFound.form);
    const run = await world.waitForRun(runId);
    expect([run.status, run.error?.message]).toEqual(['succeeded', undefined]);

    const steps = await world.steps(runId);
    expect(['notFound', 'approval', 'timeOff'].map((id) => steps.find((s) => s.nodeId === id)?.status)).toEqual([
      'succeeded',
      'skipped',
      'skipped',
    ]);
    await expectMails(notFound.mails);
  });
});

describe('Equipment request', () => {
  const credentials: Record<string, string> = {};

  beforeAll(async () => {
    credentials.mail = await world.smtpCredential();
  });

  async function install(template: TemplateFolder) {
    const manager = await world.addApprover(template.fixture.form.managerEmail);
    const tables = await world.createTables(template);
    const workflowId = await world.install(template, { inputs: template.fixture.inputs, credentials, tables });
    return { manager, tables, workflowId };
  }

  type Case = { form: Record<string, string>; rows: Array<Record<string, unknown>>; mails: MailExpectation[] };

  test('loads with no template diagnostics', () => expectNoDiagnostics('equipment-request'));

  test('a request over the limit is approved by the manager, logged for IT, and both IT and the requester hear', async () => {
    const { template } = fixtureOf('equipment-request');
    const {
      form,
      decisions,
      expect: want,
    } = template.fixture as TemplateFolder['fixture'] & {
      expect: Omit<Case, 'form'> & { status: string };
    };
    const { manager, tables, workflowId } = await install(template);
    const runId = await world.submitForm(workflowId, form);
    for (const d of decisions) await world.decide(manager, runId, d.node, d.decision, d.comment);
    const run = await world.waitForRun(runId);
    expect([run.status, run.error?.message]).toEqual([want.status, undefined]);

    expect(await world.tableRows(tables.requests)).toEqual(want.rows);
    await expectMails(want.mails);
  });

  test('a request under the limit is approved without asking anyone', async () => {
    const { template } = fixtureOf('equipment-request');
    const { autoApproved } = template.fixture.expect as { autoApproved: Case };
    const { tables, workflowId } = await install(template);
    const runId = await world.submitForm(workflowId, autoApproved.form);
    const run = await world.waitForRun(runId);
    expect([run.status, run.error?.message]).toEqual(['succeeded', undefined]);

    expect((await world.steps(runId)).find((s) => s.nodeId === 'approval')?.status).toBe('skipped');
    expect(await world.tableRows(tables.requests)).toEqual(autoApproved.rows);
    await expectMails(autoApproved.mails);
  });

  test('a declined request is neither logged nor sent to IT, and the requester hears why', async () => {
    const { template } = fixtureOf('equipment-request');
    const { rejection } = template.fixture.expect as {
      rejection: Omit<Case, 'rows'> & { decision: { node: string; decision: 'reject'; comment: string } };
    };
    const { manager, tables, workflowId } = await install(template);
    const runId = await world.submitForm(workflowId, rejection.form);
    await world.decide(
      manager,
      runId,
      rejection.decision.node,
      rejection.decision.decision,
      rejection.decision.comment,
    );
    const run = await world.waitForRun(runId);
    expect([run.status, run.error?.message]).toEqual(['succeeded', undefined]);

    expect(await world.tableRows(tables.requests)).toEqual([]);
    await expectMails(rejection.mails);
  });
});
