// Create Employee: POST employees/ with at least firstName and lastName; BambooHR answers 201 with the new
// employee's URL in Location (https://documentation.bamboohr.com/reference/create-employee). There is no idempotency
// key. A retried step finds the posted-mark of the first attempt (run.ts); and should the worker die between
// BambooHR's answer and the mark, BambooHR refuses a second employee with the same work email (409, "For employees,
// duplicate emails are not allowed", api-details), whereupon the employee is looked up in the directory by that
// email and, when the names match too, answered as the one created before.
import { directory } from './directory';
import { BambooCallError, bambooRequest, type BambooAccount } from './client';
import type { FieldValue } from './fields';

export interface CreatedEmployee {
  id: string;
  /** False when an employee with this work email and name already existed: the one an earlier attempt created. */
  created: boolean;
}

const LABEL = 'Employee fields';

export async function createEmployee(
  account: BambooAccount,
  fields: Record<string, FieldValue>,
  signal: AbortSignal,
): Promise<CreatedEmployee> {
  try {
    const reply = await bambooRequest(account, { method: 'POST', path: 'employees/', body: fields }, signal);
    const id = /\/employees\/(\d+)\/?$/.exec(reply.headers.get('location') ?? '')?.[1];
    if (!id) throw new BambooCallError('BambooHR created the employee but named no ID in its Location header', false);
    return { id, created: true };
  } catch (err) {
    const email = typeof fields.workEmail === 'string' ? fields.workEmail : undefined;
    if (!(err instanceof BambooCallError) || !email || err.status !== 409) throw err;
    const existing = await findByWorkEmail(account, email, signal);
    if (existing && sameName(existing, fields)) return { id: existing.id, created: false };
    const who = existing
      ? ` (ID ${existing.id}, ${existing.firstName ?? ''} ${existing.lastName ?? ''})`.trimEnd()
      : '';
    throw new BambooCallError(
      `${err.message}; BambooHR already has an employee with work email ${email}${who}: give another work email`,
      false,
      `${LABEL} (workEmail)`,
    );
  }
}

interface Listed {
  id: string;
  workEmail?: string;
  firstName?: string;
  lastName?: string;
}

async function findByWorkEmail(
  account: BambooAccount,
  email: string,
  signal: AbortSignal,
): Promise<Listed | undefined> {
  // New hires start in the future: the directory lists them only with onlyCurrent=false.
  const listed = await directory(account, { includeFuture: true }, signal).catch(() => undefined);
  const wanted = email.toLowerCase();
  return (listed?.employees as Listed[] | undefined)?.find((e) => e.workEmail?.toLowerCase() === wanted);
}

const sameName = (existing: Listed, fields: Record<string, FieldValue>) =>
  [existing.firstName, existing.lastName].join(' ').toLowerCase() ===
  [fields.firstName, fields.lastName].join(' ').toLowerCase();
