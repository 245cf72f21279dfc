// Stops the services global-setup started (none when they came from the environment), and drops the run's
// workflow bundles.
import { rmSync } from 'node:fs';
export default async function globalTeardown(): Promise<void> {
  const bundles = process.env.BATON_WORKFLOW_BUNDLE_CACHE;
  if (bundles) rmSync(bundles, { recursive: true, force: true });
  await globalThis.__batonTestServices?.stop();
  globalThis.__batonTestServices = undefined;
}
