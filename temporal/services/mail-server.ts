// The embedded mail server: Mailpit on loopback, catching every message sent through it. Its SMTP port is
// BATON_SMTP_URL for the app (Send Email nodes, approval emails); its HTTP API and web UI (BATON_MAILPIT_URL) let
// people read what was sent and tests read a real mailbox (test/mailbox.ts).
import path from 'node:path';
import { startProcess, type ManagedProcess } from './child-process';
import type { ServicePaths, ServiceProfile } from './home';
import type { Log } from './installer';
import { resolveMailpit } from './mailpit-install';
import { choosePort } from './ports';

export interface MailServer {
  process: ManagedProcess;
  smtpUrl: string;
  /** Mailpit's web UI and HTTP API (`/api/v1/…`). */
  apiUrl: string;
  /** Where people read the mail: the web UI, or the API's message list for a build without the UI's assets. */
  readUrl: string;
  smtpPort: number;
  dataPath: string;
}

export async function startMailServer(opts: {
  paths: ServicePaths;
  profile: ServiceProfile;
  log: Log;
  env: NodeJS.ProcessEnv;
}): Promise<MailServer> {
  const { paths, profile } = opts;
  const binary = await resolveMailpit({ binDir: paths.binDir, logsDir: paths.logsDir, log: opts.log, env: opts.env });
  const dev = profile === 'dev';
  const smtpPort = await choosePort({
    explicit: opts.env.BATON_MAILPIT_SMTP_PORT,
    explicitName: 'BATON_MAILPIT_SMTP_PORT',
    preferred: dev ? 1025 : undefined,
  });
  const uiPort = await choosePort({
    explicit: opts.env.BATON_MAILPIT_UI_PORT,
    explicitName: 'BATON_MAILPIT_UI_PORT',
    preferred: dev ? 8025 : undefined,
  });
  const child = await startProcess({
    name: 'Mailpit',
    command: binary,
    args: [
      '--database',
      paths.mailpitDb,
      '--smtp',
      `127.0.0.1:${smtpPort}`,
      '--listen',
      `127.0.0.1:${uiPort}`,
      // Credentials pointing at it may carry a user and password: accept any, over plain SMTP on loopback.
      '--smtp-auth-accept-any',
      '--smtp-auth-allow-insecure',
      '--disable-version-check',
      // Tests send many messages over a run; the dev mailbox keeps Mailpit's default of the latest 500.
      '--max',
      dev ? '500' : '0',
      '--quiet',
    ],
    logFile: path.join(paths.logsDir, `${paths.logPrefix}mailpit.log`),
    watchdogLog: path.join(paths.logsDir, 'watchdog.log'),
  });
  const apiUrl = `http://127.0.0.1:${uiPort}`;
  try {
    await child.waitUntilReady(() => mailpitReady(apiUrl), {
      timeoutMs: 30_000,
      what: `answering on ${apiUrl}/readyz`,
    });
  } catch (error) {
    await child.stop();
    throw error;
  }
  // A `go install`ed Mailpit lacks the web UI's assets (Mailpit's release builds them with npm); its API works.
  const hasUi = await fetch(`${apiUrl}/dist/app.js`, { signal: AbortSignal.timeout(2000) }).then(
    (r) => r.ok,
    () => false,
  );
  return {
    process: child,
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    apiUrl,
    readUrl: hasUi ? apiUrl : `${apiUrl}/api/v1/messages`,
    smtpPort,
    dataPath: paths.mailpitDb,
  };
}

export async function mailpitReady(apiUrl: string): Promise<boolean> {
  const response = await fetch(`${apiUrl}/readyz`, { signal: AbortSignal.timeout(1000) });
  return response.ok;
}
