// Jest global setup: real services for every test file. `baton test` passes them in the environment; a bare
// jest run starts the embedded ones under .baton/ with the test profile (fresh test-temporal.db, test-ferretdb/).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServices, type RunningServices } from '../temporal/services';

declare global {
  var __batonTestServices: RunningServices | undefined;
}

export default async function globalSetup(globalConfig: { rootDir: string }): Promise<void> {
  process.env.BATON_HTTP_ALLOW_HOSTS = '127.0.0.1,::1,localhost'; // HTTP nodes in tests call loopback sinks
  // Workers that tests start bundle the workflow code once per run, not once each (~5 s of CPU per worker).
  process.env.BATON_WORKFLOW_BUNDLE_CACHE = mkdtempSync(path.join(tmpdir(), 'baton-test-bundles-'));
  if (process.env.TEMPORAL_ADDRESS && process.env.MONGODB_URI) return;
  const home = path.resolve(globalConfig.rootDir, process.env.BATON_HOME ?? '.baton');
  const services = await startServices({ home, profile: 'test' });
  Object.assign(process.env, services.env, { BATON_HOME: home }); // jest workers inherit this environment
  globalThis.__batonTestServices = services;
}
