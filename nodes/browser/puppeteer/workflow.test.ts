// The Puppeteer engine in real runs: Temporal, a worker process polling the `browser` queue, the store and the local
// website. A login typed from a stored Website login signs in once, keeps its password out of records and history,
// and stores a screenshot file; a missing element fails naming the step, and the worker serves the next run. A
// session the Playwright engine saved in the store starts a Puppeteer run signed in (and back), its cookie in no
// record or history; a file one Puppeteer node downloads, the next uploads, and one over the cap fails naming the step.
// Steps as the recorder records them (a sign-in inside a cross-origin iframe, a picked list) replay in a real run.
import mongoose from 'mongoose';
import { isFileRef } from '../../../contracts/file-ref';
import { createCredential } from '../../../db/credentials';
import { readFileValue } from '../../../db/files';
import { createWorkflow } from '../../../db/workflows';
import { systemScope } from '../../../db/workspaces';
import { startBrowserSite, type BrowserSite } from '../../../test/browser-site/server';
import { getTemporalClient } from '../../../temporal/client';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../../../test/run-harness';
import type { BrowserStep } from '../spec';
import { readMembers, signIn, startMembersSite, type MembersSite } from './test-members-site';

const WS = 'ws_browser_puppeteer_flow';
let site: BrowserSite;
let members: MembersSite;
let harness: RunHarness;
let workflowId = '';
let login = '';
beforeAll(async () => {
  site = await startBrowserSite();
  members = await startMembersSite();
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
  await members?.close();
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

const outputOf = (steps: Array<{ nodeId: string; output?: unknown }>, nodeId = 'browse') =>
  steps.find((s) => s.nodeId === nodeId)!.output as { data: Record<string, unknown> };

it('starts signed in from a session the Playwright engine saved in the store, and saves one Playwright reads', async () => {
  const session = { session: 'members-portal' };
  const playwrightSignIn = puppeteerFlow(signIn(members), { ...session, engine: 'playwright' });
  const first = await harness.run(playwrightSignIn);
  expect(first.result.status).toBe('succeeded');
  expect(members.logins).toBe(1);

  const second = await harness.run(puppeteerFlow(readMembers(members), session));
  expect(second.result.status).toBe('succeeded');
  expect(outputOf(second.steps).data).toEqual({ heading: 'Members', note: 'remembered' });
  expect(members.logins).toBe(1);

  // Puppeteer saved it back at the end; Playwright starts from that.
  const stored = await mongoose.connection
    .db!.collection('browser_sessions')
    .findOne({ workspaceId: WS, name: 'members-portal' });
  expect(stored?.savedBy.runId).toBe(second.runId);
  const third = await harness.run(puppeteerFlow(readMembers(members), { ...session, engine: 'playwright' }));
  expect(outputOf(third.steps).data).toEqual({ heading: 'Members', note: 'remembered' });
  expect(members.logins).toBe(1);

  const [sid] = members.issued;
  for (const run of [first, second, third]) {
    expect(JSON.stringify(run.steps)).not.toContain(sid);
    const history = await (await getTemporalClient()).workflow.getHandle(run.runId).fetchHistory();
    expect(JSON.stringify(history)).not.toContain(sid);
  }
}, 120_000);

it('downloads a file in one Puppeteer node and uploads it in the next; one over the cap fails naming the step', async () => {
  const plan = compileOrThrow(
    workflowDoc(
      [
        { id: 'trigger', type: 'manual-trigger' },
        {
          id: 'fetch',
          type: 'browser',
          params: {
            engine: 'puppeteer',
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
            engine: 'puppeteer',
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
  const fetched = outputOf(steps, 'fetch').data;
  expect(fetched.csv).toMatchObject({ name: 'people.csv', mimeType: 'text/csv', bytes: 100 });
  const csv = (await readFileValue(fetched.csv, 'csv', WS, 1 << 20)).data.toString();
  expect(csv.split('\n')[1]).toBe('Ada Lovelace,Engineering');
  expect(outputOf(steps, 'send').data.received).toBe('people.csv (100 bytes)');

  const big = await harness.run(
    puppeteerFlow(
      [
        { action: 'goto', target: `${site.url}/download` },
        { action: 'download', target: 'text=Download big file', name: 'big' },
      ],
      { maxDownloadMb: 1 },
    ),
  );
  expect(big.steps.find((s) => s.nodeId === 'browse')).toMatchObject({
    status: 'failed',
    error: {
      code: 'browser-step',
      message: 'Step 2 (download text=Download big file): the download is over the 1 MB limit',
    },
  });
}, 120_000);

it('replays recorded steps: a sign-in inside a cross-origin iframe, with the stored password, and a picked list', async () => {
  // What the recorder records (app/lib/browser-recorder.test.ts): frame= prefixes, the password as a placeholder the
  // node's Website login fills, and a picked table row as an extractMany of every row.
  const frame = 'frame=iframe[name="partner"]';
  const cells = ':scope > td:nth-of-type';
  const recorded: BrowserStep[] = [
    { action: 'goto', target: `${site.url}/frame-cross` },
    { action: 'fill', target: `${frame} >> label="Email"`, value: 'ada@example.com' },
    { action: 'fill', target: `${frame} >> label="Password"`, value: '$credential.password' },
    { action: 'press', target: `${frame} >> label="Password"`, value: 'Enter' },
    { action: 'extractText', target: `${frame} >> h1`, name: 'welcomeAda' },
    { action: 'goto', target: `${site.url}/people` },
    {
      action: 'extractMany',
      target: 'tbody >> :scope > tr',
      value: JSON.stringify({ name: `${cells}(1)`, team: `${cells}(2)`, born: `${cells}(3)` }),
      name: 'items',
    },
  ];
  const { runId, result, steps } = await harness.run(puppeteerFlow(recorded, { credential: login }));
  expect(result.status).toBe('succeeded');
  expect(outputOf(steps).data).toEqual({
    welcomeAda: 'Welcome, Ada',
    items: [
      { name: 'Ada Lovelace', team: 'Engineering', born: '1815' },
      { name: 'Grace Hopper', team: 'Navy', born: '1906' },
    ],
  });
  // The sign-in inside the frame carried the step's idempotency key, and was sent once.
  expect(site.submissions(`${runId}:browse:0`)).toBe(1);
  expect(JSON.stringify(steps)).not.toContain('analytical');
  const history = await (await getTemporalClient()).workflow.getHandle(runId).fetchHistory();
  expect(JSON.stringify(history)).not.toContain('analytical');
}, 90_000);
