// The embedded services launcher against the real binaries: env overrides, health, persistence, no orphans.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import { Client, Connection } from '@temporalio/client';
import { sendMail } from '../nodes/send-email/mailer';
import { smtpFromUrl } from '../nodes/send-email/smtp-settings';
import { startServices, type ServicesState } from '../temporal/services';
import { pingMongo } from '../temporal/services/mongo-server';
import { freePort } from '../temporal/services/ports';
import { processAlive } from '../temporal/services/stale-services';
import { temporalHealthy } from '../temporal/services/temporal-server';
import { waitUntilGone } from './stack';

const repo = fileURLToPath(new URL('..', import.meta.url));
const homes: string[] = [];
const lines: string[] = [];
const log = (line: string) => lines.push(line);

function tempHome(): string {
  const home = mkdtempSync(path.join(os.tmpdir(), 'baton-services-test-'));
  homes.push(home);
  return home;
}

/** An environment that makes the launcher start its own services on free ports, reusing installed binaries. */
async function ownServicesEnv(): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BATON_BIN_DIR: process.env.BATON_BIN_DIR ?? path.join(repo, '.baton', 'bin'),
    BATON_TEMPORAL_PORT: String(await freePort()),
    BATON_MONGO_PORT: String(await freePort()),
    BATON_MAILPIT_SMTP_PORT: String(await freePort()),
    BATON_MAILPIT_UI_PORT: String(await freePort()),
    BATON_CHROMIUM: process.env.BATON_CHROMIUM ?? '/usr/bin/chromium',
  };
  delete env.TEMPORAL_ADDRESS;
  delete env.MONGODB_URI;
  delete env.BATON_SMTP_URL;
  delete env.BATON_MAILPIT_URL;
  delete env.BATON_HOME;
  return env;
}

afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

test('services given in the environment are used as-is and nothing is started', async () => {
  const home = tempHome();
  const given = {
    TEMPORAL_ADDRESS: '127.0.0.1:1',
    MONGODB_URI: 'mongodb://127.0.0.1:1/given',
    BATON_CHROMIUM: '/opt/given/chrome',
    BATON_SMTP_URL: 'smtp://127.0.0.1:1',
  };
  // An empty PATH: any attempt to find or install a binary would fail the test.
  const services = await startServices({ home, log, env: { ...given, PATH: '', NODE_ENV: 'test' } });
  expect(services.env).toEqual(given);
  expect(services.processes).toEqual([]);
  expect(existsSync(path.join(home, 'logs', 'temporal.log'))).toBe(false);
  expect(existsSync(path.join(home, 'logs', 'mongo.log'))).toBe(false);
  await services.stop();
});

test('started Temporal and Mongo are healthy, and their data survives a restart', async () => {
  const home = tempHome();
  const env = await ownServicesEnv();
  const workflowId = `services-test-${Date.now()}`;

  let services = await startServices({ home, log, env });
  // Temporal, PostgreSQL and FerretDB over it (docs/decisions/029-embedded-postgresql.md), and Mailpit.
  expect(services.processes.map((p) => p.isRunning())).toEqual([true, true, true, true]);
  await expect(temporalHealthy(services.env.TEMPORAL_ADDRESS)).resolves.toBe(true);
  await expect(pingMongo(services.env.MONGODB_URI)).resolves.toBe(true);
  expect(services.env.BATON_SMTP_URL).toBe(`smtp://127.0.0.1:${env.BATON_MAILPIT_SMTP_PORT}`);
  expect(services.env.BATON_MAILPIT_URL).toBe(`http://127.0.0.1:${env.BATON_MAILPIT_UI_PORT}`);
  await sendMail(
    smtpFromUrl(services.env.BATON_SMTP_URL!),
    {
      from: { address: 'baton@acme.test' },
      to: [{ address: 'kept@acme.test' }],
      cc: [],
      bcc: [],
      replyTo: [],
      subject: 'Kept across a restart',
      text: 'Hello',
      attachments: [],
    },
    { idempotencyKey: workflowId },
  );

  const mongo = new mongoose.mongo.MongoClient(services.env.MONGODB_URI);
  await mongo.connect();
  await mongo
    .db()
    .collection('persistence')
    .insertOne({ _id: 'kept' as any, value: 42 });
  await mongo.close();
  let connection = await Connection.connect({ address: services.env.TEMPORAL_ADDRESS });
  // No worker polls this queue, so the workflow stays running: exactly what a restart must preserve.
  await new Client({ connection }).workflow.start('notRegistered', { taskQueue: 'services-test-nobody', workflowId });
  await connection.close();

  const firstPids = services.processes.map((p) => p.pid);
  await services.stop();
  expect(firstPids.filter(processAlive)).toEqual([]);
  expect(existsSync(services.stateFile)).toBe(false);

  services = await startServices({ home, log, env });
  try {
    const reopened = new mongoose.mongo.MongoClient(services.env.MONGODB_URI);
    await reopened.connect();
    await expect(
      reopened
        .db()
        .collection('persistence')
        .findOne({ _id: 'kept' as any }),
    ).resolves.toMatchObject({ value: 42 });
    await reopened.close();
    const mailbox = await fetch(`${services.env.BATON_MAILPIT_URL}/api/v1/messages`);
    const { messages } = (await mailbox.json()) as { messages: Array<{ Subject: string }> };
    expect(messages.map((m) => m.Subject)).toEqual(['Kept across a restart']);
    connection = await Connection.connect({ address: services.env.TEMPORAL_ADDRESS });
    const description = await new Client({ connection }).workflow.getHandle(workflowId).describe();
    expect(description.status.name).toBe('RUNNING');
    await connection.close();
  } finally {
    await services.stop();
  }
}, 240_000);

test('SIGKILL of the process that started the services leaves no service process behind', async () => {
  const home = tempHome();
  const env = { ...(await ownServicesEnv()), BATON_HOME: home };
  const owner = spawn(process.execPath, [path.join(repo, 'bin', 'baton.mjs'), 'services'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  owner.stdout.on('data', (chunk) => (output += chunk));
  owner.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => owner.once('exit', resolve));

  const deadline = Date.now() + 180_000;
  while (!output.includes('Services are running') && Date.now() < deadline && owner.exitCode === null) await sleep(200);
  expect(output).toContain('Services are running');

  const state = JSON.parse(readFileSync(path.join(home, 'services.json'), 'utf8')) as ServicesState;
  const servicePids = state.processes.map((p) => p.pid);
  expect(state.processes.map((p) => p.name).sort()).toEqual(['ferretdb', 'mailpit', 'postgres', 'temporal']);
  expect(servicePids.every(processAlive)).toBe(true);
  expect(state.watchdogPid && processAlive(state.watchdogPid)).toBe(true);

  owner.kill('SIGKILL');
  await exited;
  expect(await waitUntilGone(servicePids, 10_000)).toEqual([]);
  expect(await waitUntilGone([state.watchdogPid!], 10_000)).toEqual([]);
}, 240_000);
