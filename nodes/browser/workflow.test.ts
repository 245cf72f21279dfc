// The Browser node in real runs: Temporal, a worker process polling the `browser` queue, the store and a local
// website. A login driven by the trigger's data signs in once and stores a screenshot file; a step whose element
// never appears and a refused host fail naming the step, and the same worker then serves the next run. A stored
// Website login is typed on the worker and its password reaches no record or history; a file one node downloads,
// the next uploads.
import { isFileRef } from '../../contracts/file-ref';
import { createCredential } from '../../db/credentials';
import { readFileValue } from '../../db/files';
import { createWorkflow } from '../../db/workflows';
import { systemScope } from '../../db/workspaces';
import { startBrowserSite, type BrowserSite } from '../../test/browser-site/server';
import { getTemporalClient } from '../../temporal/client';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../../test/run-harness';
import type { BrowserStep } from './spec';

const WS = 'ws_browser_flow';
let site: BrowserSite;
let harness: RunHarness;
let workflowId = '';
let login = '';
beforeAll(async () => {
  site = await startBrowserSite();
  harness = await startRunHarness('browser_flow');
  // The site is on loopback, which the worker refuses unless its administrator allows it.
  await harness.startWorker({ queues: ['default', 'browser'], env: { BATON_HTTP_ALLOW_HOSTS: '127.0.0.1' } });
  workflowId = (await createWorkflow(systemScope(WS), { name: 'Browser', ownerId: 'owner' })).id;
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
  const plan = browserFlow([
    { action: 'goto', target: `${site.url}/login` },
    { action: 'fill', target: 'label=Email', value: '{{ $input.email }}' },
    { action: 'fill', target: 'label=Password', value: '{{ $input.password }}' },
    { action: 'click', target: 'role=button[name="Sign in"]' },
    { action: 'extractText', target: 'h1', name: 'greeting' },
    { action: 'screenshot', name: 'proof' },
  ]);
  const { runId, result, steps } = await harness.run(plan, { email: 'ada@example.com', password: 'analytical' });
  expect(result.status).toBe('succeeded');
  const output = steps.find((s) => s.nodeId === 'browse')!.output as {
    data: { greeting: string; proof: unknown };
    steps: Array<{ index: number; ok: boolean; screenshot?: unknown }>;
    title: string;
  };
  expect(output.data.greeting).toBe('Welcome, Ada');
  expect(output.title).toBe('Welcome');
  // The page received the step's idempotency key (run, node, iteration) as a header.
  expect(site.submissions(`${runId}:browse:0`)).toBe(1);
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

it('types a stored Website login on the worker: its password is in no step record, error or Temporal history', async () => {
  const signIn: BrowserStep[] = [
    { action: 'goto', target: `${site.url}/login` },
    { action: 'fill', target: 'label=Email', value: '$credential.username' },
    { action: 'fill', target: 'label=Password', value: '$credential.password' },
  ];
  const history = async (runId: string) =>
    JSON.stringify(await (await getTemporalClient()).workflow.getHandle(runId).fetchHistory());

  const ok = await harness.run(
    browserFlow(
      [
        ...signIn,
        { action: 'click', target: 'role=button[name="Sign in"]' },
        { action: 'extractText', target: 'h1', name: 'greeting' },
      ],
      { credential: login },
    ),
  );
  expect(ok.result.status).toBe('succeeded');
  const output = ok.steps.find((s) => s.nodeId === 'browse')!.output as { data: { greeting: string } };
  expect(output.data.greeting).toBe('Welcome, Ada');
  expect(JSON.stringify(ok.steps)).not.toContain('analytical');
  expect(await history(ok.runId)).not.toContain('analytical');

  const failed = await harness.run(
    browserFlow([...signIn, { action: 'click', target: 'testid=nowhere' }], {
      credential: login,
      screenshots: 'failure',
    }),
  );
  const step = failed.steps.find((s) => s.nodeId === 'browse')!;
  expect(step).toMatchObject({
    status: 'failed',
    error: { code: 'browser-step', message: expect.stringMatching(/^Step 4 \(click testid=nowhere\): Timeout 2000ms/) },
  });
  // The evidence kept with the failure says why there is no trace.
  expect(JSON.stringify(step.details)).toContain('a credential was used');
  expect(JSON.stringify(failed.steps)).not.toContain('analytical');
  expect(await history(failed.runId)).not.toContain('analytical');
}, 90_000);

it('downloads a file in one Browser node and uploads it in the next, through the run’s file store', async () => {
  const plan = compileOrThrow(
    workflowDoc(
      [
        { id: 'trigger', type: 'manual-trigger' },
        {
          id: 'fetch',
          type: 'browser',
          params: {
            steps: [
              { action: 'goto', target: `${site.url}/download` },
              { action: 'download', target: 'text=Download CSV', name: 'csv' },
            ],
          },
        },
        {
          id: 'send',
          type: 'browser',
          params: {
            steps: [
              { action: 'goto', target: `${site.url}/upload` },
              { action: 'upload', target: 'label=Attachment', value: '{{ $input.data.csv }}' },
              { action: 'click', target: 'role=button[name="Send"]' },
              { action: 'extractText', target: '#received', name: 'received' },
            ],
          },
        },
      ],
      [
        ['trigger', 'fetch'],
        ['fetch', 'send'],
      ],
    ),
    workflowId,
  );
  const { result, steps } = await harness.run(plan);
  expect(result.status).toBe('succeeded');
  const fetched = steps.find((s) => s.nodeId === 'fetch')!.output as { data: { csv: unknown } };
  expect(fetched.data.csv).toMatchObject({ name: 'people.csv', mimeType: 'text/csv', bytes: 100 });
  const csv = (await readFileValue(fetched.data.csv, 'csv', WS, 1 << 20)).data.toString();
  expect(csv.split('\n')[1]).toBe('Ada Lovelace,Engineering');
  const sent = steps.find((s) => s.nodeId === 'send')!.output as { data: { received: string } };
  expect(sent.data.received).toBe('people.csv (100 bytes)');
}, 90_000);
