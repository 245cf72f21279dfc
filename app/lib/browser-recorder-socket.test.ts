// The recorder's sessions over a real web server's socket.io: each user may hold two at once (a third is refused,
// saying why), and a session answers only the socket that started it: another socket's stop ends nothing.
import { io as connectSocket, type Socket } from 'socket.io-client';
import { RECORDER_START, RECORDER_STOP, type RecorderAck } from '../../contracts/browser-recorder';
import { startWebStack, type WebStack } from '../web-test-stack';
import { MAX_RECORDINGS_PER_USER } from './browser-recorder-socket.server';

let stack: WebStack;
let workflowId: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  stack = await startWebStack('recorder_socket');
  const created = await stack.api('POST', '/api/workflows', {
    name: 'Recorder sessions',
    document: { settings: {}, nodes: [], edges: [] },
  });
  workflowId = created.body.workflow.id;
}, 180_000);
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await stack?.stop();
});

async function connect(): Promise<Socket> {
  const socket = connectSocket(stack.url, {
    transports: ['websocket'],
    reconnection: false,
    auth: { token: stack.token },
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.on('connect', resolve);
    socket.on('connect_error', reject);
  });
  return socket;
}

// A refused address: the session opens a browser context and navigates nowhere.
const start = (socket: Socket) =>
  new Promise<RecorderAck>((resolve) =>
    socket.emit(RECORDER_START, { workflowId, url: 'http://169.254.169.254/' }, resolve),
  );

test('two recordings per user; a third is refused until one ends; another socket cannot end one', async () => {
  const first = await connect();
  const a = await start(first);
  const b = await start(first);
  expect([a.ok, b.ok]).toEqual([true, true]);
  const other = await connect();
  expect(await start(other)).toEqual({
    ok: false,
    error: `You already have ${MAX_RECORDINGS_PER_USER} recordings open (at most ${MAX_RECORDINGS_PER_USER}); close one, then try again.`,
  });

  // The other socket names the first one's session: nothing happens, the cap still counts it.
  await new Promise<void>((resolve) =>
    other.emit(RECORDER_STOP, { sessionId: (a as { sessionId: string }).sessionId }, resolve),
  );
  expect((await start(other)).ok).toBe(false);

  // Its own socket stops it: there is room again.
  await new Promise<void>((resolve) =>
    first.emit(RECORDER_STOP, { sessionId: (a as { sessionId: string }).sessionId }, resolve),
  );
  expect((await start(other)).ok).toBe(true);
});

test('a start for a workflow that does not exist, or without a URL, is refused with the reason', async () => {
  const socket = await connect();
  const missing = await new Promise<RecorderAck>((resolve) =>
    socket.emit(RECORDER_START, { workflowId: '0123456789abcdef01234567', url: 'https://example.com' }, resolve),
  );
  expect(missing).toEqual({ ok: false, error: 'Workflow 0123456789abcdef01234567 does not exist.' });
  const noUrl = await new Promise<RecorderAck>((resolve) =>
    socket.emit(RECORDER_START, { workflowId, url: ' ' }, resolve),
  );
  expect(noUrl).toEqual({ ok: false, error: 'Enter the address of a page.' });
});
