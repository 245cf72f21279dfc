// The Calendar invite runner against a real Mailpit, with sent-marks in the real store: the invite arrives once
// with a text/calendar REQUEST part and an invite.ics whose event has the attendees and the time, a retried step
// sends nothing more, and bad input is refused naming the field before anything is sent.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from '../../db/connection';
import { doOnce } from '../../db/effect-marks';
import {
  attachmentContent,
  ensureMailpit,
  messagesTo,
  readMessage,
  waitForMessage,
  waitForMessages,
  type Mailpit,
} from '../../test/mailbox';
import { testDatabaseUri } from '../../test/stack';
import { property, readEvents, textOf } from '../calendar-event/ics-read';
import type { ParamsOf, RunContext } from '../define';
import { makeRunContext } from '../testing';
import { run } from './run';
import type { spec } from './spec';

type Params = ParamsOf<typeof spec.params>;

let mailpit: Mailpit;
beforeAll(async () => {
  mailpit = await ensureMailpit();
  await connectDb(testDatabaseUri('baton_test_calendar_invite'));
  await mongoose.connection.db!.dropDatabase();
});
afterAll(async () => {
  await disconnectDb();
  await mailpit.stop();
});

const unique = (name: string) => `${name}-${randomUUID().slice(0, 8)}@acme.test`;

/** A step's context whose `once` uses the real sent-marks, as the activity builds it. */
function stepContext(overrides: Partial<RunContext> = {}): RunContext {
  const key = `run-${randomUUID()}:invite:0`;
  return makeRunContext({
    idempotencyKey: key,
    once: (name, effect) => doOnce(`${key}:${name}`, effect),
    ...overrides,
  });
}

function params(overrides: Partial<Params>): Params {
  return {
    from: 'HR <hr@acme.test>',
    attendees: unique('someone'),
    title: 'First day',
    start: '2026-03-02T09:00',
    end: '2026-03-02T10:00',
    timeZone: 'Europe/Berlin',
    allDay: false,
    method: 'request',
    sequence: 0,
    ...overrides,
  } as Params;
}

async function rawMessage(id: string): Promise<string> {
  const response = await fetch(`${mailpit.apiUrl}/api/v1/message/${encodeURIComponent(id)}/raw`);
  if (!response.ok) throw new Error(`Mailpit raw ${id} answered ${response.status}`);
  return response.text();
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the step to fail');
    },
    (err: { message: string; code?: string; retryable?: boolean }) => err,
  );

describe('Calendar invite', () => {
  it('arrives once with a REQUEST part and an invite.ics holding the attendees and the time', async () => {
    const [ada, manager] = [unique('ada'), unique('manager')];
    const ctx = stepContext();
    const p = params({
      attendees: [`Ada Lovelace <${ada}>`, manager],
      location: 'Head office',
      description: 'Bring your ID.',
    });
    const output = (await run(ctx, p, {})) as { uid: string; messageId: string; accepted: string[]; start: string };
    expect(output).toMatchObject({ accepted: [ada, manager], start: '2026-03-02T08:00:00.000Z', method: 'REQUEST' });
    // The worker died after sending: the retry finds the sent-mark and sends nothing.
    expect(await run({ ...ctx, attempt: 2 }, p, {})).toEqual(output);

    const mail = await waitForMessage(ada);
    expect(mail.Subject).toBe('Invitation: First day');
    expect(mail.From).toEqual({ Name: 'HR', Address: 'hr@acme.test' });
    expect(mail.Text).toContain('When: 2026-03-02 09:00 to 2026-03-02 10:00 (Europe/Berlin)');
    expect(await messagesTo(ada)).toHaveLength(1);
    expect(await messagesTo(manager)).toHaveLength(1);

    const raw = await rawMessage(mail.ID);
    expect(raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
    const ics = mail.Attachments.find((a) => a.FileName === 'invite.ics');
    expect(ics).toBeDefined();
    const [event, ...others] = readEvents((await attachmentContent(mail.ID, ics!.PartID)).toString('utf8'));
    expect(others).toEqual([]);
    expect(property(event, 'UID')?.value).toBe(output.uid);
    expect([textOf(event, 'SUMMARY'), textOf(event, 'LOCATION')]).toEqual(['First day', 'Head office']);
    expect(property(event, 'DTSTART')?.value).toBe('20260302T080000Z');
    expect(property(event, 'DTEND')?.value).toBe('20260302T090000Z');
    expect(property(event, 'ORGANIZER')?.value).toBe('mailto:hr@acme.test');
    const attendees = event.filter((p) => p.name === 'ATTENDEE');
    expect(attendees.map((a) => [a.value.toLowerCase(), a.params.CN, a.params.RSVP])).toEqual([
      [`mailto:${ada}`, 'Ada Lovelace', 'TRUE'],
      [`mailto:${manager}`, undefined, 'TRUE'],
    ]);
  });

  it('sends the same UID and Message-ID again if the sent-mark was lost, and a cancellation of that UID', async () => {
    const to = unique('cancel');
    const ctx = stepContext();
    const first = (await run(ctx, params({ attendees: to }), {})) as { uid: string; messageId: string };
    // The mark of the first attempt is gone (the worker died between the server's acceptance and the mark).
    const lost = stepContext({
      idempotencyKey: ctx.idempotencyKey,
      once: (name, effect) => doOnce(`${ctx.idempotencyKey}:${name}:lost`, effect),
    });
    const again = (await run(lost, params({ attendees: to }), {})) as typeof first;
    expect([again.uid, again.messageId]).toEqual([first.uid, first.messageId]);
    const sent = await waitForMessages(to, 2);
    const uids = await Promise.all(
      sent.map(async (m) => {
        const full = await readMessage(m.ID);
        const ics = full.Attachments.find((a) => a.FileName === 'invite.ics')!;
        return property(readEvents((await attachmentContent(m.ID, ics.PartID)).toString('utf8'))[0], 'UID')?.value;
      }),
    );
    expect(uids).toEqual([first.uid, first.uid]);

    await run(stepContext(), params({ attendees: to, method: 'cancel', uid: first.uid, sequence: 1 }), {});
    const cancelled = await waitForMessage(to, { subject: 'Cancelled: First day' });
    const raw = await rawMessage(cancelled.ID);
    expect(raw).toMatch(/method=CANCEL/);
    const ics = cancelled.Attachments.find((a) => a.FileName === 'invite.ics')!;
    const [event] = readEvents((await attachmentContent(cancelled.ID, ics.PartID)).toString('utf8'));
    expect([property(event, 'UID')?.value, textOf(event, 'SEQUENCE'), textOf(event, 'STATUS')]).toEqual([
      first.uid,
      '1',
      'CANCELLED',
    ]);
  });

  it('refuses bad input naming the field, and sends nothing', async () => {
    const to = unique('bad');
    const cases: Array<[Partial<Params>, RegExp]> = [
      [{ attendees: `${to}, bob@` }, /Attendees: "bob@" is not an email address; fix the Attendees parameter/],
      [{ attendees: '' }, /Attendees: names no one/],
      [{ attendees: to, end: '2026-03-02T08:59' }, /End: is before the start .*; fix the End parameter/],
      [{ attendees: to, timeZone: 'Europe/Atlantis' }, /Time zone: "Europe\/Atlantis" is not an IANA timezone name/],
      [{ attendees: to, from: 'HR' }, /From: "HR" is not an email address; fix the From \(organizer\) parameter/],
      [{ attendees: to, subject: `Hi\r\nBcc: ${unique('evil')}` }, /Subject: must be one line/],
      [{ attendees: to, title: `Day\nBcc: x@acme.test` }, /Title: must be one line/],
      [{ attendees: to, uid: 'a\r\nb' }, /Event UID: must be one line/],
    ];
    for (const [overrides, message] of cases) {
      const err = await failure(run(stepContext(), params(overrides), {}));
      expect([overrides, err.message]).toEqual([overrides, expect.stringMatching(message)]);
      expect(err).toMatchObject({ code: 'param-invalid', retryable: false });
    }
    expect(await messagesTo(to)).toEqual([]);
  });
});
