// Starts a scripted model server as a child process (a real HTTP server on loopback, as a model server would be) and
// drives it: `script(turns)` sets the turns to come and clears the request log, `requests()` reads the log.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FakeServerOptions, RecordedRequest, Turn } from './script';

export type { FakeServerOptions, RecordedRequest, Turn } from './script';

export type FakeLlmKind = 'openai' | 'anthropic' | 'ollama';

export interface FakeLlm {
  /** The base URL a credential would hold: `…/v1` for OpenAI-compatible, the origin for Anthropic and Ollama. */
  url: string;
  script(turns: Turn[]): Promise<void>;
  requests(): Promise<RecordedRequest[]>;
  stop(): Promise<void>;
}

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVERS: Record<FakeLlmKind, string> = {
  openai: 'test/fake-llm/openai-server.ts',
  anthropic: 'test/fake-llm/anthropic-server.ts',
  ollama: 'test/fake-llm/ollama-server.ts',
};
/** A guard against a server that never starts, not a timing expectation. */
const START_LIMIT_MS = 60_000;

/** Servers still running when the test process exits (a failed beforeAll, a crash) go with it. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function launchFakeLlm(kind: FakeLlmKind, options: FakeServerOptions = {}): Promise<FakeLlm> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVERS[kind]], {
    cwd: REPO_ROOT,
    env: { ...process.env, FAKE_LLM_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  let output = '';
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The fake ${kind} server did not start:\n${output}`)),
      START_LIMIT_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const found = /listening (http:\/\/\S+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The fake ${kind} server exited (${code}) before listening:\n${output}`));
    });
  });
  const control = async (path: string, body?: unknown) => {
    const response = await fetch(`${origin}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`fake ${kind} server: ${path} answered ${response.status}`);
    return response.json() as Promise<unknown>;
  };
  return {
    url: kind === 'openai' ? `${origin}/v1` : origin,
    script: async (turns) => {
      await control('/__script', turns);
    },
    requests: async () => (await control('/__requests')) as RecordedRequest[],
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
