// Where the BambooHR API is: https://api.bamboohr.com/api/gateway.php/{company}/v1/ (documentation.bamboohr.com/docs/
// api-details). Nothing a workflow author or credential editor types can point the API key elsewhere: the company
// domain is one DNS label, and only the operator's BATON_BAMBOOHR_API_URL (a proxy, or the tests' replay server)
// replaces the host.
export const BAMBOOHR_API_URL_ENV = 'BATON_BAMBOOHR_API_URL';

const DEFAULT_API_URL = 'https://api.bamboohr.com';

/** A company's API base, with its trailing slash; `companyDomain` was checked by the credential's pattern. */
export function bamboohrApiUrl(companyDomain: string, env: Record<string, string | undefined> = process.env): string {
  const host = (env[BAMBOOHR_API_URL_ENV] || DEFAULT_API_URL).replace(/\/+$/, '');
  return `${host}/api/gateway.php/${encodeURIComponent(companyDomain)}/v1/`;
}
