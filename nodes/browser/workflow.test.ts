// The Browser node in real runs: Temporal, a worker process polling the `browser` queue, the store and a local
// website. A login driven by the trigger's data signs in once and stores a screenshot file; a step whose element
// never appears and a refused host fail naming the step, and the same worker then serves the next run.
import { randomUUID } from 'node:crypto';
import { isFileRef } from '../../contracts/file-ref';
import { readFileValue } from '../../db/files';
import { createWorkflow } from '../../db/workflows';
import { systemScope } from '../../db/workspaces';
import { startBrowserSite, type BrowserSite } from '../../test/browser-site/server';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../../test/run-harness';
import type { BrowserStep } from './spec';

const WS = 'ws_browser_flow';
let site: BrowserSite;
let harness: RunHarness;
let workflowId = '';
beforeAll(async () => {
  site = await startBrowserSite();
  harness = await startRunHarness('browser_flow');
  // The site is on loopback, which the worker refuses unless its administrator allows it.
  await harness.startWorker({ queues: ['default', 'browser'], env: { BATON_HTTP_ALLOW_HOSTS: '127.0.0.1' } });
  workflowId = (await createWorkflow(systemScope(WS), { name: 'Browser', ownerId: 'owner' })).id;
}, 180_000);
afterAll(async () => {
  await harness?.close();
  await site?.close();
});

function browserFlow(steps: BrowserStep[], extra: Record<string, unknown> = {}) {
  return compileOrThrow(
    workflowDoc(
      [
        { id: 'trigger', type: 'manual-trigger' },
        { id: 'browse', type: 'browser', params: { steps, stepTimeoutMs: 2_000, ...extra } },
      ],
      [['trigger', 'browse']],
    ),
    workflowId,
  );
}

it('signs in with the trigger’s data once, extracts the greeting and stores a screenshot file', async () => {
  const key = randomUUID();
  const plan = browserFlow([
    { action: 'goto', target: `${site.url}/login?key={{ $input.key }}` },
    { action: 'fill', target: 'label=Email', value: '{{ $input.email }}' },
    { action: 'fill', target: 'label=Password', value: '{{ $input.password }}' },
    { action: 'click', target: 'role=button[name="Sign in"]' },
    { action: 'extractText', target: 'h1', name: 'greeting' },
    { action: 'screenshot', name: 'proof' },
  ]);
  const { result, steps } = await harness.run(plan, { key, email: 'ada@example.com', password: 'analytical' });
  expect(result.status).toBe('succeeded');
  const output = steps.find((s) => s.nodeId === 'browse')!.output as {
    data: { greeting: string; proof: unknown };
    steps: Array<{ index: number; ok: boolean; screenshot?: unknown }>;
    title: string;
  };
  expect(output.data.greeting).toBe('Welcome, Ada');
  expect(output.title).toBe('Welcome');
  expect(site.submissions(key)).toBe(1);
  expect(isFileRef(output.data.proof)).toBe(true);
  expect(output.steps[5].screenshot).toEqual(output.data.proof);
  const png = (await readFileValue(output.data.proof, 'proof', WS, 1 << 24)).data;
  expect(png.subarray(0, 4).toString('latin1')).toBe('\x89PNG');
}, 60_000);

it('fails a missing element or a refused host naming the step, and the worker serves the next run', async () => {
  const missing = await harness.run(
    browserFlow([
      { action: 'goto', target: `${site.url}/people` },
      { action: 'click', target: 'testid=nowhere' },
    ]),
  );
  expect(missing.result.status).toBe('failed');
  expect(missing.steps.find((s) => s.nodeId === 'browse')).toMatchObject({
    status: 'failed',
    attempt: 1,
    error: { code: 'browser-step', message: expect.stringMatching(/^Step 2 \(click testid=nowhere\): Timeout 2000ms/) },
  });

  const refused = await harness.run(
    browserFlow([{ action: 'goto', target: `${site.url}/people` }], { allowedDomains: 'example.com' }),
  );
  expect(refused.steps.find((s) => s.nodeId === 'browse')).toMatchObject({
    status: 'failed',
    error: {
      code: 'browser-step',
      message: expect.stringContaining('): request blocked: host 127.0.0.1 is not in Allowed domains'),
    },
  });

  const next = await harness.run(
    browserFlow([
      { action: 'goto', target: `${site.url}/people` },
      { action: 'extractTable', target: '#people', name: 'people' },
    ]),
  );
  expect(next.steps.find((s) => s.nodeId === 'browse')?.error).toBeUndefined();
  expect(next.result.status).toBe('succeeded');
  const output = next.steps.find((s) => s.nodeId === 'browse')!.output as { data: { people: unknown[] } };
  expect(output.data.people).toHaveLength(2);
}, 90_000);
