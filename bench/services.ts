// Benchmarks use the services named in the environment, else start the embedded ones for the run.
export async function ensureServices(): Promise<() => Promise<void>> {
  if (process.env.TEMPORAL_ADDRESS && process.env.MONGODB_URI) return async () => undefined;
  const { startServices } = await import('../temporal/services/index');
  const services = await startServices({});
  Object.assign(process.env, services.env);
  return () => services.stop();
}
