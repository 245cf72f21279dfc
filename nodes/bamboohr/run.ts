import type { NodeRunner, RunContext } from '../define';
import { NodeError } from '../errors';
import { MAX_WAIT_SECONDS, RateLimited, withRetryAfter } from '../retry-after';
import { BambooCallError, bambooAccount, type BambooAccount } from './client';
import { createEmployee } from './create-employee';
import { directory } from './directory';
import { BambooFieldError, employeeFieldsOf, employeeIdOf, fieldNamesOf } from './fields';
import { getEmployee } from './get-employee';
import type { spec } from './spec';
import { periodOf, statusFilterOf, typeIdsOf } from './time-off-fields';
import { createTimeOffRequest, listTimeOffRequests } from './time-off-requests';
import { updateEmployee } from './update-employee';

type Params = Parameters<NodeRunner<typeof spec.params>>[1];

function invalid(message: string): NodeError {
  return new NodeError(`BambooHR: ${message}`, { code: 'param-invalid', retryable: false });
}

const paramOf = (field: string) => field.replace(/ \(.*$/, '');

/** Runs `build`, turning a field's problem into a step error that names the parameter to fix. */
function checked<T>(build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof BambooFieldError) throw invalid(`${err.message}; fix the ${paramOf(err.field)} parameter`);
    throw err;
  }
}

async function accountFor(ctx: RunContext, id: string): Promise<BambooAccount> {
  if (!ctx.credential) throw invalid('credentials cannot be opened where this node runs');
  const credential = await ctx.credential(id, ['bamboohr']);
  const { companyDomain, apiKey } = credential.values;
  if (typeof companyDomain !== 'string' || typeof apiKey !== 'string' || !companyDomain || !apiKey) {
    throw invalid('the BambooHR credential lacks its company domain or API key; edit it on the credentials page');
  }
  const account = bambooAccount(companyDomain, apiKey);
  credential.markSecret(account.authorization);
  return account;
}

function stepError(err: unknown): unknown {
  if (err instanceof RateLimited) {
    const asked = err.seconds === undefined ? '' : `; it asked to wait ${err.seconds} s`;
    return new NodeError(
      `BambooHR: ${err.message}${asked}, longer than a step waits (${MAX_WAIT_SECONDS} s); the step is retried later`,
      { code: 'rate-limited', retryable: true },
    );
  }
  if (err instanceof BambooCallError) {
    const where = err.field ? `${err.field}: ` : '';
    return new NodeError(`BambooHR: ${where}${err.message}`, {
      code: err.retryable ? 'bamboohr' : 'bamboohr-refused',
      retryable: err.retryable,
    });
  }
  return err;
}

/** Runs `effect` once per step (a retried attempt answers with the first one's result). */
async function once<T>(ctx: RunContext, key: string, effect: () => Promise<T>): Promise<T> {
  if (!ctx.once) throw invalid('this node cannot run here: it needs the run store to create exactly once');
  const { result, repeated } = await ctx.once(key, effect);
  if (repeated) ctx.log.info('BambooHR: already done by an earlier attempt of this step; not doing it again');
  return result;
}

async function operate(ctx: RunContext, params: Params, account: BambooAccount): Promise<unknown> {
  const { signal } = ctx;
  const call = <T>(fn: () => Promise<T>) =>
    withRetryAfter(fn, signal, (s) => ctx.log.info(`BambooHR asked to wait ${s} s (throttled); waiting`));
  switch (params.operation) {
    case 'getEmployee': {
      const id = checked(() => employeeIdOf(params.employeeId));
      const fields = checked(() => fieldNamesOf(params.fields, 'Fields to read'));
      return call(() => getEmployee(account, id, fields, signal));
    }
    case 'updateEmployee': {
      const id = checked(() => employeeIdOf(params.employeeId));
      const fields = checked(() => employeeFieldsOf(params.employee, 'Employee fields'));
      return call(() => updateEmployee(account, id, fields, signal));
    }
    case 'directory':
      return call(() => directory(account, { includeFuture: params.includeFuture === true }, signal));
    case 'listTimeOff': {
      const filter = checked(() => ({
        ...periodOf(params.start, params.end),
        employeeId: params.employeeId ? employeeIdOf(params.employeeId) : undefined,
        type: typeIdsOf(params.timeOffTypeId, false),
        status: statusFilterOf(params.statusFilter),
      }));
      return { requests: await call(() => listTimeOffRequests(account, filter, signal)) };
    }
    case 'createTimeOff': {
      const request = checked(() => {
        if (typeof params.amount !== 'number') throw new BambooFieldError('Amount', 'is required');
        return {
          employeeId: employeeIdOf(params.employeeId),
          ...periodOf(params.start, params.end),
          timeOffTypeId: typeIdsOf(params.timeOffTypeId, true)!,
          amount: params.amount,
          status: params.requestStatus ?? 'requested',
          ...(params.note ? { note: params.note } : {}),
        };
      });
      return once(ctx, 'bamboohr-time-off', () => call(() => createTimeOffRequest(account, request, signal)));
    }
    case 'createEmployee':
    default: {
      const fields = checked(() => employeeFieldsOf(params.employee, 'Employee fields', ['firstName', 'lastName']));
      return once(ctx, 'bamboohr-create-employee', () => call(() => createEmployee(account, fields, signal)));
    }
  }
}

export const run: NodeRunner<typeof spec.params> = async (ctx, params) => {
  if (!params.credential) throw invalid('pick a BambooHR credential');
  const account = await accountFor(ctx, params.credential);
  try {
    return await operate(ctx, params, account);
  } catch (err) {
    throw stepError(err);
  }
};
