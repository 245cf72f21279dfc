// Live updates across processes: the worker (a separate process) writes events to Mongo, the web relays them
// over socket.io to an authenticated subscriber.
import { io, type Socket } from 'socket.io-client';
import type { RunEvent } from '../contracts/live-events';
import { startSink, type Sink } from '../test/sink';
import { chain, docWith, httpNode, manualNode, setNode } from './web-test-documents';
import { startWebStack, type WebStack } from './web-test-stack';

let stack: WebStack;
let sink: Sink;
const sockets: Socket[] = [];

beforeAll(async () => {
  sink = await startSink();
  stack = await startWebStack('live', { worker: true });
}, 240_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await stack?.stop();
  await sink?.close();
});

function connect(auth: Record<string, string>): Socket {
  const socket = io(stack.url, { auth, transports: ['websocket'], reconnection: false });
  sockets.push(socket);
  return socket;
}

function waitFor<T>(predicate: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      const value = predicate();
      if (value !== undefined) {
        clearInterval(timer);
        resolve(value);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(timer);
        reject(new Error(`Timed out waiting for ${what}.`));
      }
    }, 50);
  });
}

test('connections without credentials are refused', async () => {
  const socket = connect({});
  const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
  expect(error.message).toMatch(/Authentication required/);
});

test('a subscriber sees step and run events of a run executed by the worker process', async () => {
  const doc = docWith(
    [manualNode('t'), setNode('s', { a: '1' }), httpNode('h', { url: `${sink.url}/live` })],
    [chain('t', 's'), chain('s', 'h')],
  );
  const created = await stack.api('POST', '/api/workflows', { name: 'Live', document: doc });
  const workflowId = created.body.workflow.id;

  const socket = connect({ token: stack.token });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const events: RunEvent[] = [];
  socket.on('run-event', (e: RunEvent) => events.push(e));
  const ack = await socket.emitWithAck('subscribe', { workflowId });
  expect(ack).toEqual({ ok: true, room: `workflow:${workflowId}` });

  const started = await stack.api('POST', '/api/runs', { workflowId });
  expect(started.status).toBe(201);
  const runId: string = started.body.runId;

  const finished = await waitFor(
    () => events.find((e) => e.kind === 'run' && e.runId === runId && e.status !== 'running' && e.status !== 'queued'),
    60_000,
    'the run to finish',
  );
  expect(finished).toMatchObject({ kind: 'run', status: 'succeeded', workflowId });
  for (const nodeId of ['s', 'h']) {
    const statuses = events.filter((e) => e.kind === 'step' && e.nodeId === nodeId).map((e) => e.status);
    expect(statuses).toEqual(expect.arrayContaining(['running', 'succeeded']));
  }

  // A late subscriber to the run's own room gets what this web process relayed for it.
  const late = connect({ token: stack.token });
  const replayed: RunEvent[] = [];
  late.on('run-event', (e: RunEvent) => replayed.push(e));
  await new Promise<void>((resolve) => late.once('connect', resolve));
  await late.emitWithAck('subscribe', { runId });
  await waitFor(
    () => (replayed.some((e) => e.kind === 'run' && e.status === 'succeeded') ? true : undefined),
    5_000,
    'replayed events',
  );
});

test("a late subscriber to a workflow's room gets each recent run's last status, once", async () => {
  const doc = docWith([manualNode('t'), setNode('s', { a: '1' })], [chain('t', 's')]);
  const created = await stack.api('POST', '/api/workflows', { name: 'Live list', document: doc });
  const workflowId = created.body.workflow.id;
  const runs: string[] = [];
  for (let i = 0; i < 2; i++) runs.push((await stack.api('POST', '/api/runs', { workflowId })).body.runId);

  // The relay has seen both runs end (a subscriber to their rooms gets the replay).
  const watcher = connect({ token: stack.token });
  const seen: RunEvent[] = [];
  watcher.on('run-event', (e: RunEvent) => seen.push(e));
  await new Promise<void>((resolve) => watcher.once('connect', resolve));
  for (const runId of runs) await watcher.emitWithAck('subscribe', { runId });
  await waitFor(
    () =>
      runs.every((id) => seen.some((e) => e.kind === 'run' && e.runId === id && e.status === 'succeeded'))
        ? true
        : undefined,
    60_000,
    'both runs to succeed',
  );

  // A runs list that joins now (its rows rendered before the runs ended) still learns where each run is.
  const list = connect({ token: stack.token });
  const replayed: RunEvent[] = [];
  list.on('run-event', (e: RunEvent) => replayed.push(e));
  await new Promise<void>((resolve) => list.once('connect', resolve));
  await list.emitWithAck('subscribe', { workflowId });
  await waitFor(() => (replayed.length >= 2 ? true : undefined), 5_000, 'replayed run statuses');
  await new Promise((r) => setTimeout(r, 300));
  expect(replayed.map((e) => [e.kind, e.runId, e.status]).sort()).toEqual(
    runs.map((runId) => ['run', runId, 'succeeded']).sort(),
  );
});
