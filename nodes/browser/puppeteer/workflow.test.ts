// The Puppeteer engine in real runs: Temporal, a worker process polling the `browser` queue, the store and the local
// website. A login typed from a stored Website login signs in once, keeps its password out of records and history,
// and stores a screenshot file; a missing element fails naming the step, and the worker serves the next run.
import { isFileRef } from '../../../contracts/file-ref';
import { createCredential } from '../../../db/credentials';
import { readFileValue } from '../../../db/files';
import { createWorkflow } from '../../../db/workflows';
import { systemScope } from '../../../db/workspaces';
import { startBrowserSite, type BrowserSite } from '../../../test/browser-site/server';
import { getTemporalClient } from '../../../temporal/client';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../../../test/run-harness';
import type { BrowserStep } from '../spec';

const WS = 'ws_browser_puppeteer_flow';
let site: BrowserSite;
let harness: RunHarness;
let workflowId = '';
let login = '';
beforeAll(async () => {
  site = await startBrowserSite();
  harness = await startRunHarness('browser_puppeteer_flow');
  // The site is on loopback, which the worker refuses unless its administrator allows it.
  await harness.startWorker({ queues: ['default', 'browser'], env: { BATON_HTTP_ALLOW_HOSTS: '127.0.0.1' } });
  workflowId = (await createWorkflow(systemScope(WS), { name: 'Browser (Puppeteer)', ownerId: 'owner' })).id;
  login = (
    await createCredential(systemScope(WS), {
      name: 'Ada at the site',
      type: 'website-login',
      values: { username: 'ada@example.com', password: 'analytical' },
    })
  ).id;
}, 180_000);
afterAll(async () => {
  await harness?.close();
  await site?.close();
});

function puppeteerFlow(steps: BrowserStep[], extra: Record<string, unknown> = {}) {
  return compileOrThrow(
    workflowDoc(
      [
        { id: 'trigger', type: 'manual-trigger' },
        { id: 'browse', type: 'browser', params: { steps, engine: 'puppeteer', stepTimeoutMs: 2_000, ...extra } },
      ],
      [['trigger', 'browse']],
    ),
    workflowId,
  );
}

it('signs in with a stored login once, stores a screenshot file, and keeps the password out of history', async () => {
  const { runId, result, steps } = await harness.run(
    puppeteerFlow(
      [
        { action: 'goto', target: `${site.url}/login` },
        { action: 'fill', target: 'label=Email', value: '$credential.username' },
        { action: 'fill', target: 'label=Password', value: '$credential.password' },
        { action: 'click', target: 'role=button[name="Sign in"]' },
        { action: 'extractText', target: 'h1', name: 'greeting' },
        { action: 'screenshot', name: 'proof' },
      ],
      { credential: login },
    ),
  );
  expect(result.status).toBe('succeeded');
  const output = steps.find((s) => s.nodeId === 'browse')!.output as {
    data: { greeting: string; proof: unknown };
    steps: Array<{ screenshot?: unknown }>;
  };
  expect(output.data.greeting).toBe('Welcome, Ada');
  // The page received the step's idempotency key (run, node, iteration) as a header.
  expect(site.submissions(`${runId}:browse:0`)).toBe(1);
  expect(output.steps[5].screenshot).toEqual(output.data.proof);
  expect(isFileRef(output.data.proof)).toBe(true);
  const png = (await readFileValue(output.data.proof, 'proof', WS, 1 << 24)).data;
  expect(png.subarray(0, 4).toString('latin1')).toBe('\x89PNG');
  expect(JSON.stringify(steps)).not.toContain('analytical');
  const history = await (await getTemporalClient()).workflow.getHandle(runId).fetchHistory();
  expect(JSON.stringify(history)).not.toContain('analytical');
}, 60_000);

it('fails a missing element naming the step, and the worker serves the next run', async () => {
  const missing = await harness.run(
    puppeteerFlow([
      { action: 'goto', target: `${site.url}/people` },
      { action: 'click', target: 'testid=nowhere' },
    ]),
  );
  expect(missing.result.status).toBe('failed');
  expect(missing.steps.find((s) => s.nodeId === 'browse')).toMatchObject({
    status: 'failed',
    attempt: 1,
    error: { code: 'browser-step', message: 'Step 2 (click testid=nowhere): Timeout 2000ms exceeded' },
  });

  const next = await harness.run(
    puppeteerFlow([
      { action: 'goto', target: `${site.url}/people` },
      { action: 'extractTable', target: '#people', name: 'people' },
    ]),
  );
  expect(next.result.status).toBe('succeeded');
  const output = next.steps.find((s) => s.nodeId === 'browse')!.output as { data: { people: unknown[] } };
  expect(output.data.people).toHaveLength(2);
}, 90_000);
