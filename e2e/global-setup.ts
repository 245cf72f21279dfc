// Without BATON_URL, e2e brings its own Baton: services (embedded unless TEMPORAL_ADDRESS/MONGODB_URI are set),
// a worker and the web server on a fresh database. Teardown stops what it started.
import path from 'node:path';
import mongoose from 'mongoose';
import { BAMBOOHR_API_URL_ENV } from '../nodes/bamboohr/api-url';
import { startServices } from '../temporal/services';
import { startBambooReplay } from '../test/replay/bamboohr';
import { freePort, startWeb, startWorker, testDatabaseUri, REPO_ROOT } from '../test/stack';

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.env.BATON_URL) return async () => {};
  const stops: Array<() => Promise<void> | void> = [];
  if (!process.env.TEMPORAL_ADDRESS || !process.env.MONGODB_URI) {
    const services = await startServices({
      home: path.resolve(REPO_ROOT, process.env.BATON_HOME ?? '.baton'),
      profile: 'test',
    });
    Object.assign(process.env, services.env);
    stops.push(() => services.stop());
  }
  // BATON_E2E_NAME keeps concurrent e2e runs on one machine apart (database, task queues, home).
  const name = process.env.BATON_E2E_NAME ? `e2e-${process.env.BATON_E2E_NAME.replace(/[^\w-]/g, '')}` : 'e2e';
  const mongoUri = testDatabaseUri(`baton_${name.replace(/-/g, '_')}`);
  // A fresh database, so the setup page creates the owner the test signs in with.
  const conn = await mongoose.createConnection(mongoUri).asPromise();
  await conn.dropDatabase();
  await conn.close();

  // BambooHR cannot be reached from tests: web and worker call its replay (test/replay/bamboohr.ts), whose company
  // and API key the specs read from BATON_E2E_BAMBOOHR to make a credential.
  const bamboo = await startBambooReplay();
  stops.push(() => bamboo.close());
  process.env.BATON_E2E_BAMBOOHR = JSON.stringify({ url: bamboo.url, company: bamboo.company, apiKey: bamboo.apiKey });

  const port = await freePort();
  const env = {
    [BAMBOOHR_API_URL_ENV]: bamboo.url,
    MONGODB_URI: mongoUri,
    // Links the worker hands out (approval emails, Wait resume links) point at this web server.
    BATON_PUBLIC_URL: `http://127.0.0.1:${port}`,
    BATON_QUEUE_PREFIX: `${name}-`,
    BATON_HOME: path.join(REPO_ROOT, `.baton-${name}`),
    // As `baton test` does: the specs' HTTP nodes call loopback servers the spec starts.
    BATON_HTTP_ALLOW_HOSTS: '127.0.0.1,::1,localhost',
    // An instance admin besides the owner (docs/decisions/071), whom e2e/navigation.spec.ts signs in as.
    BATON_INSTANCE_ADMINS: 'e2e-moderator@baton.test',
  };
  const worker = await startWorker({ queuePrefix: `${name}-`, env });
  stops.unshift(async () => {
    worker.kill();
    await worker.stopped;
  });
  const web = await startWeb({ port, env });
  stops.unshift(async () => {
    web.kill();
    await web.stopped;
  });
  process.env.BATON_URL = web.url;
  // Specs that seed or inspect the app's database directly (e2e/db.ts) read it here.
  process.env.BATON_E2E_MONGODB_URI = mongoUri;
  // …and its home, for specs that sign in the store as the app would (its vault key file is there).
  process.env.BATON_E2E_HOME = env.BATON_HOME;
  return async () => {
    for (const stop of stops) await stop();
  };
}
