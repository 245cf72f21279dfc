// An Agent's reply streaming into the browser, in real Chromium: a published workflow (webhook → Wait for the API →
// Agent) on an OpenAI-compatible model served by the scripted fake server (test/fake-llm), whose long reply streams in
// thousands of small pieces. The run page is open and watching before the Wait is resumed, so the Agent starts with
// the page subscribed; the reply's text shows while the model call and the step are still running, then the stored
// record (whole text, tokens, cost) replaces it. The agent activity feed lists the call with its cost and shows a
// second run's reply arriving live. Screenshots in test-results/.
import { expect, test, type Page } from '@playwright/test';
import { launchFakeLlm, type FakeLlm } from '../test/fake-llm/launch';
import { startSink, type Sink } from '../test/sink';
import { api, createWorkflow, docEdge, docNode } from './api';
import { nodeCard } from './canvas-helpers';
import { signIn } from './session';

test.describe.configure({ timeout: 300_000 });

/** Long enough that streaming it piece by piece outlasts several 150 ms flushes. */
const REPLY = Array.from(
  { length: 220 },
  (_, i) => `Step ${i + 1} of the onboarding plan for Jane Doe is done by her manager. `,
).join('');
const USAGE = { input: 120, output: 3000 };
/** 120 × $1/M + 3,000 × $2/M. */
const COST = '$0.0061';

let llm: FakeLlm;
/** The directory the agents' HTTP tool looks people up in. */
let directory: Sink;

test.beforeAll(async () => {
  llm = await launchFakeLlm('openai');
  directory = await startSink();
  directory.handle((req, res) => {
    const id = req.path.split('/').pop();
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id, team: 'Sales' }));
  });
});

test.afterAll(async () => {
  await llm?.stop();
  await directory?.close();
});

/** An OpenAI-compatible credential for the fake server and a model on it priced $1/$2 per million tokens. */
async function fakeModel(page: Page): Promise<string> {
  const { credential } = await api<{ credential: { id: string } }>(page, 'POST', '/api/credentials', {
    name: `Fake LLM ${Date.now()}`,
    type: 'openai-compatible',
    values: { baseUrl: llm.url },
  });
  const { model } = await api<{ model: { id: string } }>(page, 'POST', '/api/models', {
    name: `streamer-${Date.now()}`,
    provider: 'openai-compatible',
    model: 'fake-model',
    credentialId: credential.id,
    prices: { inputPerMTok: 1, outputPerMTok: 2, perGpuSecond: 0 },
  });
  return model.id;
}

/** What the run page shows of the Writer step at one instant. */
const snapshot = (page: Page) =>
  page.evaluate(() => {
    const detail = document.querySelector('[aria-label="Node detail"]');
    const call = detail?.querySelector('[data-testid="agent-call"][data-kind="model"]');
    return {
      step: detail?.querySelector('h2 [data-status]')?.getAttribute('data-status') ?? null,
      call: call?.getAttribute('data-status') ?? null,
      text: call?.querySelector('[data-testid="agent-reply"]')?.textContent ?? '',
    };
  });

async function startRun(page: Page, workflowId: string): Promise<string> {
  const response = await page.request.post(`/hooks/${workflowId}/agent-stream`, { data: { employee: 'Jane Doe' } });
  expect(response.status()).toBe(202);
  return ((await response.json()) as { runId: string }).runId;
}

/** Resumes the run's Wait once it waits (a resume that comes before is refused, and asked again). */
async function resumeGate(page: Page, runId: string) {
  const resume = () =>
    api(page, 'POST', `/api/runs/${runId}/resume`, { node: 'Gate', data: { employee: 'Jane Doe' } }).then(
      () => true,
      () => false,
    );
  await expect.poll(resume, { timeout: 60_000 }).toBe(true);
}

const runStatus = async (page: Page, runId: string) =>
  (await api<{ run: { status: string } }>(page, 'GET', `/api/runs/${runId}`)).run.status;

test('an Agent reply streams onto the run page before the step ends, then the stored call replaces it', async ({
  page,
}) => {
  await signIn(page);
  await llm.script([
    { kind: 'text', text: REPLY, usage: USAGE },
    { kind: 'text', text: REPLY, usage: USAGE },
  ]);
  const modelId = await fakeModel(page);
  const workflowName = `Streams its plan ${Date.now()}`;
  const workflowId = await createWorkflow(page, workflowName, {
    nodes: [
      docNode('Hook', 'webhook-trigger', 100, 200, { path: 'agent-stream' }),
      docNode('Gate', 'wait', 400, 200, { mode: 'signal' }),
      docNode('Writer', 'agent', 700, 200, {
        model: modelId,
        system: 'You write onboarding plans.',
        prompt: 'Write the onboarding plan for {{ $input.data.employee }}.',
        tools: [],
      }),
    ],
    edges: [docEdge('Hook', 'out', 'Gate'), docEdge('Gate', 'out', 'Writer')],
  });
  await api(page, 'POST', `/api/workflows/${workflowId}/publish`, {});

  const runId = await startRun(page, workflowId);
  await page.goto(`/runs/${runId}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await expect(nodeCard(page, 'Gate')).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
  await nodeCard(page, 'Writer').click();
  // The Agent starts only now, with the page open and subscribed.
  await resumeGate(page, runId);

  const detail = page.getByRole('region', { name: 'Node detail' });
  await expect(detail.getByRole('tab', { name: 'Agent calls' })).toHaveAttribute('aria-selected', 'true', {
    timeout: 60_000,
  });
  // One instant at which text has arrived while the call and its step still run, and not all of it yet.
  await expect
    .poll(
      async () => {
        const now = await snapshot(page);
        return (
          now.step === 'running' && now.call === 'running' && now.text.length > 0 && now.text.length < REPLY.length
        );
      },
      { timeout: 90_000, intervals: [100] },
    )
    .toBe(true);
  await page.screenshot({ path: 'test-results/agent-stream-running.png' });

  await expect(detail.locator('h2 [data-status]')).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
  const call = detail.getByTestId('agent-call');
  await expect(call).toHaveCount(1);
  await expect(call).toHaveAttribute('data-status', 'succeeded');
  await expect(call.getByTestId('agent-reply')).toHaveText(REPLY);
  await expect(call.getByTestId('agent-call-tokens')).toHaveText('120 in · 3,000 out tokens');
  await expect(call.getByTestId('agent-call-cost')).toHaveText(COST);
  const totals = `1 model call · 0 tool calls · 120 in · 3,000 out tokens · ${COST}`;
  await expect(detail.getByTestId('agent-node-totals')).toHaveText(totals);
  await expect(detail.getByTestId('agent-run-totals')).toContainText(totals);
  await expect.poll(() => runStatus(page, runId)).toBe('succeeded');
  await page.screenshot({ path: 'test-results/agent-stream-run.png' });

  // The input and output are one tab away.
  await detail.getByRole('tab', { name: 'Input & output' }).click();
  await expect(detail.getByRole('tabpanel')).toContainText('Output');

  // The feed lists the call with its cost, then shows a second run's reply arriving.
  await page.goto('/agents');
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  const rows = page.getByTestId('activity-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Writer');
  await expect(rows.first()).toContainText(workflowName);
  await expect(rows.first()).toContainText(COST);
  await expect(page.getByTestId('usage-cost')).toHaveText(COST);

  const second = await startRun(page, workflowId);
  await resumeGate(page, second);
  await expect(page.getByTestId('activity-streaming')).not.toBeEmpty({ timeout: 60_000 });
  await page.screenshot({ path: 'test-results/agent-feed-streaming.png' });
  await expect(rows).toHaveCount(2);
  await expect(rows.and(page.locator('[data-status="succeeded"]'))).toHaveCount(2, { timeout: 90_000 });
  await expect(page.getByTestId('usage-cost')).toHaveText('$0.0122');
  await page.getByLabel('Agent node name').fill('Someone else');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByTestId('activity-empty')).toContainText('No calls match');
  await page.getByRole('link', { name: 'Clear' }).click();
  await expect(rows).toHaveCount(2);
  await page.screenshot({ path: 'test-results/agent-feed.png', fullPage: true });
});

test("tool calls show their arguments and results, and a sub-agent's calls sit under the call that started it", async ({
  page,
}) => {
  await signIn(page);
  const modelId = await fakeModel(page);
  const call = (name: string, args: unknown) => ({ name, arguments: JSON.stringify(args) });
  // In the order the loop asks: the coordinator, the sub-agent twice (after the first lookup), the coordinator again.
  await llm.script([
    { kind: 'tool-calls', calls: [call('lookup', { id: '7' }), call('researcher', { task: 'Find the team of 8' })] },
    { kind: 'tool-calls', calls: [call('lookup', { id: '8' })] },
    { kind: 'text', text: 'Person 8 is in Sales.' },
    { kind: 'text', text: 'Jane Doe (7) joins Sales, with 8 as her buddy.' },
  ]);
  const workflowId = await createWorkflow(page, `Coordinates ${Date.now()}`, {
    nodes: [
      docNode('Start', 'manual-trigger', 100, 200),
      docNode('Coordinator', 'agent', 400, 200, {
        model: modelId,
        prompt: 'Plan the first week of Jane Doe (person 7).',
        tools: [
          { kind: 'http', name: 'lookup', method: 'GET', url: `${directory.url}/people/{id}` },
          { kind: 'agent', name: 'researcher', system: 'You find facts about people.', tools: ['lookup'] },
        ],
      }),
    ],
    edges: [docEdge('Start', 'out', 'Coordinator')],
  });
  await api(page, 'POST', `/api/workflows/${workflowId}/publish`, {});
  const { runId } = await api<{ runId: string }>(page, 'POST', '/api/runs', { workflowId, version: 1, input: {} });
  await expect.poll(() => runStatus(page, runId), { timeout: 90_000 }).toBe('succeeded');

  await page.goto(`/runs/${runId}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await nodeCard(page, 'Coordinator').click();
  const detail = page.getByRole('region', { name: 'Node detail' });
  const calls = detail.getByTestId('agent-call');
  await expect(calls).toHaveCount(7);
  const shape = await calls.evaluateAll((items) =>
    items.map((li) => [
      li.getAttribute('data-kind'),
      li.getAttribute('data-depth'),
      li.querySelector('.agent-call-name')?.textContent,
    ]),
  );
  const model = shape[0][2];
  expect(shape).toEqual([
    ['model', '0', model],
    ['tool', '0', 'lookup'],
    ['tool', '0', 'researcher'],
    ['model', '1', model],
    ['tool', '1', 'lookup'],
    ['model', '1', model],
    ['model', '0', model],
  ]);
  await expect(calls.nth(0)).toContainText('Asks for lookup, researcher');
  await expect(calls.nth(1).getByLabel('Arguments')).toHaveText(JSON.stringify({ id: '7' }, null, 2));
  await expect(calls.nth(1).getByLabel('Result')).toContainText('"team": "Sales"');
  // The call that handed the task to the sub-agent is on record, with the sub-agent's answer as its result.
  await expect(calls.nth(2)).toContainText('Sub-agent');
  await expect(calls.nth(2).getByLabel('Result')).toHaveText('Person 8 is in Sales.');
  await expect(calls.nth(4).getByLabel('Arguments')).toContainText('"id": "8"');
  await expect(calls.nth(6).getByTestId('agent-reply')).toHaveText('Jane Doe (7) joins Sales, with 8 as her buddy.');
  // Four model calls at the fake server's default usage (21 in, 8 out).
  await expect(detail.getByTestId('agent-node-totals')).toHaveText(
    '4 model calls · 3 tool calls · 84 in · 32 out tokens · $0.0001',
  );
  expect(directory.requests.map((r) => r.path)).toEqual(['/people/7', '/people/8']);
  await detail.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/agent-calls-tools.png', fullPage: true });
});

test('a tool call waiting for approval shows on the feed, linked to its review', async ({ page }) => {
  await signIn(page);
  const modelId = await fakeModel(page);
  await llm.script([{ kind: 'tool-calls', calls: [{ name: 'lookup', arguments: JSON.stringify({ id: '9' }) }] }]);
  const workflowName = `Asks first ${Date.now()}`;
  const workflowId = await createWorkflow(page, workflowName, {
    nodes: [
      docNode('Start', 'manual-trigger', 100, 200),
      docNode('Careful', 'agent', 400, 200, {
        model: modelId,
        prompt: 'Look up person 9.',
        tools: [{ kind: 'http', name: 'lookup', url: `${directory.url}/people/{id}`, needsApproval: true }],
      }),
    ],
    edges: [docEdge('Start', 'out', 'Careful')],
  });
  await api(page, 'POST', `/api/workflows/${workflowId}/publish`, {});
  await page.goto('/agents');
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  const { runId } = await api<{ runId: string }>(page, 'POST', '/api/runs', { workflowId, version: 1, input: {} });

  const waiting = page.getByTestId('agent-waiting');
  await expect(waiting).toHaveCount(1, { timeout: 60_000 });
  await expect(waiting).toContainText('Careful wants to call lookup');
  await expect(waiting).toContainText('{"id":"9"}');
  await expect(waiting).toContainText(workflowName);
  await expect(waiting.getByRole('link', { name: 'Review' })).toHaveAttribute('href', /^\/approvals\/.+/);
  // The model call that asked, as its stored record says once the feed has read it again.
  await expect(page.getByTestId('activity-row').filter({ hasText: workflowName })).toContainText('Asks for lookup');
  await page.screenshot({ path: 'test-results/agent-feed-waiting.png', fullPage: true });
  expect(directory.requests.filter((r) => r.path === '/people/9')).toHaveLength(0);
  await api(page, 'POST', `/api/runs/${runId}/cancel`, {});
  await expect(waiting).toHaveCount(0, { timeout: 60_000 });
});
