// Stops the services global-setup started (none when they came from the environment).
export default async function globalTeardown(): Promise<void> {
  await globalThis.__batonTestServices?.stop();
  globalThis.__batonTestServices = undefined;
}
