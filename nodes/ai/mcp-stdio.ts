// The stdio transport for MCP servers Baton spawns. The SDK's own StdioClientTransport passes HOME, USER, SHELL and
// more of the worker's environment on; this one builds the child's environment from the config alone plus PATH (the
// worker's environment holds its secrets), spawns without a shell, and keeps the end of stderr and the exit status
// so an error can say why the server went away.
import { spawn, type ChildProcess } from 'node:child_process';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { McpStdioServer } from './mcp-config';

const STDERR_TAIL_CHARS = 2048;
const CLOSE_GRACE_MS = 2000;

export interface StdioExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The child's environment: the config's variables and PATH (the config's own PATH, if it sets one), nothing else. */
export function childEnvironment(config: McpStdioServer): NodeJS.ProcessEnv {
  const env: Record<string, string> = { ...(process.env.PATH ? { PATH: process.env.PATH } : {}), ...config.env };
  // Remix's globals declare NODE_ENV as always present in ProcessEnv; a child's environment need not have it.
  return env as NodeJS.ProcessEnv;
}

export class IsolatedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child?: ChildProcess;
  private readonly buffer = new ReadBuffer();
  private stderr = '';
  /** Set once the process has ended. */
  exit?: StdioExit;
  /** Set when the process could not be started (ENOENT, EACCES…). */
  spawnError?: NodeJS.ErrnoException;

  constructor(private readonly config: McpStdioServer) {}

  /** The last 2 KB the server wrote to stderr. */
  stderrTail(): string {
    return this.stderr.trim();
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.config.command, this.config.args, {
        env: childEnvironment(this.config),
        cwd: this.config.cwd,
        shell: false,
        stdio: ['pipe', 'pipe', 'pipe'],
        windowsHide: true,
      });
      this.child = child;
      let spawned = false;
      child.once('error', (err: NodeJS.ErrnoException) => {
        if (!spawned) {
          this.spawnError = err;
          this.child = undefined;
          reject(err);
        }
        this.onerror?.(err);
      });
      child.once('spawn', () => {
        spawned = true;
        resolve();
      });
      child.once('close', (code, signal) => {
        this.exit = { code, signal };
        this.child = undefined;
        this.onclose?.();
      });
      child.stdin!.on('error', (err) => this.onerror?.(err));
      child.stdout!.on('data', (chunk: Buffer) => this.read(chunk));
      child.stderr!.on('data', (chunk: Buffer) => {
        this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
      });
    });
  }

  private read(chunk: Buffer): void {
    this.buffer.append(chunk);
    for (;;) {
      try {
        const message = this.buffer.readMessage();
        if (message === null) return;
        this.onmessage?.(message);
      } catch (err) {
        // A line that is not JSON-RPC (a server logging to stdout): reported, and the next line is read.
        this.onerror?.(err as Error);
      }
    }
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed) return Promise.reject(new Error('the server process is not running'));
    return new Promise((resolve) => {
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /** Ends stdin (servers exit when it closes), then SIGTERM, then SIGKILL. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const closed = new Promise<boolean>((resolve) => child.once('close', () => resolve(true)));
    const within = (ms: number) =>
      Promise.race([closed, new Promise<boolean>((resolve) => setTimeout(resolve, ms, false).unref())]);
    child.stdin?.end();
    if (await within(CLOSE_GRACE_MS)) return;
    child.kill('SIGTERM');
    if (await within(CLOSE_GRACE_MS)) return;
    child.kill('SIGKILL');
  }
}
