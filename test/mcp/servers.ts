// Starting the MCP test servers: the stdio one as a config (the MCP client spawns it), the HTTP one as a child process
// of the test that prints its URL. Both run under the repository's tsx.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { McpHttpServer, McpStdioServer } from '../../nodes/ai/mcp';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READY_TIMEOUT_MS = 60_000;

/** The stdio test server as an MCP client config: `env` is all the environment it gets, besides PATH. */
export function stdioServer(name: string, env: Record<string, string> = {}): McpStdioServer {
  return {
    transport: 'stdio',
    name,
    command: process.execPath,
    args: ['--import', 'tsx', 'test/mcp/stdio-server.ts'],
    cwd: REPO_ROOT,
    env,
  };
}

export interface HttpMcpServer {
  url: string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  config(name: string, headers?: Record<string, string>): McpHttpServer;
  stop(): Promise<void>;
}

/** Spawns test/mcp/http-server.ts on a loopback port and resolves once it prints its URL. */
export function startHttpMcpServer(env: { MCP_TEST_TOKEN: string; NOTES_FILE?: string }): Promise<HttpMcpServer> {
  const childEnv: Record<string, string | undefined> = { PATH: process.env.PATH, ...env };
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/mcp/http-server.ts'], {
    cwd: REPO_ROOT,
    env: childEnv as NodeJS.ProcessEnv, // not the test's own variables
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the HTTP MCP test server did not start within ${READY_TIMEOUT_MS / 1000} s:\n${output}`));
    }, READY_TIMEOUT_MS);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the HTTP MCP test server exited with code ${code} before listening:\n${output}`));
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (!url) return;
      clearTimeout(timer);
      resolve({
        url,
        exited,
        config: (name, headers = { authorization: `Bearer ${env.MCP_TEST_TOKEN}` }) => ({
          transport: 'http',
          name,
          url,
          headers,
        }),
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
