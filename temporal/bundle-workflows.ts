// Builds the workflow bundle in a process of its own and writes it as JSON ({ code, sourceMap }) to the file given:
//   node --import tsx temporal/bundle-workflows.ts <out.json>
// Webpack needs a few hundred MB while it bundles, and a Node process keeps its heap once it has grown, so the
// worker (temporal/worker.ts `bundleWorkflowsApart`) bundles through this child and stays small while it runs.
import { writeFileSync } from 'node:fs';
import { bundleWorkflows } from './worker';

const out = process.argv[2];
if (!out) {
  console.error('usage: node --import tsx temporal/bundle-workflows.ts <out.json>');
  process.exit(2);
}
writeFileSync(out, JSON.stringify(await bundleWorkflows()));
