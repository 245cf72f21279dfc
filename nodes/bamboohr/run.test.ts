// The BambooHR runner against the replay server (test/replay/bamboohr.ts), with posted-marks in the real store and the
// credential opened and scrubbed by the same code the activity uses: each operation sends what BambooHR documents
// and outputs what it answered, creating does not happen twice for one step (nor, by work email, after a lost mark),
// BambooHR's statuses are explained naming the field to fix, and the API key appears in no output, error or log line.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from '../../db/connection';
import { doOnce } from '../../db/effect-marks';
import { startBambooReplay, type BambooReplay } from '../../test/replay/bamboohr';
import { testDatabaseUri } from '../../test/stack';
import { stepCredentials, type StepCredentials } from '../credentials/step-access';
import type { ParamsOf } from '../define';
import { makeRunContext, type TestRunContext } from '../testing';
import { BAMBOOHR_API_URL_ENV, bamboohrApiUrl } from './api-url';
import { run } from './run';
import type { spec } from './spec';

type Params = ParamsOf<typeof spec.params>;
type Failure = { message: string; code: string; retryable: boolean };

const CREDENTIAL = 'cred_00000000-0000-4000-8000-0000000000bb';

let bamboo: BambooReplay;
beforeAll(async () => {
  bamboo = await startBambooReplay(`canary-key-${randomUUID()}`);
  process.env[BAMBOOHR_API_URL_ENV] = bamboo.url;
  await connectDb(testDatabaseUri('baton_test_bamboohr'));
  await mongoose.connection.db!.dropDatabase();
});
afterAll(async () => {
  delete process.env[BAMBOOHR_API_URL_ENV];
  await disconnectDb();
  await bamboo.close();
});

/** A step of its own (own idempotency key) whose credential is opened and scrubbed as the activity does it. */
function step(values: { apiKey?: string; companyDomain?: string } = {}): TestRunContext & { creds: StepCredentials } {
  const key = `run-${randomUUID()}:hr:0`;
  const creds = stepCredentials(async (id) => ({
    id,
    name: 'Acme HR',
    type: 'bamboohr',
    values: { companyDomain: values.companyDomain ?? bamboo.company, apiKey: values.apiKey ?? bamboo.apiKey },
  }));
  return Object.assign(
    makeRunContext({
      idempotencyKey: key,
      credential: creds.credential,
      once: (name, effect) => doOnce(`${key}:${name}`, effect),
    }),
    { creds },
  );
}

const params = (operation: Params['operation'], overrides: Partial<Params> = {}): Params =>
  ({ credential: CREDENTIAL, operation, ...overrides }) as Params;

/** Runs as the activity does: the output and whatever is thrown leave with every opened secret scrubbed. */
async function ok(ctx: ReturnType<typeof step>, p: Params): Promise<any> {
  return ctx.creds.scrub(await run(ctx, p, {}));
}
async function failure(ctx: ReturnType<typeof step>, p: Params): Promise<Failure> {
  try {
    await run(ctx, p, {});
  } catch (err) {
    return ctx.creds.scrubError(err) as Failure;
  }
  throw new Error('expected the step to fail');
}

const newHire = (tag = randomUUID().slice(0, 8)) => ({
  firstName: 'Ada',
  lastName: `Lovelace-${tag}`,
  workEmail: `ada-${tag}@acme.test`,
  hireDate: '2031-09-01',
  jobTitle: 'Engineer',
});

describe('employees', () => {
  it('creates an employee as documented (Basic auth with the key, JSON) and outputs its ID from Location', async () => {
    const before = bamboo.log.length;
    const hire = newHire();
    const output = await ok(step(), params('createEmployee', { employee: hire }));
    expect(output).toEqual({ id: expect.stringMatching(/^\d+$/), created: true });
    expect(bamboo.employees.get(output.id)).toEqual(hire);

    const [call] = bamboo.log.slice(before);
    expect(call).toMatchObject({ method: 'POST', path: `/api/gateway.php/acme/v1/employees/`, status: 201 });
    expect(call.headers.authorization).toBe(`Basic ${Buffer.from(`${bamboo.apiKey}:x`).toString('base64')}`);
    expect(call.headers.accept).toBe('application/json');
    expect(JSON.parse(call.text)).toEqual(hire);
  });

  it('does not create twice: not when the step is retried, nor when the mark was lost (matched by work email)', async () => {
    const hire = newHire();
    const ctx = step();
    const first = await ok(ctx, params('createEmployee', { employee: hire }));
    expect(await ok({ ...ctx, attempt: 2 }, params('createEmployee', { employee: hire }))).toEqual(first);
    // A worker killed between BambooHR's answer and the mark: the next attempt has no mark, BambooHR refuses the
    // duplicate work email (409), and the employee found by it in the directory is the one created before.
    expect(await ok(step(), params('createEmployee', { employee: hire }))).toEqual({ id: first.id, created: false });
    expect([...bamboo.employees.values()].filter((e) => e.workEmail === hire.workEmail)).toHaveLength(1);

    const other = await failure(step(), params('createEmployee', { employee: { ...hire, firstName: 'Grace' } }));
    expect(other.message).toBe(
      `BambooHR: Employee fields (workEmail): BambooHR refused a value as a duplicate or invalid (HTTP 409 Conflict): ` +
        `Duplicate email: another employee has this work email; BambooHR already has an employee with work email ` +
        `${hire.workEmail} (ID ${first.id}, Ada ${hire.lastName}): give another work email`,
    );
    expect(other).toMatchObject({ code: 'bamboohr-refused', retryable: false });
  });

  it('reads the named fields of an employee, and explains unknown and hidden employees', async () => {
    expect(
      await ok(step(), params('getEmployee', { employeeId: '123', fields: 'firstName, lastName,jobTitle' })),
    ).toEqual({ id: '123', firstName: 'John', lastName: 'Doe', jobTitle: 'Customer Service Representative' });
    expect(bamboo.log.at(-1)!.query.get('fields')).toBe('firstName,lastName,jobTitle');

    const missing = await failure(step(), params('getEmployee', { employeeId: '999', fields: 'firstName' }));
    expect(missing.message).toBe(
      'BambooHR: Employee ID: there is no employee with ID 999 (HTTP 404); check the Employee ID',
    );
    const hidden = await failure(step(), params('getEmployee', { employeeId: '124', fields: 'firstName' }));
    expect(hidden.message).toBe(
      "BambooHR: the API key's user may not do this (HTTP 403 Forbidden): Insufficient Permissions to view this " +
        'employee; give that user the permission in BambooHR, or use the key of a user who has it',
    );
  });

  it('updates an employee, and explains a field BambooHR does not know', async () => {
    const { id } = await ok(step(), params('createEmployee', { employee: newHire() }));
    expect(
      await ok(
        step(),
        params('updateEmployee', { employeeId: id, employee: { jobTitle: 'Lead', customShirtSize: 'M' } }),
      ),
    ).toEqual({
      id,
      updated: ['jobTitle', 'customShirtSize'],
    });
    expect(bamboo.employees.get(id)).toMatchObject({ jobTitle: 'Lead', customShirtSize: 'M' });
    const unknown = await failure(
      step(),
      params('updateEmployee', { employeeId: id, employee: { favouriteColour: 'red' } }),
    );
    expect(unknown.message).toBe(
      'BambooHR: BambooHR does not know one of the fields (HTTP 406 Not Acceptable): Invalid field: favouriteColour; ' +
        'check the field names',
    );
  });

  it('reads the directory, with future hires only when asked', async () => {
    const hire = newHire();
    await ok(step(), params('createEmployee', { employee: hire }));
    const current = await ok(step(), params('directory', {}));
    expect(current.fields).toContainEqual({ id: 'jobTitle', type: 'list', name: 'Job Title' });
    expect(current.employees).toContainEqual(expect.objectContaining({ id: '123', displayName: 'John Doe' }));
    expect(current.employees.map((e: { workEmail?: string }) => e.workEmail)).not.toContain(hire.workEmail);
    const all = await ok(step(), params('directory', { includeFuture: true }));
    expect(all.employees.map((e: { workEmail?: string }) => e.workEmail)).toContain(hire.workEmail);
  });
});

describe('time off requests', () => {
  it('lists the requests of a period, filtered as documented', async () => {
    const { requests } = await ok(step(), params('listTimeOff', { start: '2001-01-01', end: '2001-12-31' }));
    expect(requests).toEqual([expect.objectContaining({ id: '1', name: 'Jon Doe', start: '2001-01-01' })]);
    const call = bamboo.log.at(-1)!;
    expect(call.path).toBe('/api/gateway.php/acme/v1/time_off/requests/');
    expect(Object.fromEntries(call.query)).toEqual({ start: '2001-01-01', end: '2001-12-31' });
    const none = await ok(
      step(),
      params('listTimeOff', {
        start: '2001-01-01',
        end: '2001-12-31',
        statusFilter: 'denied, canceled',
        timeOffTypeId: '1',
      }),
    );
    expect(none).toEqual({ requests: [] });
    expect(Object.fromEntries(bamboo.log.at(-1)!.query)).toMatchObject({ status: 'denied,canceled', type: '1' });
  });

  it('adds a request once: a retried step and a second step for the same days answer the first one', async () => {
    const request = { employeeId: '123', start: '2031-07-01', end: '2031-07-03', timeOffTypeId: '1', amount: 3 };
    const ctx = step();
    const first = await ok(ctx, params('createTimeOff', { ...request, note: 'Family trip' }));
    expect(first).toMatchObject({ id: expect.stringMatching(/^\d+$/), created: true });
    expect(first.request).toMatchObject({
      employeeId: '123',
      status: { status: 'requested' },
      type: { id: '1', name: 'Vacation' },
      amount: { unit: 'days', amount: '3' },
      notes: { employee: 'Family trip' },
    });
    const put = bamboo.log.find((c) => c.method === 'PUT')!;
    expect(put.path).toBe('/api/gateway.php/acme/v1/employees/123/time_off/request');
    expect(JSON.parse(put.text)).toEqual({
      status: 'requested',
      start: '2031-07-01',
      end: '2031-07-03',
      timeOffTypeId: '1',
      amount: '3',
      notes: [{ from: 'employee', note: 'Family trip' }],
    });
    expect(await ok({ ...ctx, attempt: 2 }, params('createTimeOff', request))).toEqual(first);
    expect(await ok(step(), params('createTimeOff', request))).toEqual({ ...first, created: false });
    expect(bamboo.timeOff.filter((r) => r.employeeId === '123' && r.start === '2031-07-01')).toHaveLength(1);

    const badType = await failure(step(), params('createTimeOff', { ...request, timeOffTypeId: '5' }));
    expect(badType.message).toBe(
      'BambooHR: BambooHR could not accept the request (HTTP 400 Bad Request): Invalid time off type',
    );
  });
});

describe('failures', () => {
  it('explains a wrong key, an unknown company and the employee limit, without the key', async () => {
    const wrong = `wrong-key-${randomUUID()}`;
    const refused = await failure(step({ apiKey: wrong }), params('directory'));
    expect(refused.message).toBe(
      'BambooHR: BambooHR refused the API key (HTTP 401 Unauthorized); check the BambooHR credential',
    );
    expect(refused).toMatchObject({ code: 'bamboohr-refused', retryable: false });
    expect(JSON.stringify(refused)).not.toContain(wrong);
    const company = await failure(
      step({ companyDomain: 'acne' }),
      params('listTimeOff', { start: '2031-01-01', end: '2031-01-31' }),
    );
    expect(company.message).toBe(
      'BambooHR: BambooHR found nothing there (HTTP 404 Not Found); check the company domain of the credential',
    );

    bamboo.employeeLimit = bamboo.employees.size;
    try {
      const full = await failure(step(), params('createEmployee', { employee: newHire() }));
      expect(full.message).toBe(
        'BambooHR: the BambooHR account has reached its employee limit (HTTP 429 Limit Exceeded): Employee limit ' +
          'reached; no employee can be added until the plan allows more',
      );
    } finally {
      bamboo.employeeLimit = 1000;
    }
  });

  it('waits out short throttling (503 with Retry-After), and reports a long one', async () => {
    bamboo.throttle(1);
    const ctx = step();
    const before = bamboo.log.length;
    await ok(ctx, params('getEmployee', { employeeId: '123', fields: 'firstName' }));
    expect(bamboo.log.slice(before).map((c) => c.status)).toEqual([503, 200]);
    expect(ctx.logged.map((l) => l.msg)).toContain('BambooHR asked to wait 1 s (throttled); waiting');

    bamboo.throttle(600);
    const err = await failure(step(), params('getEmployee', { employeeId: '123', fields: 'firstName' }));
    expect(err.message).toBe(
      'BambooHR: BambooHR is throttling requests (HTTP 503 Service Unavailable); it asked to wait 600 s, longer than ' +
        'a step waits (30 s); the step is retried later',
    );
    expect(err).toMatchObject({ code: 'rate-limited', retryable: true });
  });

  it('refuses wrong types, hostile strings and huge values before calling BambooHR, naming the field', async () => {
    const before = bamboo.log.length;
    const hire = newHire();
    const cases: Array<[Params, RegExp]> = [
      [
        params('createEmployee', { employee: { lastName: 'X' } }),
        /Employee fields \(firstName\): is required; fix the Employee fields parameter/,
      ],
      [
        params('createEmployee', { employee: { ...hire, workEmail: 'ada@' } }),
        /Employee fields \(workEmail\): "ada@" is not an email address/,
      ],
      [
        params('createEmployee', { employee: { ...hire, hireDate: '2031-02-30' } }),
        /Employee fields \(hireDate\): must be a date as YYYY-MM-DD/,
      ],
      [
        params('createEmployee', { employee: { ...hire, jobTitle: { nested: true } } }),
        /Employee fields \(jobTitle\): must be text, a number or true\/false, not an object/,
      ],
      [
        params('createEmployee', { employee: { ...hire, jobTitle: 'Lead\u0000' } }),
        /Employee fields \(jobTitle\): contains a control character/,
      ],
      [
        params('createEmployee', { employee: { ...hire, 'job title': 'x' } }),
        /Employee fields \(job title\): is not a BambooHR field name/,
      ],
      [
        params('createEmployee', { employee: JSON.parse('{"__proto__": "x", "firstName": "A", "lastName": "B"}') }),
        /Employee fields \(__proto__\): is not a BambooHR field name/,
      ],
      [
        params('createEmployee', { employee: { ...hire, jobTitle: 'x'.repeat(4097) } }),
        /Employee fields \(jobTitle\): is 4097 characters long; the limit is 4096/,
      ],
      [
        params('getEmployee', { employeeId: '1/../2', fields: 'firstName' }),
        /Employee ID: must be a BambooHR employee ID \(digits, like 123\), not "1\/..\/2"; fix the Employee ID parameter/,
      ],
      [
        params('getEmployee', { employeeId: '123', fields: 'firstName,lastName;DROP' }),
        /Fields to read: "lastName;DROP" is not a BambooHR field name/,
      ],
      [
        params('getEmployee', { employeeId: '123', fields: 'a,'.repeat(401) }),
        /Fields to read: names 401 fields; BambooHR returns up to 400/,
      ],
      [
        params('listTimeOff', { start: 'next week', end: '2031-01-01' }),
        /From: must be a date as YYYY-MM-DD, like 2025-09-01, not "next week"; fix the From parameter/,
      ],
      [
        params('listTimeOff', { start: '2031-02-01', end: '2031-01-01' }),
        /To: 2031-01-01 is before the first day, 2031-02-01/,
      ],
      [
        params('listTimeOff', { start: '2031-01-01', end: '2031-02-01', statusFilter: 'pending' }),
        /Statuses: "pending" is not one of/,
      ],
      [
        params('createTimeOff', {
          employeeId: '123',
          start: '2031-01-01',
          end: '2031-01-02',
          timeOffTypeId: '1,78',
          amount: 2,
        }),
        /Time off type ID: must be one ID of time off types/,
      ],
      [
        params('createTimeOff', { employeeId: '123', start: '2031-01-01', end: '2031-01-02', timeOffTypeId: '1' }),
        /Amount: is required; fix the Amount parameter/,
      ],
    ];
    for (const [p, message] of cases) {
      const err = await failure(step(), p);
      expect(err.message).toMatch(message);
      expect(err).toMatchObject({ code: 'param-invalid', retryable: false });
    }
    expect(bamboo.log.slice(before)).toEqual([]);
  });

  it('reaches BambooHR only at api.bamboohr.com, unless the operator sets BATON_BAMBOOHR_API_URL', () => {
    expect(bamboohrApiUrl('acme', {})).toBe('https://api.bamboohr.com/api/gateway.php/acme/v1/');
    expect(bamboohrApiUrl('acme', { [BAMBOOHR_API_URL_ENV]: 'http://127.0.0.1:9/' })).toBe(
      'http://127.0.0.1:9/api/gateway.php/acme/v1/',
    );
  });
});
