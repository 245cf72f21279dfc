// Credential types (docs/decisions/037-credential-vault.md), like n8n's credential types and Activepieces' auth
// props: one declaration gives the form its fields, the vault its secret fields (widget `secret`), the API its
// validation, and the credentials page its "Test connection". Pure: test functions reach the network only through
// the context they are handed (nodes/credentials/test-context.ts builds it on the server).
import { param, type ParamDef, type ParamDefs, type ParamsOf } from '../define';

export interface CredentialTestResult {
  ok: boolean;
  /** What was checked and what came back, for the person who typed the values. */
  message: string;
}

export interface HttpReply {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** Parsed JSON when the response says it is JSON, else text. */
  body: unknown;
}

export interface HttpCall {
  url: string;
  /** PROPFIND: a CalDAV account's discovery and calendar list. */
  method?: 'GET' | 'POST' | 'PROPFIND';
  headers?: Record<string, string>;
  body?: string;
}

/** A TCP (or TLS) connection a test talks over. */
export interface TcpConversation {
  write(data: string | Uint8Array): void;
  /**
   * Resolves with the next message: `complete` gets the bytes received so far and returns how many of them make one
   * message, or undefined to wait for more. Rejects when the peer closes first.
   */
  read(complete: (received: Buffer) => number | undefined): Promise<Buffer>;
  close(): void;
}

export interface CredentialTestContext {
  /** An HTTP(S) request through the HTTP node's destination guard (decision 022, BATON_HTTP_ALLOW_HOSTS). */
  http(call: HttpCall): Promise<HttpReply>;
  /** A TCP connection through the same guard; `tls` starts TLS at once (SMTPS on 465). */
  tcp(target: { host: string; port: number; tls?: boolean }): Promise<TcpConversation>;
}

export interface CredentialType<F extends ParamDefs = ParamDefs> {
  /** Stable id, stored with every credential. */
  type: string;
  title: string;
  description: string;
  fields: F;
  /** Checks the values against the service without changing anything there. */
  test?(values: ParamsOf<F>, ctx: CredentialTestContext): Promise<CredentialTestResult>;
}

export function defineCredentialType<F extends ParamDefs>(type: CredentialType<F>): CredentialType<F> {
  return type;
}

const HOST = /^(\[[0-9a-f:.]+\]|[0-9a-f.]*:[0-9a-f:.]*|[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?\.?)$/i;

/**
 * Fields that say where the secrets go (a host, a port, a URL): changing one while keeping the stored secrets would
 * let whoever may edit the credential send them to a server of their choosing (db/credentials.ts refuses that).
 */
const DESTINATIONS = new WeakSet<ParamDef>();
const destination = <D extends ParamDef>(def: D): D => {
  DESTINATIONS.add(def);
  return def;
};

export function isDestinationField(def: ParamDef): boolean {
  return DESTINATIONS.has(def);
}

/** Field builders: the node param builders, without `{{ … }}` expressions (a credential is not evaluated per run). */
export const field = {
  text: (o: Omit<Parameters<typeof param.text>[0], 'expression'>) => param.text({ ...o, expression: false }),
  url: (o: Omit<Parameters<typeof param.url>[0], 'expression'>) => destination(param.url({ ...o, expression: false })),
  number: (o: Omit<Parameters<typeof param.number>[0], 'expression'>) => param.number({ ...o, expression: false }),
  boolean: (o: Omit<Parameters<typeof param.boolean>[0], 'expression'>) => param.boolean({ ...o, expression: false }),
  /** A host name or IP address (no scheme, no port). */
  host: (o: { label: string; description?: string; placeholder?: string }) =>
    destination(
      param.text({
        ...o,
        required: true,
        expression: false,
        maxLength: 253,
        pattern: { regex: HOST, message: 'must be a host name or IP address, without scheme or port' },
      }),
    ),
  port: (o: { label: string; default: number }) =>
    destination(param.number({ ...o, required: true, expression: false, int: true, min: 1, max: 65535 })),
  /** Encrypted at rest, never sent back to a browser or API client. */
  secret: param.secret,
  select: <const V extends readonly [string, ...string[]]>(
    o: Omit<Parameters<typeof param.select<V>>[0], 'expression'>,
  ) => param.select<V>({ ...o, expression: false }),
};

export function isSecretField(def: ParamDef): boolean {
  return def.ui.widget === 'secret';
}

export function secretFieldNames(type: CredentialType): string[] {
  return Object.keys(type.fields).filter((name) => isSecretField(type.fields[name]));
}

export interface FieldIssue {
  field: string;
  message: string;
}

/**
 * Values checked against the type's fields: blanks take the field's default, required fields must be set, and
 * fields the type does not declare are refused. Every problem is reported, by field label.
 */
export function validateCredentialValues(
  type: CredentialType,
  values: Record<string, unknown>,
): { ok: true; values: Record<string, unknown> } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(values)) {
    if (!(name in type.fields)) issues.push({ field: name, message: `is not a field of ${type.title} credentials` });
  }
  for (const [name, def] of Object.entries(type.fields)) {
    const given = values[name];
    const value = given === undefined || given === '' ? def.default : given;
    if (value === undefined) {
      if (def.ui.required) issues.push({ field: name, message: `${def.ui.label} is required` });
      continue;
    }
    const parsed = def.schema.safeParse(value);
    if (parsed.success) out[name] = parsed.data;
    else issues.push({ field: name, message: `${def.ui.label}: ${parsed.error.issues[0].message}` });
  }
  return issues.length ? { ok: false, issues } : { ok: true, values: out };
}
