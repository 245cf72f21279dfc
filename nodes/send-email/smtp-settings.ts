// Which SMTP server mail goes through: the SMTP credential a node (or an Approval node) picked, else the instance's
// BATON_SMTP_URL (Mailpit in development), else none. Settings from a credential were typed by workspace members,
// so their connections pass the HTTP node's destination guard; the instance's own server is trusted.
import type { RunContext } from '../define';
import { NodeError } from '../errors';

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the start (SMTPS, port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
  /** The sender when a message names none. */
  from?: string;
  /** Where these settings came from, for messages: `credential "Mail"` or `BATON_SMTP_URL`. */
  source: string;
  /** Whether the connection must pass the destination guard (BATON_HTTP_ALLOW_HOSTS). */
  guarded: boolean;
}

/** A credential as an activity opened it (db/credential-use `openCredentialForRun`, or `ctx.credential`). */
export interface SmtpCredential {
  type: string;
  name?: string;
  values: Record<string, unknown>;
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

export function smtpFromCredential(credential: SmtpCredential): SmtpSettings {
  const label = credential.name ? `credential "${credential.name}"` : 'the SMTP credential';
  if (credential.type !== 'smtp') {
    throw new Error(`${label} is a ${credential.type} credential; mail needs an SMTP credential.`);
  }
  const { host, port, secure, user, password, from } = credential.values;
  if (typeof host !== 'string' || !host || typeof port !== 'number') {
    throw new Error(`${label} has no host or port; edit it on the credentials page.`);
  }
  return {
    host,
    port,
    secure: secure === true,
    user: text(user),
    password: text(password),
    from: text(from),
    source: label,
    guarded: true,
  };
}

/** `smtp://[user:password@]host[:port]` or `smtps://…`; BATON_SMTP_FROM names the sender. */
export function smtpFromUrl(url: string, from?: string, name = 'BATON_SMTP_URL'): SmtpSettings {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${name} is not a URL; use smtp://host:port or smtps://user:password@host:465.`);
  }
  if ((parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') || !parsed.hostname) {
    throw new Error(`${name} must be an smtp:// or smtps:// URL with a host (got ${parsed.protocol}//…).`);
  }
  const secure = parsed.protocol === 'smtps:';
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number(parsed.port) : secure ? 465 : 587,
    secure,
    user: text(decodeURIComponent(parsed.username)),
    password: text(decodeURIComponent(parsed.password)),
    from: text(from),
    source: name,
    guarded: false,
  };
}

/** The node's SMTP credential → BATON_SMTP_URL → undefined (no mail server: nothing can be sent). */
export function resolveSmtp(
  credential: SmtpCredential | undefined,
  env: NodeJS.ProcessEnv = process.env,
): SmtpSettings | undefined {
  if (credential) return smtpFromCredential(credential);
  if (env.BATON_SMTP_URL) return smtpFromUrl(env.BATON_SMTP_URL, env.BATON_SMTP_FROM);
  return undefined;
}

/**
 * The mail server a step sends through: its SMTP credential, else the instance's BATON_SMTP_URL. Problems are thrown
 * as `invalid(message)`, the calling node's parameter error (Send email, Calendar invite).
 */
export async function smtpForStep(
  ctx: RunContext,
  credentialId: string | undefined,
  invalid: (message: string) => NodeError,
): Promise<SmtpSettings> {
  let smtp: SmtpSettings | undefined;
  try {
    if (credentialId) {
      if (!ctx.credential) throw new Error('credentials cannot be opened where this node runs');
      const opened = await ctx.credential(credentialId, ['smtp']);
      smtp = resolveSmtp({ type: opened.type, values: opened.values });
    } else {
      smtp = resolveSmtp(undefined);
    }
  } catch (err) {
    if (err instanceof NodeError) throw err;
    throw invalid(`${(err as Error).message}; fix the SMTP credential parameter`);
  }
  if (!smtp) throw invalid('no mail server: pick an SMTP credential, or ask an administrator to set BATON_SMTP_URL');
  return smtp;
}
