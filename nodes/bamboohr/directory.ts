// Get Employees Directory: GET employees/directory, the company's published directory as `{ fields, employees }`
// (https://documentation.bamboohr.com/reference/get-employees-directory). Future hires appear with onlyCurrent=false.
import { bambooRequest, BambooCallError, type BambooAccount } from './client';

export interface Directory {
  fields: unknown[];
  employees: Array<Record<string, unknown>>;
}

export async function directory(
  account: BambooAccount,
  options: { includeFuture: boolean },
  signal: AbortSignal,
): Promise<Directory> {
  const reply = await bambooRequest(
    account,
    {
      method: 'GET',
      path: 'employees/directory',
      query: options.includeFuture ? { onlyCurrent: 'false' } : {},
      explain: {
        404: {
          what: 'the directory lists no employees, or no company has this domain (HTTP 404)',
          fix: '; check the company domain of the credential',
        },
      },
    },
    signal,
  );
  const body = reply.body as Partial<Directory> | null;
  if (!body || !Array.isArray(body.employees)) {
    throw new BambooCallError('BambooHR answered the directory without an employee list', false);
  }
  return { fields: Array.isArray(body.fields) ? body.fields : [], employees: body.employees };
}
