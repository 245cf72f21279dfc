// A loopback stand-in for BambooHR's API (https://api.bamboohr.com/api/gateway.php/{company}/v1/…) that replays its
// documented behaviour (test/replay/bamboohr-fixtures.ts) over a small company: Basic auth with the API key as user
// name, the company in the path, JSON only when asked for (Accept), and the documented statuses with
// X-BambooHR-Error-Message for bad fields, unknown employees, duplicate work emails, the employee limit (429) and
// throttling (503 with Retry-After). Tests point BATON_BAMBOOHR_API_URL at `url`.
import { DIRECTORY, ERROR_HEADER, FIELD_NAMES, TIME_OFF_REQUEST, TIME_OFF_TYPES } from './bamboohr-fixtures';
import { startReplayServer, type ReplayAnswer, type ReplayRequest, type ReplayServer } from './server';

type Employee = Record<string, string | number | boolean | null>;
type TimeOffRecord = Omit<typeof TIME_OFF_REQUEST, 'dates'> & { dates: Record<string, string> };

export interface BambooReplay extends ReplayServer {
  company: string;
  apiKey: string;
  /** Employees by ID, as stored. */
  employees: Map<string, Employee>;
  timeOff: TimeOffRecord[];
  /** The next `times` requests answer 503 with Retry-After: `seconds`. */
  throttle(seconds: number, times?: number): void;
  /** Adding employees beyond this many answers 429 (the account's employee limit). */
  employeeLimit: number;
}

const KNOWN_FIELDS = new Set<string>(FIELD_NAMES);
/** An employee the key's user may not see (Get Employee's documented 403). */
const RESTRICTED = '124';

const error = (status: number, message?: string): ReplayAnswer => ({
  status,
  ...(message ? { headers: { [ERROR_HEADER]: message } } : {}),
});

const isDay = (value: unknown): value is string => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
const today = () => new Date().toISOString().slice(0, 10);

export async function startBambooReplay(apiKey = `bamboo-key-${Date.now()}`, company = 'acme'): Promise<BambooReplay> {
  const employees = new Map<string, Employee>([
    ['1', { firstName: 'Jon', lastName: 'Doe', workEmail: 'jon.doe@acme.test', hireDate: '2010-05-01' }],
    ...DIRECTORY.employees.map(
      ({ id, ...rest }) => [String(id), { ...rest, hireDate: '2012-03-01' }] as [string, Employee],
    ),
    [RESTRICTED, { firstName: 'Jane', lastName: 'Roe', workEmail: 'jane.roe@acme.test', hireDate: '2015-01-01' }],
  ]);
  const timeOff: TimeOffRecord[] = [structuredClone(TIME_OFF_REQUEST)];
  let nextEmployee = 40598;
  let nextRequest = 1000;
  const throttles = { seconds: 0, times: 0 };
  const prefix = `/api/gateway.php/`;

  const jsonBody = (req: ReplayRequest): Record<string, unknown> | undefined => {
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return undefined;
    try {
      const body = JSON.parse(req.text) as unknown;
      return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };

  /** The first problem with employee fields to store, as BambooHR reports it. */
  const fieldProblem = (fields: Record<string, unknown>, self?: string): ReplayAnswer | undefined => {
    for (const [name, value] of Object.entries(fields)) {
      if (!KNOWN_FIELDS.has(name)) return error(406, `Invalid field: ${name}`);
      if (/Date$|^dateOfBirth$/.test(name) && value !== '' && !isDay(value))
        return error(409, `Invalid date for ${name}`);
      if (name === 'workEmail' && typeof value === 'string') {
        const taken = [...employees].find(
          ([id, e]) => id !== self && String(e.workEmail).toLowerCase() === value.toLowerCase(),
        );
        if (taken) return error(409, 'Duplicate email: another employee has this work email');
      }
    }
    return undefined;
  };

  function route(req: ReplayRequest, base: string, rest: string): ReplayAnswer {
    const wantsJson = String(req.headers.accept ?? '').includes('application/json');
    if (req.method === 'GET' && rest === 'employees/directory') {
      if (!wantsJson) return { status: 200, headers: { 'content-type': 'application/xml' }, body: '<directory/>' };
      const all = req.query.get('onlyCurrent') === 'false';
      const listed = [...employees].filter(([, e]) => all || String(e.hireDate ?? '') <= today());
      return {
        status: 200,
        body: {
          fields: DIRECTORY.fields,
          employees: listed.map(([id, e]) => ({
            id,
            displayName: `${e.firstName} ${e.lastName}`,
            ...Object.fromEntries(DIRECTORY.fields.filter((f) => f.id in e).map((f) => [f.id, e[f.id]])),
          })),
        },
      };
    }
    if (req.method === 'POST' && /^employees\/?$/.test(rest)) {
      const body = jsonBody(req);
      if (!body) return error(400, 'The request body is not valid JSON');
      if (!body.firstName || !body.lastName) return error(400, 'firstName and lastName are required');
      const problem = fieldProblem(body);
      if (problem) return problem;
      if (employees.size >= replay.employeeLimit) return error(429, 'Employee limit reached');
      const id = String(nextEmployee++);
      employees.set(id, body as Employee);
      return { status: 201, headers: { location: `${base}employees/${id}` } };
    }
    const employee = /^employees\/(\d+)$/.exec(rest);
    if (employee) {
      const [, id] = employee;
      const stored = employees.get(id);
      if (!stored) return error(404);
      if (id === RESTRICTED) return error(403, 'Insufficient Permissions to view this employee');
      if (req.method === 'GET') {
        const fields = (req.query.get('fields') ?? '').split(',').filter(Boolean);
        if (fields.length > 400) return error(400, 'Too many fields');
        const known = fields.filter((f) => KNOWN_FIELDS.has(f));
        return { status: 200, body: { id, ...Object.fromEntries(known.map((f) => [f, stored[f] ?? null])) } };
      }
      if (req.method === 'POST') {
        const body = jsonBody(req);
        if (!body) return error(400, 'The request body is not valid JSON');
        const problem = fieldProblem(body, id);
        if (problem) return problem;
        employees.set(id, { ...stored, ...(body as Employee) });
        return { status: 200 };
      }
    }
    if (req.method === 'GET' && /^time_off\/requests\/?$/.test(rest)) {
      const start = req.query.get('start');
      const end = req.query.get('end');
      if (!isDay(start) || !isDay(end)) return error(400, 'Invalid or missing start/end date');
      const list = (name: string) => req.query.get(name)?.split(',').filter(Boolean);
      const [statuses, types, who] = [list('status'), list('type'), req.query.get('employeeId')];
      return {
        status: 200,
        body: timeOff.filter(
          (r) =>
            r.end >= start &&
            r.start <= end &&
            (!who || r.employeeId === who) &&
            (!statuses || statuses.includes(r.status.status)) &&
            (!types || types.includes(r.type.id)),
        ),
      };
    }
    const request = /^employees\/(\d+)\/time_off\/request$/.exec(rest);
    if (req.method === 'PUT' && request) {
      const [, id] = request;
      const stored = employees.get(id);
      if (!stored) return error(404, 'Employee not found');
      const body = jsonBody(req);
      if (!body) return error(400, 'The request body is not valid JSON');
      const type = TIME_OFF_TYPES[String(body.timeOffTypeId)];
      if (!type) return error(400, 'Invalid time off type');
      if (!['requested', 'approved', 'denied'].includes(String(body.status))) return error(400, 'Invalid status');
      if (!isDay(body.start) || !isDay(body.end) || body.end < body.start) return error(400, 'Invalid start/end date');
      if (!Number.isFinite(Number(body.amount))) return error(400, 'Invalid amount');
      const notes = Array.isArray(body.notes) ? (body.notes as Array<{ from?: string; note?: string }>) : [];
      const created: TimeOffRecord = {
        ...structuredClone(TIME_OFF_REQUEST),
        id: String(++nextRequest),
        employeeId: id,
        name: `${stored.firstName} ${stored.lastName}`,
        status: { lastChanged: today(), lastChangedByUserId: '2369', status: String(body.status) },
        start: body.start,
        end: body.end,
        created: today(),
        type: { id: String(body.timeOffTypeId), name: type.name, icon: type.icon },
        amount: { unit: type.unit, amount: String(body.amount) },
        dates: {},
        notes: {
          employee: notes.find((n) => n.from === 'employee')?.note ?? '',
          manager: notes.find((n) => n.from === 'manager')?.note ?? '',
        },
      };
      timeOff.push(created);
      return { status: 201, headers: { location: `${base}time_off/requests/${created.id}` }, body: created };
    }
    return error(404);
  }

  const server = await startReplayServer((req) => {
    if (!req.path.startsWith(prefix)) return error(404);
    const [name, version, ...rest] = req.path.slice(prefix.length).split('/');
    if (throttles.times > 0) {
      throttles.times--;
      return { status: 503, headers: { 'retry-after': String(throttles.seconds) } };
    }
    const [user] = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
      .toString('utf8')
      .split(':');
    if (!String(req.headers.authorization ?? '').startsWith('Basic ') || user !== apiKey) return error(401);
    if (name !== company || version !== 'v1') return error(404);
    return route(req, `${replay.url}${prefix}${company}/v1/`, rest.join('/'));
  });
  const replay: BambooReplay = {
    ...server,
    company,
    apiKey,
    employees,
    timeOff,
    employeeLimit: 1000,
    throttle: (seconds, times = 1) => Object.assign(throttles, { seconds, times }),
  };
  return replay;
}
