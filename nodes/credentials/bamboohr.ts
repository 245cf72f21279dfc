// BambooHR. The API key is the user name of HTTP Basic auth (the password is ignored; "x" by convention). The test
// reads the employee directory, the documented GET /api/gateway.php/{company}/v1/employees/directory. There is no API
// URL field: an editor who does not know the key could otherwise point it at their own server (BATON_BAMBOOHR_API_URL
// is the operator's override).
import { bamboohrApiUrl } from '../bamboohr/api-url';
import { defineCredentialType, field } from './define';

const REFUSALS: Record<number, string> = {
  401: 'BambooHR refused the API key (HTTP 401); check the key',
  403: "BambooHR refused to show the directory (HTTP 403); the key's user may lack access, or the directory is off",
  404: 'BambooHR knows no company by that domain (HTTP 404); check the company domain',
};

export const bamboohr = defineCredentialType({
  type: 'bamboohr',
  title: 'BambooHR',
  description: 'An API key of a BambooHR user, and your company domain.',
  fields: {
    companyDomain: field.text({
      label: 'Company domain',
      description: 'The part before .bamboohr.com in your BambooHR address.',
      placeholder: 'acme',
      required: true,
      maxLength: 63,
      pattern: { regex: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i, message: 'must be the name before .bamboohr.com' },
    }),
    apiKey: field.secret({ label: 'API key', required: true, maxLength: 1024 }),
  },
  async test(values, ctx) {
    const reply = await ctx.http({
      url: `${bamboohrApiUrl(values.companyDomain)}employees/directory`,
      headers: { authorization: `Basic ${btoa(`${values.apiKey}:x`)}` },
    });
    const reason = reply.headers['x-bamboohr-error-message'];
    const refused = REFUSALS[reply.status];
    if (refused) return { ok: false, message: `${refused}${reason ? ` (${reason})` : ''}.` };
    const employees = (reply.body as { employees?: unknown } | null)?.employees;
    if (reply.status !== 200 || !Array.isArray(employees)) {
      const detail = reason ? `: ${reason}` : '';
      return { ok: false, message: `BambooHR did not return the directory (HTTP ${reply.status}${detail}).` };
    }
    return {
      ok: true,
      message: `Connected to BambooHR company "${values.companyDomain}": the directory lists ${employees.length} employees.`,
    };
  },
});
