// `baton test` (npm test): provision and start the services once, run jest, then build and start the app on free
// ports with a fresh database and run Playwright against it; ends with one "N passed, N failed" line.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { startServices, type ServiceEnv } from '../../temporal/services';
import { startProcess } from '../../temporal/services/child-process';
import { defaultLog, step } from '../../temporal/services/installer';
import { freePort } from '../../temporal/services/ports';
import { startIntegrationServices } from '../../temporal/services/integration-services';
import { TASK_QUEUES } from '../../temporal/queues';
import { BAMBOOHR_API_URL_ENV } from '../../nodes/bamboohr/api-url';
import { startBambooReplay } from '../../test/replay/bamboohr';
import { buildAppIfStale } from '../lib/app-build';
import { appRoot, launchWeb, launchWorker, waitForWeb, waitForWorker } from '../lib/app-processes';
import { createProcessTree, type ProcessTree } from '../lib/process-tree';
import { runStaticChecks } from '../lib/static-checks';
import { countsFrom, parseJestReport, parsePlaywrightReport, type TestCounts } from '../lib/test-reports';

const log = defaultLog;

/** `baton test [--unit | --e2e] [jest args…]`: jest args (file patterns, -t) imply --unit; a full run also type-checks and lints. */
export async function run(args: string[]): Promise<number> {
  const e2eOnly = args.includes('--e2e');
  const jestArgs = args.filter((arg) => arg !== '--unit' && arg !== '--e2e');
  const unitOnly = args.includes('--unit') || jestArgs.length > 0;
  const totals: TestCounts = { passed: 0, failed: 0 };
  // Interrupted or crashed (a service died): what ran so far, plus the interruption as one failure.
  const tree = createProcessTree(log, {
    signalExitCode: 130,
    beforeExit: () => console.log(`${totals.passed} passed, ${totals.failed + 1} failed`),
  });
  const add = (counts: TestCounts) => {
    totals.passed += counts.passed;
    totals.failed += counts.failed;
  };

  try {
    const services = await startServices({ log, profile: 'test' });
    tree.setServices(services);
    const logsDir = path.join(services.home, 'logs');
    const integrations = await startIntegrationServices({
      home: services.home,
      stateFile: services.stateFile,
      profile: 'test',
      log,
      env: process.env,
    });
    integrations.processes.forEach((server) => tree.addApp(server));
    const env: NodeJS.ProcessEnv = { ...process.env, ...services.env, ...integrations.env, BATON_HOME: services.home };
    if (!e2eOnly && !unitOnly) add(await runStaticChecks(tree, logsDir, log));
    // Built once up front: some jest tests start the production web server (`baton dev`, `baton web`).
    if (!unitOnly) await buildAppIfStale({ log, logsDir });
    // With the build fresh, the web servers jest tests start serve it (test/stack.ts startWeb) instead of Vite.
    if (!unitOnly) env.BATON_TEST_WEB_BUILD = '1';
    if (!e2eOnly) add(await runJest(tree, jestArgs, env, logsDir));
    if (!unitOnly) add(await runEndToEnd(tree, services.env, env, logsDir));
    else log('Skipping the end-to-end tests (jest arguments or --unit given; `baton test --e2e` runs only them).');
  } catch (error) {
    log(`The test run stopped early: ${(error as Error).message}`);
    totals.failed += 1;
  }
  await tree.stop();
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  return totals.failed > 0 ? 1 : 0;
}

async function runJest(
  tree: ProcessTree,
  args: string[],
  env: NodeJS.ProcessEnv,
  logsDir: string,
): Promise<TestCounts> {
  const report = path.join(logsDir, 'jest-report.json');
  rmSync(report, { force: true });
  log('Running jest…');
  const jest = await startProcess({
    name: 'jest',
    command: process.execPath,
    args: [
      '--experimental-vm-modules',
      '--disable-warning=ExperimentalWarning', // jest's ESM mode needs vm modules; the warning is noise
      path.join(appRoot, 'node_modules', 'jest', 'bin', 'jest.js'),
      '--ci',
      '--json',
      `--outputFile=${report}`,
      ...args,
    ],
    cwd: appRoot,
    env,
    inheritOutput: true,
    logFile: path.join(logsDir, 'jest.log'),
    watchdogLog: path.join(logsDir, 'watchdog.log'),
  });
  tree.track(jest);
  const { code } = await jest.exited;
  return countsFrom('jest', report, code, parseJestReport, log);
}

async function runEndToEnd(
  tree: ProcessTree,
  services: ServiceEnv,
  baseEnv: NodeJS.ProcessEnv,
  logsDir: string,
): Promise<TestCounts> {
  const config = ['playwright.config.ts', 'playwright.config.js'].find((file) => existsSync(path.join(appRoot, file)));
  if (!config || !hasSpecs(path.join(appRoot, 'e2e'))) {
    log(`No ${config ? 'e2e/*.spec.ts files' : 'playwright.config.ts'}; skipping the end-to-end tests.`);
    return { passed: 0, failed: 0 };
  }
  await buildAppIfStale({ log, logsDir });

  // A database and queue prefix of its own, so the app under test starts empty whatever jest left behind.
  const runTag = `e2e${Date.now().toString(36)}`;
  const mongoUri = new URL(services.MONGODB_URI);
  mongoUri.pathname = `/baton_${runTag}`;
  process.env.BATON_QUEUE_PREFIX = `${runTag}-`; // launched processes inherit it; waitForWorker reads it
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    MONGODB_URI: mongoUri.toString(),
    BATON_QUEUE_PREFIX: process.env.BATON_QUEUE_PREFIX,
    BATON_HTTP_ALLOW_HOSTS: '127.0.0.1,::1,localhost', // the e2e workflows call a loopback API server
    // A run terminated outside Baton shows within seconds, not after the production default of a minute.
    BATON_RECONCILE_AFTER_MS: '3000',
    BATON_RECONCILE_EVERY_MS: '1000',
    // An instance admin besides the owner (docs/decisions/071), whom e2e/navigation.spec.ts signs in as.
    BATON_INSTANCE_ADMINS: 'e2e-moderator@baton.test',
  };
  // BambooHR cannot be reached from tests: web and worker call its replay (test/replay/bamboohr.ts), whose company
  // and API key the specs read from BATON_E2E_BAMBOOHR to make a credential (as e2e/global-setup.ts does).
  const bamboo = await startBambooReplay();
  env[BAMBOOHR_API_URL_ENV] = bamboo.url;
  const bambooForSpecs = JSON.stringify({ url: bamboo.url, company: bamboo.company, apiKey: bamboo.apiKey });
  const port = await freePort();
  const queues = [...TASK_QUEUES];

  const url = `http://localhost:${port}`;
  // Links the worker hands out (approval emails, Wait resume links) point at this web server.
  env.BATON_PUBLIC_URL = url;
  await step(log, `Starting the app for end-to-end tests at ${url}`, async () => {
    const web = await launchWeb({ env, port, logsDir });
    tree.addApp(web);
    const worker = await launchWorker({ env, queues, logsDir });
    tree.addApp(worker);
    await Promise.all([
      waitForWeb(web, port),
      waitForWorker(worker, { queues, temporalAddress: services.TEMPORAL_ADDRESS }),
    ]);
  });

  const report = path.join(logsDir, 'playwright-report.json');
  rmSync(report, { force: true });
  log('Running Playwright…');
  const playwright = await startProcess({
    name: 'playwright',
    command: process.execPath,
    args: [
      path.join(appRoot, 'node_modules', '@playwright', 'test', 'cli.js'),
      'test',
      '--config',
      config,
      '--reporter=list,json',
    ],
    cwd: appRoot,
    env: {
      ...env,
      BATON_URL: url,
      BATON_E2E_MONGODB_URI: env.MONGODB_URI,
      // The app's home, for specs that sign in the store as the app would (its vault key file is there).
      BATON_E2E_HOME: env.BATON_HOME,
      BATON_E2E_BAMBOOHR: bambooForSpecs,
      PLAYWRIGHT_JSON_OUTPUT_NAME: report,
    },
    inheritOutput: true,
    logFile: path.join(logsDir, 'playwright.log'),
    watchdogLog: path.join(logsDir, 'watchdog.log'),
  });
  tree.track(playwright);
  const { code } = await playwright.exited;
  await bamboo.close();
  await dropDatabase(mongoUri.toString());
  return countsFrom('Playwright', report, code, parsePlaywrightReport, log);
}

function hasSpecs(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true }).some((file) => /\.(spec|test|e2e)\.[cm]?[jt]sx?$/.test(String(file)));
}

async function dropDatabase(uri: string) {
  const client = new mongoose.mongo.MongoClient(uri, { serverSelectionTimeoutMS: 3000 });
  try {
    await client.connect();
    await client.db().dropDatabase();
  } catch (error) {
    log(`Could not drop the end-to-end database: ${(error as Error).message}`);
  } finally {
    await client.close();
  }
}
