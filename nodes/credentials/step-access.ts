// How a step reaches credentials: `ctx.credential(id, types)` for the runner, and, for the code that runs the
// runner (activities/run-node.ts, express), the scrubbing of every secret value the step saw from what it returns or
// throws. Pure: `open` (the vault read, with its audit entry) is handed in by the caller.
import { NodeError } from '../errors';
import type { RunContext } from '../define';
import { secretFieldNames } from './define';
import { credentialType } from './index';
import { scrubSecretsDeep, withoutSecrets } from './secret-scrub';

export interface OpenedCredential {
  id: string;
  name: string;
  type: string;
  values: Record<string, unknown>;
}

export interface StepCredentials {
  /** For the RunContext. */
  credential: NonNullable<RunContext['credential']>;
  /** A copy of `value` without any secret value this step opened. */
  scrub<T>(value: T): T;
  /** The error with its message, stack and `details` scrubbed, same class and fields otherwise. */
  scrubError(err: unknown): unknown;
}

const titleOf = (type: string) => credentialType(type)?.title ?? type;

export function stepCredentials(open: (id: string) => Promise<OpenedCredential>): StepCredentials {
  const secrets = new Set<string>();
  return {
    async credential(id, types) {
      if (typeof id !== 'string' || id === '') {
        throw new NodeError('No credential is picked; pick one in the node, or set Authentication to None', {
          code: 'param-invalid',
          retryable: false,
        });
      }
      const opened = await open(id);
      if (!types.includes(opened.type)) {
        throw new NodeError(
          `Credential "${opened.name}" is a ${titleOf(opened.type)} credential, but this field takes ` +
            `${types.map(titleOf).join(', ')}; pick another credential`,
          { code: 'param-invalid', retryable: false },
        );
      }
      const type = credentialType(opened.type);
      for (const name of type ? secretFieldNames(type) : []) {
        const value = opened.values[name];
        if (typeof value === 'string' && value !== '') secrets.add(value);
      }
      return {
        type: opened.type,
        values: { ...opened.values },
        markSecret: (value: string) => void (value && secrets.add(value)),
      };
    },
    scrub: (value) => scrubSecretsDeep(value, secrets),
    scrubError(err) {
      if (secrets.size === 0 || !(err instanceof Error)) return err;
      err.message = withoutSecrets(err.message, secrets);
      if (err.stack) err.stack = withoutSecrets(err.stack, secrets);
      // A NodeError's evidence (`details`) is stored with the failed step, so it is scrubbed like an output.
      const details = (err as { details?: unknown }).details;
      if (details && typeof details === 'object')
        Object.defineProperty(err, 'details', { value: scrubSecretsDeep(details, secrets), enumerable: true });
      return err;
    },
  };
}
