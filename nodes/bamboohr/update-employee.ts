// Update Employee: POST employees/{id} with the fields to change (https://documentation.bamboohr.com/reference/
// update-employee). Setting the same values again changes nothing, so a retried step needs no mark.
import { bambooRequest, type BambooAccount } from './client';
import type { FieldValue } from './fields';

export async function updateEmployee(
  account: BambooAccount,
  id: string,
  fields: Record<string, FieldValue>,
  signal: AbortSignal,
): Promise<{ id: string; updated: string[] }> {
  await bambooRequest(
    account,
    {
      method: 'POST',
      path: `employees/${id}`,
      body: fields,
      explain: {
        404: {
          what: `there is no employee with ID ${id} (HTTP 404)`,
          fix: '; check the Employee ID',
          field: 'Employee ID',
        },
        409: {
          what: 'BambooHR refused a value (HTTP 409 Conflict: a duplicate email, or an invalid state, country or pay type)',
          fix: '; check the values',
          field: 'Employee fields',
        },
      },
    },
    signal,
  );
  return { id, updated: Object.keys(fields) };
}
