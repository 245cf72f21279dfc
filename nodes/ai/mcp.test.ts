// MCP tools for agents against real MCP servers written for the tests (test/mcp/): one over stdio, spawned by the
// client with an environment of its own, and one over streamable HTTP on loopback behind a bearer token. Discovery,
// filters, calls, tool errors, crashes, refused credentials and connections, and the stdio environment's isolation.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHttpMcpServer, stdioServer, type HttpMcpServer } from '../../test/mcp/servers';
import { credentialType } from '../credentials/index';
import { testCredential } from '../credentials/test-connection';
import { ALLOW_HOSTS_ENV } from '../http-request/address-policy';
import { callMcpTool, closeMcpConnections, listMcpTools, mcpToolName } from './mcp';

const TOOLS = ['add', 'write_note', 'fail', 'crash', 'env', 'pid', 'picture'];
const TOKEN = 'test-token-7d1c0e9b4a';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'baton-mcp-'));
});

afterAll(async () => {
  await closeMcpConnections();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `fn` with an environment variable of the test process set to `value` (or removed), then restores it. */
async function withEnv<T>(name: string, value: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env[name];
  process.env[name] = value;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  }
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: Error) => err,
  );
}

test('tool names for the model are <server>__<tool>, in the characters and length model APIs accept', () => {
  expect(mcpToolName('files', 'read_file')).toBe('files__read_file');
  expect(mcpToolName('My files', 'read.file')).toBe('My_files__read_file');
  const long = mcpToolName('s'.repeat(40), `${'t'.repeat(40)}_a`);
  expect(long).toMatch(/^[a-zA-Z0-9_-]{64}$/);
  expect(mcpToolName('s'.repeat(40), `${'t'.repeat(40)}_b`)).not.toBe(long);
});

describe('stdio', () => {
  let notes: string;
  const files = () => stdioServer('files', { NOTES_FILE: notes });

  beforeAll(() => {
    notes = path.join(dir, 'stdio-notes.txt');
  });

  test("lists the server's tools with their input schemas, named for the model", async () => {
    const tools = await listMcpTools(files());
    expect(tools.map((t) => t.name)).toEqual(TOOLS.map((name) => `files__${name}`));
    const add = tools.find((t) => t.tool === 'add')!;
    expect(add).toMatchObject({ server: 'files', description: 'Adds two numbers.' });
    expect(add.parameters).toMatchObject({
      type: 'object',
      properties: { a: { type: 'number', description: 'The first number' }, b: { type: 'number' } },
      required: ['a', 'b'],
    });
  });

  test('a filter keeps only the named tools, in its order; a name the server lacks is an error naming it', async () => {
    const chosen = await listMcpTools({ ...files(), tools: ['write_note', 'add'] });
    expect(chosen.map((t) => t.tool)).toEqual(['write_note', 'add']);
    const err = await failure(listMcpTools({ ...files(), tools: ['add', 'delete_everything'] }));
    expect(err.message).toContain('MCP server "files" has no tool named "delete_everything"');
    expect(err.message).toContain('add, write_note');
  });

  test('a tool outside the filter is refused without reaching the server', async () => {
    const err = await failure(callMcpTool({ ...files(), tools: ['add'] }, 'write_note', { text: 'sneaky' }));
    expect(err.message).toContain('the tool "write_note" is not among the tools chosen');
    expect(existsSync(notes)).toBe(false);
  });

  test('calls answer with the tool text, each side effect happens once, and one process serves them all', async () => {
    expect(await callMcpTool(files(), 'add', { a: 2, b: 3 })).toMatchObject({ content: '5', isError: false });
    expect((await callMcpTool(files(), 'write_note', { text: 'first' })).content).toBe('1');
    expect((await callMcpTool(files(), 'write_note', { text: 'second' })).content).toBe('2');
    expect(readFileSync(notes, 'utf8')).toBe('first\nsecond\n');
    const pid = (await callMcpTool(files(), 'pid', {})).content;
    expect((await callMcpTool(files(), 'pid', {})).content).toBe(pid);
  });

  test('a tool error comes back as a result marked isError, not as a thrown error', async () => {
    const result = await callMcpTool(files(), 'fail', {});
    expect(result).toMatchObject({ content: 'the fail tool always fails', isError: true });
    expect(result.raw.isError).toBe(true);
  });

  test('images are summarized and structured content comes as JSON', async () => {
    const { content } = await callMcpTool(files(), 'picture', {});
    expect(content).toBe('a tiny picture\n[image image/png, 8 bytes]\n{"width":1,"height":1}');
  });

  test('a crash mid-call names the server, its exit code and stderr; the next call runs in a new process', async () => {
    const before = (await callMcpTool(files(), 'pid', {})).content;
    const err = await failure(callMcpTool(files(), 'crash', {}));
    expect(err.message).toContain('MCP server "files" exited with code 1 before answering tools/call');
    expect(err.message).toContain('crash tool: exiting mid-call');
    const after = (await callMcpTool(files(), 'pid', {})).content;
    expect(after).toMatch(/^\d+$/);
    expect(after).not.toBe(before);
    expect((await callMcpTool(files(), 'add', { a: 1, b: 1 })).content).toBe('2');
  });

  test("the server gets its configured environment and PATH, never the worker's own variables", async () => {
    await withEnv('BATON_MCP_TEST_WORKER_SECRET', 'worker-secret-value', async () => {
      // A server of its own, spawned after the variable was set in this process.
      const isolated = stdioServer('isolated', { NOTES_FILE: notes });
      const env = async (name: string) => JSON.parse((await callMcpTool(isolated, 'env', { name })).content) as unknown;
      expect(process.env.BATON_MCP_TEST_WORKER_SECRET).toBe('worker-secret-value');
      expect(await env('BATON_MCP_TEST_WORKER_SECRET')).toBeNull();
      expect(await env('MONGODB_URI')).toBeNull();
      expect(await env('HOME')).toBeNull();
      expect(await env('NOTES_FILE')).toBe(notes);
      expect(await env('PATH')).toBe(process.env.PATH);
    });
  });

  test('a server that exits while starting: its code and stderr, with its environment values scrubbed', async () => {
    const server = {
      transport: 'stdio' as const,
      name: 'broken',
      command: process.execPath,
      args: ['-e', 'process.stderr.write(`bad config, key ${process.env.API_KEY}\\n`); process.exit(3)'],
      env: { API_KEY: 'sk-secret-4f9a2b' },
    };
    const err = await failure(listMcpTools(server));
    expect(err.message).toContain('MCP server "broken" exited with code 3 before answering initialize');
    expect(err.message).toContain('bad config, key [secret]');
    expect(err.message).not.toContain('sk-secret-4f9a2b');
  });

  test('a command that does not exist is an error naming it', async () => {
    const command = 'baton-no-such-mcp-server';
    const err = await failure(listMcpTools({ transport: 'stdio', name: 'ghost', command, args: [] }));
    expect(err.message).toContain(`MCP server "ghost" could not be started: "${command}" was not found`);
  });
});

describe('streamable HTTP', () => {
  let server: HttpMcpServer;
  let notes: string;

  beforeAll(async () => {
    notes = path.join(dir, 'http-notes.txt');
    server = await startHttpMcpServer({ MCP_TEST_TOKEN: TOKEN, NOTES_FILE: notes });
  });

  afterAll(async () => {
    await server.stop();
  });

  test('lists the same tools with their input schemas', async () => {
    const tools = await listMcpTools(server.config('web'));
    expect(tools.map((t) => t.name)).toEqual(TOOLS.map((name) => `web__${name}`));
    expect(tools.find((t) => t.tool === 'write_note')!.parameters).toMatchObject({
      type: 'object',
      properties: { text: { type: 'string' } },
      required: ['text'],
    });
    const filtered = await listMcpTools({ ...server.config('web'), tools: ['fail'] });
    expect(filtered.map((t) => t.name)).toEqual(['web__fail']);
  });

  test('a call, a side effect once, and a tool error as a result', async () => {
    expect(await callMcpTool(server.config('web'), 'add', { a: 20, b: 22 })).toMatchObject({
      content: '42',
      isError: false,
    });
    expect((await callMcpTool(server.config('web'), 'write_note', { text: 'over http' })).content).toBe('1');
    expect(readFileSync(notes, 'utf8')).toBe('over http\n');
    expect(await callMcpTool(server.config('web'), 'fail', {})).toMatchObject({ isError: true });
  });

  test('a wrong bearer token is refused with a clear message that does not repeat the token', async () => {
    const wrong = 'wrong-token-5f2a9c81';
    const err = await failure(listMcpTools(server.config('web', { authorization: `Bearer ${wrong}` })));
    expect(err.message).toContain('MCP server "web" refused the credentials (HTTP 401)');
    expect(err.message).toContain(server.url);
    expect(err.message).not.toContain(wrong);
  });

  test('a loopback server is refused unless BATON_HTTP_ALLOW_HOSTS allows it, as for the HTTP node', async () => {
    await withEnv(ALLOW_HOSTS_ENV, '', async () => {
      const err = await failure(listMcpTools(server.config('private')));
      expect(err.message).toContain('MCP server "private": HTTP request blocked: 127.0.0.1 is a loopback address');
      expect(err.message).toContain(ALLOW_HOSTS_ENV);
    });
  });

  test('the MCP server credential connects and reports the tool count; a wrong token fails without showing it', async () => {
    const type = credentialType('mcp-server')!;
    const ok = await testCredential(type, { url: server.url, token: TOKEN });
    expect(ok).toEqual({ ok: true, message: expect.stringContaining(`it offers ${TOOLS.length} tools`) as string });
    const wrong = await testCredential(type, { url: server.url, token: 'not-the-token-3e8f' });
    expect(wrong.ok).toBe(false);
    expect(wrong.message).toContain('refused the credentials');
    expect(wrong.message).not.toContain('not-the-token-3e8f');
  });

  test('a crash mid-call names the server; once it is gone, a refused connection says so', async () => {
    const err = await failure(callMcpTool(server.config('web'), 'crash', {}));
    expect(err.message).toContain('MCP server "web" closed the connection before answering tools/call');
    expect(await server.exited).toBe(1);
    const refused = await failure(callMcpTool(server.config('web'), 'add', { a: 1, b: 2 }));
    expect(refused.message).toContain(`MCP server "web" refused the connection at ${server.url}`);
  });
});
