// How Baton starts headless Chromium (the Browser node, e2e tests, benchmarks): the flags keep it off the network
// it would otherwise call home to, which a closed machine refuses many times a second.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Autofill asks Google about every page with a form, through the context's proxy: a refused host under Allowed domains.
  '--disable-features=AutofillServerCommunication',
];

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.BATON_CHROMIUM || '/usr/bin/chromium';
}
