// One connected MCP client and what its transport saw (the process's exit and stderr, a stream the server cut), so
// that a failure is told as what happened to which server, never with the headers or environment it was given.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { NodeError } from '../errors';
import { describeServer, scrubConfigSecrets, serverLocation, type McpServerConfig } from './mcp-config';
import { httpTransport } from './mcp-http';
import { IsolatedStdioTransport } from './mcp-stdio';

export interface McpCallOptions {
  signal?: AbortSignal;
  /** Longest the call (and, for a new connection, the handshake) may take; 60 s when not given. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_DETAIL = 300;

const clip = (text: string) => (text.length > MAX_DETAIL ? `…${text.slice(-MAX_DETAIL)}` : text);

export class McpConnection {
  readonly client = new Client({ name: 'baton', version: '1.0.0' }, { capabilities: {} });
  private readonly transport: Transport;
  private readonly stdio?: IsolatedStdioTransport;
  /** Why a response stream of an HTTP server broke off: it crashed or hung up mid-answer, or sent too much. */
  private broken?: Error;
  closed = false;
  onClosed?: () => void;

  private constructor(readonly config: McpServerConfig) {
    if (config.transport === 'stdio') {
      this.stdio = new IsolatedStdioTransport(config);
      this.transport = this.stdio;
    } else {
      this.transport = httpTransport(config, (err) => {
        this.broken ??= err;
        void this.close();
      });
    }
    this.client.onclose = () => {
      this.closed = true;
      this.onClosed?.();
    };
    // Failures reach the caller through the request they fail; stray ones (a log line on stdout) change nothing.
    this.client.onerror = () => undefined;
  }

  /** A connected, initialized client, or an error saying why not. */
  static async open(config: McpServerConfig, timeoutMs: number): Promise<McpConnection> {
    const connection = new McpConnection(config);
    try {
      await connection.client.connect(connection.transport, { timeout: timeoutMs });
    } catch (err) {
      await connection.close();
      throw connection.explain(err, 'initialize', { timeoutMs });
    }
    return connection;
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => undefined);
  }

  /** Whether the next call may use this connection after `err`: the server answered with an error, or we gave up. */
  survives(err: unknown, signal?: AbortSignal): boolean {
    if (this.closed) return false;
    if (signal?.aborted) return true;
    return err instanceof McpError && err.code !== ErrorCode.ConnectionClosed && err.code !== ErrorCode.RequestTimeout;
  }

  /** `err` (from `method`) as an error naming the server and what happened, free of header and environment values. */
  explain(err: unknown, method: string, opts: McpCallOptions): Error {
    if (opts.signal?.aborted) {
      const reason: unknown = opts.signal.reason;
      return reason instanceof Error ? reason : new Error(`${describeServer(this.config)}: ${method} was cancelled`);
    }
    const said = this.describe(err, method, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const message = scrubConfigSecrets(this.config, `${describeServer(this.config)}${said.message}`);
    return new NodeError(message, { code: said.code, retryable: said.retryable });
  }

  private describe(
    err: unknown,
    method: string,
    timeoutMs: number,
  ): { message: string; code: string; retryable: boolean } {
    const location = serverLocation(this.config);
    const errno = (err as NodeJS.ErrnoException | undefined)?.code;
    const text = err instanceof Error ? err.message : String(err);
    if (err instanceof NodeError) return { message: `: ${err.message}`, code: err.code, retryable: err.retryable };
    if (this.stdio?.spawnError) {
      const why = this.stdio.spawnError.code === 'ENOENT' ? 'was not found' : `failed (${this.stdio.spawnError.code})`;
      return {
        message: ` could not be started: ${location} ${why}; check the command, the PATH and the working directory`,
        code: 'mcp-start',
        retryable: false,
      };
    }
    if (this.stdio && (this.stdio.exit || (err instanceof McpError && err.code === ErrorCode.ConnectionClosed))) {
      const exit = this.stdio.exit;
      const how = exit?.signal ? `was killed by ${exit.signal}` : exit ? `exited with code ${exit.code}` : 'closed';
      const tail = this.stdio.stderrTail();
      const stderr = tail ? `; the end of its stderr: ${clip(tail)}` : '';
      return { message: ` ${how} before answering ${method}${stderr}`, code: 'mcp-exited', retryable: true };
    }
    if (this.broken instanceof NodeError) {
      return { message: ` sent ${this.broken.message}`, code: this.broken.code, retryable: this.broken.retryable };
    }
    if (this.broken || errno === 'ECONNRESET' || /socket hang up/.test(text)) {
      return { message: ` closed the connection before answering ${method}`, code: 'mcp-closed', retryable: true };
    }
    if (err instanceof StreamableHTTPError) return this.describeStatus(err, method, location);
    if (errno === 'ECONNREFUSED') {
      return {
        message: ` refused the connection at ${location}: nothing listens there (is the server running?)`,
        code: 'mcp-unreachable',
        retryable: true,
      };
    }
    if (errno === 'ENOTFOUND' || errno === 'EAI_AGAIN') {
      return {
        message: ` could not be reached: the host of ${location} was not found`,
        code: 'mcp-unreachable',
        retryable: true,
      };
    }
    if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) {
      return {
        message: ` did not answer ${method} within ${timeoutMs / 1000} s`,
        code: 'mcp-timeout',
        retryable: true,
      };
    }
    if (err instanceof McpError && err.code === ErrorCode.ConnectionClosed) {
      return { message: ` closed the connection before answering ${method}`, code: 'mcp-closed', retryable: true };
    }
    if (err instanceof McpError) {
      return { message: ` answered ${method} with an error: ${clip(text)}`, code: 'mcp-protocol', retryable: false };
    }
    if (err instanceof Error && err.name === 'ZodError') {
      return {
        message: ` answered ${method} with a malformed result: ${clip(text)}`,
        code: 'mcp-protocol',
        retryable: false,
      };
    }
    const how = errno ? `could not be reached at ${location} (${errno})` : `failed during ${method}: ${clip(text)}`;
    return { message: ` ${how}`, code: 'mcp-failed', retryable: true };
  }

  private describeStatus(err: StreamableHTTPError, method: string, location: string) {
    const status = err.code ?? 0;
    if (status === 401 || status === 403) {
      return {
        message: ` refused the credentials (HTTP ${status}) at ${location}; check the token and headers of its credential`,
        code: 'mcp-auth',
        retryable: false,
      };
    }
    const body = err.message.replace(/^Streamable HTTP error: (Error POSTing to endpoint: )?/, '').trim();
    return {
      message: ` answered ${method} with HTTP ${status} at ${location}${body ? `: ${clip(body)}` : ''}`,
      code: 'mcp-http',
      retryable: status >= 500 || status === 429 || status === 404,
    };
  }
}
