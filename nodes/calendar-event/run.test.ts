// The Calendar event runner against a real Radicale: what it creates, updates and deletes is read back from the
// server with tsdav's REPORT, a retried create leaves one event, and bad input or a wrong password fails naming the
// field, or the credential, without the password in the message.
import { randomUUID } from 'node:crypto';
import type { DAVCalendar } from 'tsdav';
import { caldavAccount, ensureRadicale, eventsIn, makeCalendar, type Radicale } from '../../test/radicale';
import type { ParamsOf, RunContext } from '../define';
import { makeRunContext } from '../testing';
import { property, readEvents, textOf } from './ics-read';
import { run } from './run';
import type { spec } from './spec';

type Params = ParamsOf<typeof spec.params>;

let radicale: Radicale;
let calendar: DAVCalendar & { displayName: string };
beforeAll(async () => {
  radicale = await ensureRadicale();
  calendar = await makeCalendar('event-runner');
}, 180_000);
afterAll(async () => {
  await radicale?.stop();
});

const stepContext = (overrides: Partial<RunContext> = {}) =>
  makeRunContext({ idempotencyKey: `run-${randomUUID()}:event:0`, ...overrides });

function params(overrides: Partial<Params>): Params {
  return {
    operation: 'create',
    calendar: calendar.displayName,
    title: 'First day',
    start: '2026-03-02T09:00',
    end: '2026-03-02T10:30',
    timeZone: 'Europe/Berlin',
    allDay: false,
    ...overrides,
  } as Params;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the step to fail');
    },
    (err: { message: string; code?: string; retryable?: boolean }) => err,
  );

/** The one stored event whose UID is `uid`, parsed. */
async function stored(uid: string) {
  const matching = (await eventsIn(calendar)).filter((o) =>
    readEvents(o.data).some((e) => property(e, 'UID')?.value === uid),
  );
  return { count: matching.length, url: matching[0]?.url, event: matching[0] && readEvents(matching[0].data)[0] };
}

describe('Calendar event on Radicale', () => {
  it('creates an event that reads back with its title, times in UTC, place, organizer and attendees', async () => {
    const output = (await run(
      stepContext(),
      params({
        location: 'Head office, room 2',
        description: 'Bring your ID;\nAda meets you at reception.',
        organizer: 'HR <hr@acme.test>',
        attendees: ['Ada Lovelace <ada@acme.test>', { name: 'Grace', address: 'grace@acme.test' }],
      }),
      {},
    )) as { uid: string; url: string; created: boolean; start: string; end: string; calendar: string };
    expect(output).toMatchObject({
      created: true,
      calendar: calendar.displayName,
      start: '2026-03-02T08:00:00.000Z',
      end: '2026-03-02T09:30:00.000Z',
    });
    const { count, url, event } = await stored(output.uid);
    expect([count, url]).toEqual([1, output.url]);
    expect(textOf(event, 'SUMMARY')).toBe('First day');
    expect(textOf(event, 'LOCATION')).toBe('Head office, room 2');
    expect(textOf(event, 'DESCRIPTION')).toBe('Bring your ID;\nAda meets you at reception.');
    expect(property(event, 'DTSTART')?.value).toBe('20260302T080000Z');
    expect(property(event, 'DTEND')?.value).toBe('20260302T093000Z');
    expect(property(event, 'ORGANIZER')).toMatchObject({ value: 'mailto:hr@acme.test', params: { CN: 'HR' } });
    expect(event.filter((p) => p.name === 'ATTENDEE').map((p) => [p.params.CN, p.value.toLowerCase()])).toEqual([
      ['Ada Lovelace', 'mailto:ada@acme.test'],
      ['Grace', 'mailto:grace@acme.test'],
    ]);
  });

  it('takes an organizer given as a bare address, named by that address', async () => {
    const output = (await run(stepContext(), params({ title: 'Badge pickup', organizer: 'hr@acme.test' }), {})) as {
      uid: string;
    };
    const { event } = await stored(output.uid);
    expect(property(event, 'ORGANIZER')).toMatchObject({
      value: 'mailto:hr@acme.test',
      params: { CN: 'hr@acme.test' },
    });
  });

  it('writes one event when a create is retried, whether the first attempt got through or not', async () => {
    const ctx = stepContext();
    const first = (await run(ctx, params({ title: 'Laptop handover' }), {})) as { uid: string; created: boolean };
    const again = (await run({ ...ctx, attempt: 2 }, params({ title: 'Laptop handover' }), {})) as typeof first;
    expect([first.created, again.created, again.uid]).toEqual([true, false, first.uid]);
    expect((await stored(first.uid)).count).toBe(1);
    const titled = (await eventsIn(calendar)).filter((o) => o.data.includes('SUMMARY:Laptop handover'));
    expect(titled).toHaveLength(1);
  });

  it('updates an event by UID in place, with a higher SEQUENCE, and deletes it by UID', async () => {
    const created = (await run(stepContext(), params({ title: 'Team lunch' }), {})) as { uid: string; url: string };
    const updated = await run(
      stepContext(),
      params({ operation: 'update', uid: created.uid, title: 'Team lunch (moved)', start: '2026-03-03T12:00' }),
      {},
    ).catch((err: Error) => err);
    expect(updated).toMatchObject({ message: expect.stringMatching(/End: is before the start/) });

    const moved = await run(
      stepContext(),
      params({
        operation: 'update',
        uid: created.uid,
        title: 'Team lunch (moved)',
        start: '2026-03-03T12:00',
        end: '2026-03-03T13:00',
      }),
      {},
    );
    expect(moved).toMatchObject({ uid: created.uid, url: created.url, start: '2026-03-03T11:00:00.000Z' });
    const { count, event } = await stored(created.uid);
    expect(count).toBe(1);
    expect([textOf(event, 'SUMMARY'), textOf(event, 'SEQUENCE')]).toEqual(['Team lunch (moved)', '1']);

    const ctx = stepContext();
    expect(await run(ctx, params({ operation: 'delete', uid: created.uid }), {})).toEqual({
      operation: 'delete',
      uid: created.uid,
      calendar: calendar.displayName,
      deleted: true,
    });
    expect((await stored(created.uid)).count).toBe(0);
    // A retry of the delete that already happened succeeds; a first attempt on an unknown UID does not.
    expect(await run({ ...ctx, attempt: 2 }, params({ operation: 'delete', uid: created.uid }), {})).toMatchObject({
      deleted: false,
    });
    const unknown = await failure(run(stepContext(), params({ operation: 'delete', uid: created.uid }), {}));
    expect(unknown).toMatchObject({ code: 'not-found', retryable: false });
    expect(unknown.message).toMatch(/Event UID: no event has the UID ".*" in calendar .*; fix the Event UID parameter/);
  });

  it('lists the events of a time range, earliest first, all-day ones by their days', async () => {
    const own = await makeCalendar('event-list');
    const at = (title: string, start: string, end: string, allDay = false) =>
      run(stepContext(), params({ calendar: own.displayName, title, start, end, allDay, timeZone: 'UTC' }), {});
    await at('Later', '2026-05-10T15:00', '2026-05-10T16:00');
    await at('Earlier', '2026-05-04T09:00', '2026-05-04T09:30');
    await at('Time off', '2026-05-06', '2026-05-08', true);
    await at('Outside', '2026-06-20T09:00', '2026-06-20T10:00');
    const listed = (await run(
      stepContext(),
      params({ operation: 'list', calendar: own.displayName, rangeStart: '2026-05-01', rangeEnd: '2026-06-01' }),
      {},
    )) as { count: number; events: Array<{ title: string; start: string; end: string; allDay: boolean }> };
    expect(listed.count).toBe(3);
    expect(listed.events.map((e) => [e.title, e.start, e.end, e.allDay])).toEqual([
      ['Earlier', '2026-05-04T09:00:00.000Z', '2026-05-04T09:30:00.000Z', false],
      ['Time off', '2026-05-06', '2026-05-08', true],
      ['Later', '2026-05-10T15:00:00.000Z', '2026-05-10T16:00:00.000Z', false],
    ]);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = (await eventsIn(calendar)).length;
    const cases: Array<[Partial<Params>, RegExp]> = [
      [{ end: '2026-03-02T08:00' }, /End: is before the start .*; fix the End parameter/],
      [{ end: '2026-03-02T09:00' }, /End: is the same time as the start/],
      [{ timeZone: 'Mars/Olympus' }, /Time zone: "Mars\/Olympus" is not an IANA timezone name.*; fix the Time zone/],
      [{ attendees: 'ada@acme.test, bob@' }, /Attendees: "bob@" is not an email address; fix the Attendees parameter/],
      [{ attendees: [{ address: 'x@acme.test\r\nBCC: evil@acme.test' }] }, /Attendees \(entry 1\): .* is not an email/],
      [{ start: 'next monday' }, /Start: "next monday" is not a date/],
      [{ start: 1e20 }, /Start: is outside the supported years/],
      [{ title: 'Hi\r\nX-Injected: 1' }, /Title: must be one line/],
      [{ title: '' }, /Title: is required/],
      [{ title: 'x'.repeat(5000) }, /Title: is 5000 characters long; the limit is 998/],
      [{ description: 'ok\u0000no' }, /Description: contains a control character/],
      [{ allDay: true, start: '2026-03-05', end: '2026-03-04' }, /End: is a day before the start/],
      [{ operation: 'update', uid: '' }, /Event UID: is required to update an event/],
      [{ operation: 'delete', uid: 'a\nb' }, /Event UID: must be one line/],
    ];
    for (const [overrides, message] of cases) {
      const err = await failure(run(stepContext(), params(overrides), {}));
      expect([overrides, err.message]).toEqual([overrides, expect.stringMatching(message)]);
      expect(err).toMatchObject({ code: 'param-invalid', retryable: false });
    }
    expect((await eventsIn(calendar)).length).toBe(before);
  });

  it('names the Calendar param when the account has no such calendar', async () => {
    const err = await failure(run(stepContext(), params({ calendar: 'No such calendar' }), {}));
    expect(err.message).toMatch(/Calendar: no calendar is named "No such calendar"; the account has /);
    expect(err.message).toContain(`"${calendar.displayName}"`);
    expect(err.message).toMatch(/fix the Calendar parameter$/);
  });

  it('finds UIDs literally: XML and wildcard characters in a UID match nothing', async () => {
    for (const uid of ['<x/>&amp;', '%', '@baton', '"']) {
      const err = await failure(run(stepContext(), params({ operation: 'delete', uid }), {}));
      expect(err).toMatchObject({ code: 'not-found' });
    }
  });

  it('reports a wrong password as a refused login, without the password, and never retries it', async () => {
    const { serverUrl, username } = caldavAccount();
    const password = `wrong-${randomUUID()}`;
    const credential: RunContext['credential'] = async (id, types) => {
      expect([id, types]).toEqual(['cred_00000000-0000-4000-8000-00000000000c', ['caldav']]);
      return { type: 'caldav', values: { serverUrl, username, password }, markSecret: () => undefined };
    };
    const err = await failure(
      run(stepContext({ credential }), params({ credential: 'cred_00000000-0000-4000-8000-00000000000c' }), {}),
    );
    expect(err).toMatchObject({ code: 'caldav-refused', retryable: false });
    expect(err.message).toMatch(
      /^Calendar event: CalDAV server http:\/\/127\.0\.0\.1:\d+ \(the CalDAV credential\) refused the user name or password \(HTTP 401/,
    );
    expect(err.message).not.toContain(password);
    expect(err.message).not.toContain(Buffer.from(`${username}:${password}`).toString('base64'));
  });

  it('sends a credential’s connections through the destination guard', async () => {
    const { serverUrl, username, password } = caldavAccount();
    const credential: RunContext['credential'] = async () => ({
      type: 'caldav',
      values: { serverUrl, username, password },
      markSecret: () => undefined,
    });
    const allowed = process.env.BATON_HTTP_ALLOW_HOSTS;
    process.env.BATON_HTTP_ALLOW_HOSTS = '';
    try {
      const id = 'cred_00000000-0000-4000-8000-00000000000c';
      const err = await failure(run(stepContext({ credential }), params({ credential: id }), {}));
      expect(err).toMatchObject({ code: 'ssrf-blocked' });
      expect(err.message).toMatch(/127\.0\.0\.1 is a loopback address/);
    } finally {
      process.env.BATON_HTTP_ALLOW_HOSTS = allowed;
    }
  });

  it('fails clearly without a calendar server', async () => {
    const url = process.env.BATON_CALDAV_URL;
    delete process.env.BATON_CALDAV_URL;
    try {
      const err = await failure(run(stepContext(), params({}), {}));
      expect(err.message).toBe(
        'Calendar event: no calendar server: pick a CalDAV credential, or ask an administrator to set BATON_CALDAV_URL',
      );
      process.env.BATON_CALDAV_URL = 'http://baton:x@127.0.0.1:1/'; // nothing listens on port 1
      const down = await failure(run(stepContext(), params({}), {}));
      expect(down).toMatchObject({ code: 'caldav', retryable: true });
      expect(down.message).toMatch(/Could not use the CalDAV server http:\/\/127\.0\.0\.1:1 \(BATON_CALDAV_URL\)/);
    } finally {
      process.env.BATON_CALDAV_URL = url;
    }
  });
});
