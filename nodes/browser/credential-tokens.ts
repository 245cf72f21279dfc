// `$credential.username`, `$credential.password` and `$credential.totp` in a step's value, replaced inside the
// activity from the node's Website login credential (docs/decisions/055). They are plain text, not expressions, so
// the secrets pass through no plan, expression or Temporal history; this module keeps them out of what a step leaves.
import type { CredentialForStep, RunContext } from '../define';
import { NodeError } from '../errors';
import { withoutSecrets } from '../credentials/secret-scrub';
import { CREDENTIAL_TOKEN, LOGIN_CREDENTIAL_TYPES, type BrowserStep } from './spec';
import { totp } from './totp';

const TOKEN = new RegExp(CREDENTIAL_TOKEN.source, 'g');

type Field = 'username' | 'password' | 'totp';

/** The credential fields a step's value names (its tokens), in order of appearance. */
export function tokensIn(step: BrowserStep): Field[] {
  if (typeof step.value !== 'string') return [];
  return [...step.value.matchAll(TOKEN)].map((m) => m[1] as Field);
}

/** The sign-in values a run's steps may type, and what must be scrubbed from whatever leaves the run. */
export interface LoginValues {
  /** The value with its tokens replaced; a fresh code for each `$credential.totp`. */
  fill(value: unknown): unknown;
  /** The secrets (password, 2FA secret, codes handed out): never in records, errors or logs. */
  scrub(text: string): string;
}

function setupError(index: number, step: BrowserStep, message: string): NodeError {
  const target = typeof step.target === 'string' && step.target.trim() ? ` ${step.target.trim()}` : '';
  return new NodeError(`Step ${index} (${step.action}${target}): ${message}`, {
    code: 'browser-step',
    retryable: false,
  });
}

function text(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  return typeof value === 'string' ? value : '';
}

/**
 * Opens the node's credential when a step uses a token, checking first that each token can be filled: a token with
 * no credential chosen, or `$credential.totp` with no 2FA secret, fails naming its step before the browser starts.
 */
export async function openLogin(
  ctx: RunContext,
  credentialId: string | undefined,
  steps: readonly BrowserStep[],
): Promise<LoginValues | undefined> {
  const uses = steps.map((step, i) => ({ step, index: i + 1, tokens: tokensIn(step) })).filter((u) => u.tokens.length);
  if (uses.length === 0) return undefined;
  const first = uses[0];
  if (!credentialId)
    throw setupError(
      first.index,
      first.step,
      `$credential.${first.tokens[0]} needs a Website login credential: choose one in Credential`,
    );
  if (!ctx.credential) throw setupError(first.index, first.step, 'credentials cannot be opened where this node runs');
  const credential: CredentialForStep = await ctx.credential(credentialId, LOGIN_CREDENTIAL_TYPES);
  const secrets = new Set([text(credential.values, 'password'), text(credential.values, 'totpSecret')]);
  const totpSecret = text(credential.values, 'totpSecret');
  const needsCode = uses.find((u) => u.tokens.includes('totp'));
  if (needsCode && !totpSecret)
    throw setupError(
      needsCode.index,
      needsCode.step,
      '$credential.totp needs a 2FA secret in the Website login credential',
    );
  const value = (field: Field): string => {
    if (field === 'username') return text(credential.values, 'username');
    if (field === 'password') return text(credential.values, 'password');
    const code = totp(totpSecret);
    secrets.add(code);
    credential.markSecret(code);
    return code;
  };
  return {
    fill: (raw) => (typeof raw === 'string' ? raw.replace(TOKEN, (_, field: Field) => value(field)) : raw),
    scrub: (message) => withoutSecrets(message, secrets),
  };
}
