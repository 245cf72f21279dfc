// The Website login of a Browser code script (docs/decisions/057). The script's `credential` object holds the user
// name and two tokens, `$credential.password` and `$credential.totp`: the secrets never enter the script's process.
// The worker replaces the tokens only in the text of page.fill and page.type, as steps do (credential-tokens.ts),
// and scrubs the secrets from every answer, error, console line and result, so a script that reads a filled
// password field back gets `[secret]`.
import type { RunContext } from '../../define';
import { scrubSecretsDeep, withoutSecrets } from '../../credentials/secret-scrub';
import { LOGIN_CREDENTIAL_TYPES } from '../spec';
import { totp } from '../totp';
import { codeError } from './protocol';

const TOKEN = /\$credential\.(username|password|totp)\b/g;

/** What the script's process is told of the login: the user name only. */
export interface ScriptCredential {
  username: string;
}

export interface ScriptLogin {
  forScript: ScriptCredential;
  /** Text a fill or type call sends to the page, its tokens replaced (a fresh 2FA code for each `totp`). */
  typed(text: string): string;
  /** A value going back to the script, or out of the node, with every secret replaced by `[secret]`. */
  scrub<T>(value: T): T;
  scrubText(text: string): string;
}

const field = (values: Record<string, unknown>, name: string) =>
  typeof values[name] === 'string' ? (values[name] as string) : '';

/** Without a login, a fill of a token fails, naming what to choose (the script's `credential` holds only tokens). */
export function typedWithoutLogin(text: string): string {
  const token = new RegExp(TOKEN.source).exec(text);
  if (token) throw new Error(`${token[0]} needs a Website login credential: choose one in Credential`);
  return text;
}

/** Opens the node's Website login when one is chosen. */
export async function openScriptLogin(
  ctx: RunContext,
  credentialId: string | undefined,
): Promise<ScriptLogin | undefined> {
  if (!credentialId) return undefined;
  if (!ctx.credential) throw codeError('Browser code: credentials cannot be opened where this node runs');
  const credential = await ctx.credential(credentialId, LOGIN_CREDENTIAL_TYPES);
  const username = field(credential.values, 'username');
  const password = field(credential.values, 'password');
  const totpSecret = field(credential.values, 'totpSecret');
  const secrets = new Set([password, totpSecret].filter(Boolean));
  const code = () => {
    if (!totpSecret) throw new Error('$credential.totp needs a 2FA secret in the Website login credential');
    const current = totp(totpSecret);
    secrets.add(current);
    credential.markSecret(current);
    return current;
  };
  return {
    forScript: { username },
    typed: (text) =>
      text.replace(TOKEN, (_, which: string) =>
        which === 'username' ? username : which === 'password' ? password : code(),
      ),
    scrub: (value) => scrubSecretsDeep(value, secrets),
    scrubText: (text) => withoutSecrets(text, secrets),
  };
}
