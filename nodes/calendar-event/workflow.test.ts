// Calendar nodes in a real run (Temporal, a worker process, the store, Radicale, Mailpit): a new hire's first day is
// written to the calendar from the trigger's data, then emailed as an invite that carries the same UID, so the
// attendee's calendar and the shared one hold one event.
import { randomUUID } from 'node:crypto';
import { attachmentContent, ensureMailpit, messagesTo, waitForMessage, type Mailpit } from '../../test/mailbox';
import { ensureRadicale, eventsIn, makeCalendar, type Radicale } from '../../test/radicale';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../../test/run-harness';
import { property, readEvents, textOf } from './ics-read';

let mailpit: Mailpit;
let radicale: Radicale;
let harness: RunHarness;
beforeAll(async () => {
  // Before the worker starts: it inherits BATON_SMTP_URL and BATON_CALDAV_URL.
  mailpit = await ensureMailpit();
  radicale = await ensureRadicale();
  harness = await startRunHarness('calendar');
  await harness.startWorker({ queues: ['default'] });
}, 180_000);
afterAll(async () => {
  await harness?.close();
  await mailpit?.stop();
  await radicale?.stop();
});

it('writes the first day to the calendar and emails the invite with the same UID, each once', async () => {
  const calendar = await makeCalendar('onboarding');
  const email = `hire-${randomUUID().slice(0, 8)}@acme.test`;
  const first = {
    title: 'Welcome, {{ $trigger.name }}',
    start: '{{ $trigger.startDate }}T09:00',
    end: '{{ $trigger.startDate }}T10:00',
    timeZone: 'Europe/Berlin',
    attendees: '{{ $trigger.email }}',
    location: 'Reception',
  };
  const plan = compileOrThrow(
    workflowDoc(
      [
        { id: 'trigger', type: 'manual-trigger' },
        { id: 'event', type: 'calendar-event', params: { ...first, calendar: calendar.displayName } },
        {
          id: 'invite',
          type: 'calendar-invite',
          params: { ...first, from: 'HR <hr@acme.test>', uid: '{{ $node("event").uid }}' },
        },
      ],
      [
        ['trigger', 'event'],
        ['event', 'invite'],
      ],
    ),
  );
  const { result, steps } = await harness.run(plan, { name: 'Ada', email, startDate: '2026-09-01' });
  expect([result.status, result.error]).toEqual(['succeeded', undefined]);
  const output = (id: string) => steps.find((s) => s.nodeId === id)!.output as Record<string, unknown>;
  expect(output('event')).toMatchObject({ created: true, title: 'Welcome, Ada', start: '2026-09-01T07:00:00.000Z' });
  const uid = output('event').uid as string;
  expect(output('invite')).toMatchObject({ uid, accepted: [email] });

  const stored = await eventsIn(calendar);
  expect(stored).toHaveLength(1);
  const [event] = readEvents(stored[0].data);
  expect([property(event, 'UID')?.value, textOf(event, 'SUMMARY'), property(event, 'DTSTART')?.value]).toEqual([
    uid,
    'Welcome, Ada',
    '20260901T070000Z',
  ]);

  const mail = await waitForMessage(email);
  const ics = mail.Attachments.find((a) => a.FileName === 'invite.ics')!;
  const [invited] = readEvents((await attachmentContent(mail.ID, ics.PartID)).toString('utf8'));
  expect([property(invited, 'UID')?.value, property(invited, 'DTSTART')?.value]).toEqual([uid, '20260901T070000Z']);
  expect(await messagesTo(email)).toHaveLength(1);
});
