// Time off requests: GET time_off/requests/?start&end… lists them (https://documentation.bamboohr.com/reference/
// time-off-get-time-off-requests-1), PUT employees/{id}/time_off/request adds one (…/time-off-add-a-time-off-request-1).
// Adding has no idempotency key: before adding, the employee's requests over the same days are read, and a live
// request of the same type, days and amount is answered instead of a second one. That covers a worker that died
// between BambooHR's answer and the posted-mark, and a run started twice for the same request.
import { bambooRequest, BambooCallError, type BambooAccount } from './client';

export interface TimeOffFilter {
  start: string;
  end: string;
  employeeId?: string;
  /** Comma-separated: approved, denied, superceded, requested, canceled. */
  status?: string;
  /** Comma-separated time off type IDs. */
  type?: string;
}

export interface NewTimeOffRequest {
  employeeId: string;
  start: string;
  end: string;
  timeOffTypeId: string;
  amount: number;
  status: 'requested' | 'approved' | 'denied';
  note?: string;
}

interface Listed {
  id?: unknown;
  start?: unknown;
  end?: unknown;
  type?: { id?: unknown };
  amount?: { amount?: unknown };
  status?: { status?: unknown };
}

const DEAD = new Set(['canceled', 'denied', 'superceded']);

export async function listTimeOffRequests(
  account: BambooAccount,
  filter: TimeOffFilter,
  signal: AbortSignal,
): Promise<Array<Record<string, unknown>>> {
  const reply = await bambooRequest(
    account,
    {
      method: 'GET',
      path: 'time_off/requests/',
      query: {
        start: filter.start,
        end: filter.end,
        employeeId: filter.employeeId,
        status: filter.status,
        type: filter.type,
      },
    },
    signal,
  );
  if (!Array.isArray(reply.body))
    throw new BambooCallError('BambooHR answered time off requests without a list', false);
  return reply.body as Array<Record<string, unknown>>;
}

export async function createTimeOffRequest(
  account: BambooAccount,
  request: NewTimeOffRequest,
  signal: AbortSignal,
): Promise<{ id: string; created: boolean; request: Record<string, unknown> }> {
  const { employeeId, start, end, timeOffTypeId: type } = request;
  const listed = await listTimeOffRequests(account, { employeeId, start, end, type }, signal);
  const existing = listed.find((r) => same(r as Listed, request));
  if (existing) return { id: String(existing.id), created: false, request: existing };
  const reply = await bambooRequest(
    account,
    {
      method: 'PUT',
      path: `employees/${request.employeeId}/time_off/request`,
      body: {
        status: request.status,
        start: request.start,
        end: request.end,
        timeOffTypeId: request.timeOffTypeId,
        amount: String(request.amount),
        ...(request.note ? { notes: [{ from: 'employee', note: request.note }] } : {}),
      },
      explain: {
        404: {
          what: `there is no employee with ID ${request.employeeId} (HTTP 404)`,
          fix: '; check the Employee ID',
          field: 'Employee ID',
        },
      },
    },
    signal,
  );
  const body = reply.body && typeof reply.body === 'object' ? (reply.body as Record<string, unknown>) : {};
  const id = body.id ?? /(\d+)\/?$/.exec(reply.headers.get('location') ?? '')?.[1];
  if (id === undefined) throw new BambooCallError('BambooHR added the time off request but named no ID', false);
  return { id: String(id), created: true, request: { ...body, id: String(id) } };
}

function same(listed: Listed, wanted: NewTimeOffRequest): boolean {
  return (
    listed.start === wanted.start &&
    listed.end === wanted.end &&
    String(listed.type?.id) === wanted.timeOffTypeId &&
    Number(listed.amount?.amount) === wanted.amount &&
    !DEAD.has(String(listed.status?.status))
  );
}
