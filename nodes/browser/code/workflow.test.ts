// The Browser node's code mode in real runs: Temporal, a worker process polling the `browser` queue, the store and
// a local website. A script signs in with the trigger's data and returns the greeting and a stored screenshot; a
// script that overruns its time limit fails once (no retry) with the limit named, and the worker serves the next run.
import { isFileRef } from '../../../contracts/file-ref';
import { readFileValue } from '../../../db/files';
import { createWorkflow } from '../../../db/workflows';
import { systemScope } from '../../../db/workspaces';
import { startBrowserSite, type BrowserSite } from '../../../test/browser-site/server';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../../../test/run-harness';

const WS = 'ws_browser_code_flow';
let site: BrowserSite;
let harness: RunHarness;
let workflowId = '';
beforeAll(async () => {
  site = await startBrowserSite();
  harness = await startRunHarness('browser_code_flow');
  // The site is on loopback, which the worker refuses unless its administrator allows it.
  await harness.startWorker({ queues: ['default', 'browser'], env: { BATON_HTTP_ALLOW_HOSTS: '127.0.0.1' } });
  workflowId = (await createWorkflow(systemScope(WS), { name: 'Browser code', ownerId: 'owner' })).id;
}, 180_000);
afterAll(async () => {
  await harness?.close();
  await site?.close();
});

function scriptFlow(code: string, extra: Record<string, unknown> = {}) {
  return compileOrThrow(
    workflowDoc(
      [
        { id: 'trigger', type: 'manual-trigger' },
        { id: 'browse', type: 'browser', params: { mode: 'code', code, stepTimeoutMs: 2_000, ...extra } },
      ],
      [['trigger', 'browse']],
    ),
    workflowId,
  );
}

it('signs in with the trigger’s data once and returns the greeting and a stored screenshot', async () => {
  const plan = scriptFlow(`
    await page.goto('${site.url}/login');
    await page.fill('label=Email', input.email);
    await page.fill('label=Password', input.password);
    await page.click('role=button[name="Sign in"]');
    return { greeting: await page.innerText('h1'), proof: await page.screenshot({ name: 'proof' }) };
  `);
  const { runId, result, steps } = await harness.run(plan, { email: 'ada@example.com', password: 'analytical' });
  expect(result.status).toBe('succeeded');
  const output = steps.find((s) => s.nodeId === 'browse')!.output as {
    data: { greeting: string; proof: unknown };
    title: string;
  };
  expect(output.data.greeting).toBe('Welcome, Ada');
  expect(output.title).toBe('Welcome');
  expect(site.submissions(`${runId}:browse:0`)).toBe(1);
  expect(isFileRef(output.data.proof)).toBe(true);
  const png = (await readFileValue(output.data.proof, 'proof', WS, 1 << 24)).data;
  expect(png.subarray(0, 4).toString('latin1')).toBe('\x89PNG');
}, 90_000);

it('fails a script past its time limit once, naming the limit, and the worker serves the next run', async () => {
  const endless = await harness.run(
    scriptFlow(`await page.goto('${site.url}/people');\nwhile (true) {}`, { codeTimeoutMs: 1_000 }),
  );
  expect(endless.result.status).toBe('failed');
  expect(endless.steps.find((s) => s.nodeId === 'browse')).toMatchObject({
    status: 'failed',
    attempt: 1,
    error: {
      code: 'browser-code-limit',
      message: expect.stringMatching(/^Browser code exceeded its 1000 ms time limit/),
    },
  });

  const broken = await harness.run(
    scriptFlow(`await page.goto('${site.url}/people');\nawait page.click('testid=nowhere');`),
  );
  expect(broken.steps.find((s) => s.nodeId === 'browse')).toMatchObject({
    status: 'failed',
    attempt: 1,
    error: {
      code: 'browser-code',
      message: expect.stringMatching(/^Code line 2: page\.click: Timeout 2000ms exceeded/),
    },
  });

  const next = await harness.run(
    scriptFlow(`await page.goto('${site.url}/people');\nreturn page.locator('#people tbody tr').count();`),
  );
  expect(next.result.status).toBe('succeeded');
  expect((next.steps.find((s) => s.nodeId === 'browse')!.output as { data: number }).data).toBe(2);
}, 120_000);
