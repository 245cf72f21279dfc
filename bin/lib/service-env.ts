// Service addresses for single processes (`baton web`, `baton worker`): the environment first, else the services
// a running `baton dev` / `baton services` recorded in <home>/services.json.
import { readServicesState, resolveHome, servicePaths } from '../../temporal/services';
import { processAlive } from '../../temporal/services/stale-services';

const keys = [
  'TEMPORAL_ADDRESS',
  'MONGODB_URI',
  'BATON_CHROMIUM',
  'BATON_SMTP_URL',
  'BATON_MAILPIT_URL',
  'BATON_CALDAV_URL',
  'BATON_TEST_POSTGRES_URL',
  'BATON_TEST_MYSQL_URL',
] as const;

export function externalServiceEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { stateFile } = servicePaths(resolveHome(undefined, env), 'dev', env);
  const state = readServicesState(stateFile);
  const recorded = state && processAlive(state.ownerPid) ? state.env : undefined;
  const merged: NodeJS.ProcessEnv = { ...env };
  for (const key of keys) merged[key] ||= recorded?.[key];
  const missing = keys.slice(0, 2).filter((key) => !merged[key]);
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set and no running Baton services are recorded in ${stateFile}. ` +
        'Set them to your Temporal and MongoDB, or start embedded ones with `baton services` (or use `baton dev`).',
    );
  }
  return merged;
}
