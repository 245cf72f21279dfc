// Embedded services for development and tests. Each service resolves in order: its URL in the environment
// (used as-is, nothing started) → an installed binary → a binary Baton installs into BATON_HOME.
import { rmSync } from 'node:fs';
import type { ManagedProcess } from './child-process';
import { resolveChromium } from './chromium';
import {
  ensureDir,
  resolveHome,
  servicePaths,
  writeServicesState,
  type ServiceEnv,
  type ServicePaths,
  type ServiceProfile,
} from './home';
import { defaultLog, type Log } from './installer';
import { startMailServer } from './mail-server';
import { startMongoServer } from './mongo-server';
import { watchdogPid } from './orphan-watchdog';
import { choosePort } from './ports';
import { claimHome } from './stale-services';
import { startTemporalServer } from './temporal-server';

export {
  readServicesState,
  resolveHome,
  servicePaths,
  type ServiceEnv,
  type ServiceProfile,
  type ServicesState,
} from './home';
export type { Log } from './installer';

export interface StartServicesOptions {
  /** Defaults to BATON_HOME, then `.baton`. */
  home?: string;
  /** Receives progress lines (without the `[baton]` prefix); defaults to stderr. */
  log?: Log;
  /** `test` keeps its data beside the dev data (test-temporal.db, test-ferretdb/) and wipes it at every start. */
  profile?: ServiceProfile;
  /**
   * Where TEMPORAL_ADDRESS, MONGODB_URI, BATON_CHROMIUM, BATON_SMTP_URL, BATON_*_PORT, BATON_BIN_DIR and
   * BATON_FERRETDB_BACKEND are read; process.env by default.
   */
  env?: NodeJS.ProcessEnv;
}

export interface RunningServices {
  env: ServiceEnv;
  home: string;
  stateFile: string;
  temporalUiUrl?: string;
  /** Where people read the mail Mailpit caught (its web UI, or its API), when Baton started it. */
  mailUiUrl?: string;
  /** The processes started here (none when every service came from the environment). */
  processes: ManagedProcess[];
  stop(): Promise<void>;
}

export async function startServices(opts: StartServicesOptions = {}): Promise<RunningServices> {
  const env = opts.env ?? process.env;
  const profile = opts.profile ?? 'dev';
  const log = opts.log ?? defaultLog;
  const paths = servicePaths(resolveHome(opts.home, env), profile, env);
  ensureDir(paths.logsDir);
  await claimHome(paths, log);
  if (profile === 'test') wipeTestData(paths);

  const processes: ManagedProcess[] = [];
  const records: { name: string; pid: number; port: number; dataPath: string }[] = [];
  const stopStarted = async () => {
    for (const child of [...processes].reverse()) await child.stop();
  };
  try {
    let temporalAddress = env.TEMPORAL_ADDRESS;
    let temporalUiUrl: string | undefined;
    if (temporalAddress) {
      log(`Using Temporal at ${temporalAddress} (TEMPORAL_ADDRESS).`);
    } else {
      const dev = profile === 'dev';
      const port = await choosePort({
        explicit: env.BATON_TEMPORAL_PORT,
        explicitName: 'BATON_TEMPORAL_PORT',
        preferred: dev ? 7233 : undefined,
      });
      const uiPort = await choosePort({
        explicitName: 'Temporal UI port',
        preferred: dev && port === 7233 ? 8233 : undefined,
      });
      const started = Date.now();
      const temporal = await startTemporalServer({ paths, port, uiPort, log, env });
      processes.push(temporal.process);
      records.push({ name: 'temporal', pid: temporal.process.pid, port, dataPath: temporal.dataPath });
      temporalAddress = temporal.address;
      temporalUiUrl = temporal.uiUrl;
      log(`Temporal dev server ready on ${temporal.address} (UI ${temporal.uiUrl}) in ${seconds(started)}s.`);
    }

    let mongoUri = env.MONGODB_URI;
    if (mongoUri) {
      log('Using MongoDB from MONGODB_URI.'); // the URI may carry a password: never print it
    } else {
      const port = await choosePort({
        explicit: env.BATON_MONGO_PORT,
        explicitName: 'BATON_MONGO_PORT',
        preferred: profile === 'dev' ? 27017 : undefined,
      });
      const started = Date.now();
      const mongo = await startMongoServer({ paths, profile, port, log, env });
      if (mongo.backend) {
        // Stopped in reverse: FerretDB first, then the PostgreSQL it writes to.
        processes.push(mongo.backend.process);
        const { process: postgres, port: postgresPort, dataPath } = mongo.backend;
        records.push({ name: 'postgres', pid: postgres.pid, port: postgresPort, dataPath });
      }
      processes.push(mongo.process);
      records.push({ name: mongo.kind, pid: mongo.process.pid, port, dataPath: mongo.dataPath });
      mongoUri = `mongodb://127.0.0.1:${port}/${profile === 'test' ? 'baton_test' : 'baton'}`;
      const data = mongo.backend?.dataPath ?? mongo.dataPath;
      log(`${mongo.process.name} ready on 127.0.0.1:${port} (data ${data}) in ${seconds(started)}s.`);
    }

    const chromium = env.BATON_CHROMIUM || (await resolveChromium({ logsDir: paths.logsDir, log, env }));

    const mail = await startMail(paths, profile, log, env);
    if (mail.process && mail.smtpPort) {
      processes.push(mail.process);
      records.push({ name: 'mailpit', pid: mail.process.pid, port: mail.smtpPort, dataPath: paths.mailpitDb });
    }

    const serviceEnv: ServiceEnv = {
      TEMPORAL_ADDRESS: temporalAddress,
      MONGODB_URI: mongoUri,
      BATON_CHROMIUM: chromium,
      ...(mail.smtpUrl ? { BATON_SMTP_URL: mail.smtpUrl } : {}),
      ...(mail.apiUrl ? { BATON_MAILPIT_URL: mail.apiUrl } : {}),
    };
    writeServicesState(paths.stateFile, {
      ownerPid: process.pid,
      watchdogPid: watchdogPid(),
      startedAt: new Date().toISOString(),
      env: serviceEnv,
      temporalUiUrl,
      processes: records,
    });
    return {
      env: serviceEnv,
      home: paths.home,
      stateFile: paths.stateFile,
      temporalUiUrl,
      mailUiUrl: mail.readUrl,
      processes,
      async stop() {
        await stopStarted();
        rmSync(paths.stateFile, { force: true });
      },
    };
  } catch (error) {
    await stopStarted();
    throw error;
  }
}

/**
 * BATON_SMTP_URL (with BATON_MAILPIT_URL if the user has one) → Mailpit, found or installed. Mail is optional for
 * development (approval links still show in the inbox), so a dev start goes on without it after a warning; tests
 * read real mailboxes and need it.
 */
async function startMail(
  paths: ServicePaths,
  profile: ServiceProfile,
  log: Log,
  env: NodeJS.ProcessEnv,
): Promise<{ process?: ManagedProcess; smtpUrl?: string; apiUrl?: string; readUrl?: string; smtpPort?: number }> {
  if (env.BATON_SMTP_URL) {
    log('Sending mail through BATON_SMTP_URL.'); // it may carry a password: never print it
    return { smtpUrl: env.BATON_SMTP_URL, apiUrl: env.BATON_MAILPIT_URL || undefined };
  }
  const started = Date.now();
  try {
    const mail = await startMailServer({ paths, profile, log, env });
    log(
      `Mailpit ready: SMTP ${mail.smtpUrl}, mailbox ${mail.readUrl} (data ${mail.dataPath}) in ${seconds(started)}s.`,
    );
    return mail;
  } catch (error) {
    if (profile === 'test') throw error;
    log(
      `Warning: no mail server, so Send Email nodes need an SMTP credential and approval emails are not sent ` +
        `(their links show in the inbox). ${(error as Error).message}`,
    );
    return {};
  }
}

/** Test data never outlives a test run: a fresh Temporal history and empty databases every time. */
function wipeTestData(paths: ServicePaths) {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${paths.temporalDb}${suffix}`, { force: true });
  rmSync(paths.ferretDir, { recursive: true, force: true });
  rmSync(paths.postgresDir, { recursive: true, force: true });
  rmSync(paths.postgresSocketDir, { recursive: true, force: true });
  rmSync(paths.mongodDir, { recursive: true, force: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${paths.mailpitDb}${suffix}`, { force: true });
}

const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;
