// A PostgreSQL or MySQL server as a credential describes it (nodes/credentials/postgres.ts, mysql.ts).

export const TLS_MODES = ['off', 'require', 'verify'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

export interface ServerSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  /** `require`: encrypted, any certificate; `verify`: the certificate must be valid for the host. */
  tls: TlsMode;
  /** Statement timeout in milliseconds. */
  timeoutMs: number;
}

/** The settings in a credential's values; a value that is missing or of the wrong type is named. */
export function serverSettings(title: string, values: Record<string, unknown>, timeoutMs: number): ServerSettings {
  const { host, port, database, user, password, tls } = values;
  const missing = [
    typeof host === 'string' && host ? undefined : 'host',
    typeof port === 'number' ? undefined : 'port',
    typeof database === 'string' && database ? undefined : 'database',
    typeof user === 'string' && user ? undefined : 'user',
  ].filter(Boolean);
  if (missing.length)
    throw new Error(`the ${title} credential has no ${missing.join(', ')}; edit it on the credentials page`);
  return {
    host: host as string,
    port: port as number,
    database: database as string,
    user: user as string,
    password: typeof password === 'string' && password !== '' ? password : undefined,
    tls: TLS_MODES.includes(tls as TlsMode) ? (tls as TlsMode) : 'off',
    timeoutMs,
  };
}

export const where = (s: ServerSettings) => `${s.host}:${s.port}/${s.database}`;
