// "Test connection": runs a credential type's test with a time limit, and keeps the secret values out of what it
// reports (a server may echo a key back in its error, and the message is shown and may be logged).
import { scrubUrlSecrets } from '../../contracts/redaction';
import type { ParamsOf } from '../define';
import { secretFieldNames, validateCredentialValues, type CredentialTestResult, type CredentialType } from './define';
import { withoutSecrets } from './secret-scrub';
import { createTestContext } from './test-context';

export const TEST_TIMEOUT_MS = 15_000;

export async function testCredential(
  type: CredentialType,
  values: Record<string, unknown>,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<CredentialTestResult> {
  if (!type.test) return { ok: false, message: `${type.title} credentials have no connection test.` };
  const checked = validateCredentialValues(type, values);
  if (!checked.ok) return { ok: false, message: checked.issues.map((issue) => issue.message).join('; ') };
  const secrets = secretFieldNames(type)
    .map((name) => checked.values[name])
    .filter((value): value is string => typeof value === 'string');
  const timeoutMs = options.timeoutMs ?? TEST_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let result: CredentialTestResult;
  try {
    result = await type.test(checked.values as ParamsOf<typeof type.fields>, createTestContext(signal));
  } catch (err) {
    const message = timeout.aborted
      ? `The service did not answer within ${timeoutMs / 1000} s.`
      : err instanceof Error
        ? err.message
        : String(err);
    result = { ok: false, message };
  }
  return { ok: result.ok, message: scrubUrlSecrets(withoutSecrets(result.message, secrets)) };
}
