// An Agent whose worker is SIGKILLed mid-loop, after 2 of its 4 tool calls: a new worker finishes the run, no finished
// model call is paid for again, and each tool's side effect happens once. The tool is a real HTTP API on loopback
// that applies a note when it answers; the third call is held unanswered until the worker is dead, so the kill lands
// inside the tool call without timing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { callsOfRun } from '../db/agent-calls';
import { createCredential } from '../db/credentials';
import { createModel } from '../db/models';
import { waitForRun } from '../temporal/client';
import { createApprovalWorld, type ApprovalWorld } from '../test/approval-world';
import { launchFakeLlm, type FakeLlm, type Turn } from '../test/fake-llm/launch';
import { startRunHarness, workflowDoc, type RunHarness } from '../test/run-harness';

interface NotesApi {
  url: string;
  /** Notes applied, in order: the side effect counted. */
  applied: string[];
  /** Resolves when the `n`th request arrives, which is then held: never applied, never answered. */
  holdRequest(n: number): Promise<void>;
  /** Drops the held request's connection. */
  release(): void;
  close(): Promise<void>;
}

async function startNotesApi(): Promise<NotesApi> {
  const applied: string[] = [];
  let seen = 0;
  let hold: { n: number; arrived: () => void } | undefined;
  let held: http.ServerResponse | undefined;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen++;
      if (hold && seen === hold.n) {
        held = res;
        hold.arrived();
        hold = undefined;
        return;
      }
      const note = (JSON.parse(body) as { text: string }).text;
      applied.push(note);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ saved: note, count: applied.length }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    applied,
    holdRequest: (n) => new Promise((arrived) => (hold = { n, arrived })),
    release: () => held?.socket?.destroy(),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let h: RunHarness;
let w: ApprovalWorld;
let llm: FakeLlm;
let notes: NotesApi;
let modelId: string;

beforeAll(async () => {
  [llm, notes] = await Promise.all([launchFakeLlm('openai'), startNotesApi()]);
  h = await startRunHarness('agents_kill');
  w = await createApprovalWorld();
  const credential = await createCredential(w.scope, {
    name: 'Local API',
    type: 'openai-compatible',
    values: { baseUrl: llm.url },
  });
  modelId = (
    await createModel(w.scope, {
      name: 'local',
      provider: 'openai-compatible',
      model: 'm',
      credentialId: credential.id,
    })
  ).id;
}, 180_000);

afterAll(async () => {
  await h?.close();
  await Promise.all([llm?.stop(), notes?.close()]);
});

const note = (n: number): Turn => ({
  kind: 'tool-calls',
  calls: [{ id: `n${n}`, name: 'save_note', arguments: JSON.stringify({ text: `note ${n}` }) }],
});

test('SIGKILL after 2 of 4 tool calls: the run completes, no model call repeats, each note is saved once', async () => {
  await llm.script([note(1), note(2), note(3), note(4), { kind: 'text', text: `Saved 4 notes ${randomUUID()}` }]);
  const env = { BATON_HTTP_ALLOW_HOSTS: '127.0.0.1' };
  const first = await h.startWorker({ queues: ['default'], env });
  const doc = workflowDoc(
    [
      { id: 'Start', type: 'manual-trigger' },
      {
        id: 'Scribe',
        type: 'agent',
        params: {
          model: modelId,
          prompt: 'Save four notes.',
          tools: [{ kind: 'http', name: 'save_note', method: 'POST', url: `${notes.url}/notes` }],
        },
        // Short calls, so the killed tool call is retried soon after the new worker is up.
        policy: { timeoutMs: 6000, retry: { maximumAttempts: 5, initialIntervalMs: 200, backoffCoefficient: 1 } },
      },
    ],
    [['Start', 'Scribe']],
  );
  const third = notes.holdRequest(3);
  const runId = await w.startRun(doc);
  await third;
  expect(notes.applied).toEqual(['note 1', 'note 2']);
  first.kill('SIGKILL');
  expect((await first.stopped).signal).toBe('SIGKILL');
  notes.release();

  await h.startWorker({ queues: ['default'], env });
  const result = await waitForRun(runId, 120_000);
  expect(result.status).toBe('succeeded');
  expect(notes.applied).toEqual(['note 1', 'note 2', 'note 3', 'note 4']);
  // Five model calls in all (four tool calls and the answer): none was made twice.
  expect(await llm.requests()).toHaveLength(5);
  const calls = await callsOfRun(runId);
  expect(calls.filter((c) => c.kind === 'model' && c.status === 'succeeded')).toHaveLength(5);
  const toolCalls = calls.filter((c) => c.kind === 'tool');
  expect(toolCalls.map((c) => c.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
  expect(toolCalls[2].attempt).toBeGreaterThanOrEqual(2); // the killed call was retried, not finished
}, 240_000);
