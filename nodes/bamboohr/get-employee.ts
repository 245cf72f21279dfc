// Get Employee: GET employees/{id}?fields=…, the named fields of one employee; fields the key's user may not see are
// left out silently (https://documentation.bamboohr.com/reference/get-employee).
import { bambooRequest, type BambooAccount } from './client';

export async function getEmployee(
  account: BambooAccount,
  id: string,
  fields: string[],
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const reply = await bambooRequest(
    account,
    {
      method: 'GET',
      path: `employees/${id}`,
      query: { fields: fields.join(',') },
      explain: {
        404: {
          what: `there is no employee with ID ${id} (HTTP 404)`,
          fix: '; check the Employee ID',
          field: 'Employee ID',
        },
      },
    },
    signal,
  );
  return { id, ...(reply.body && typeof reply.body === 'object' ? (reply.body as Record<string, unknown>) : {}) };
}
