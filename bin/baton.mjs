#!/usr/bin/env node
// Baton's command line. Plain JS so that it runs before anything is compiled: it registers tsx in this process
// and loads the TypeScript command; the web server and workers it starts are their own `node --import tsx` processes.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const usage = `Usage: baton <command> [options]

Commands:
  dev                      Start everything: embedded services, the web app (built if stale) and one worker
                           for every task queue; restarts the web or worker if it crashes. Same as \`npm start\`.
  web                      Start only the web server.
  worker [--queues list]   Start only a worker (queues: default,browser,gpu; all by default).
  services                 Start only the embedded services and print their environment.
  test [--unit|--e2e] [jest args]
                           Start the services once, run jest, then Playwright against a started app;
                           ends with "N passed, N failed". Same as \`npm test\`.
  credentials rotate-key [--new-key key]
                           Re-encrypt every stored credential under a new vault key.

Environment:
  TEMPORAL_ADDRESS, MONGODB_URI, BATON_CHROMIUM   use these instead of embedded services
  BATON_HOME        data, logs and installed binaries (default: .baton in the app folder)
  BATON_ENCRYPTION_KEY   the credential vault key (256 bits, hex or base64); else BATON_HOME/vault.key
  PORT              web port (default 3000)
  BATON_TEMPORAL_PORT, BATON_MONGO_PORT, BATON_BIN_DIR   embedded service ports, shared binary folder
  BATON_MAX_CRASHES, BATON_CRASH_WINDOW_SECONDS   dev restarts a crashed web or worker; it stops after this
                    many crashes of one process within this window (default 5 in 120 s)
`;

const commands = ['dev', 'web', 'worker', 'services', 'test', 'credentials'];
const [command, ...args] = process.argv.slice(2);
if (!command || ['help', '--help', '-h'].includes(command)) {
  console.log(usage);
  process.exit(0);
}
if (!commands.includes(command)) {
  console.error(`Unknown command "${command}".\n\n${usage}`);
  process.exit(2);
}

// Paths in the environment mean what they meant where the user typed the command; the app runs from its folder.
const appRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.env.BATON_HOME = path.resolve(process.env.BATON_HOME ?? path.join(appRoot, '.baton'));
if (process.env.BATON_BIN_DIR) process.env.BATON_BIN_DIR = path.resolve(process.env.BATON_BIN_DIR);
process.chdir(appRoot);

register();
try {
  const { run } = await import(`./commands/${command}.ts`);
  process.exit(await run(args));
} catch (error) {
  console.error(`[baton] ${command} failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
