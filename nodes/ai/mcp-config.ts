// Which MCP server an agent's tools come from, as the Agent node resolves it (stdio command or streamable HTTP URL,
// headers from a credential), and the checks made before anything is spawned or sent. Server-side only: a config
// carries decrypted header values and an environment that may hold secrets.
import { createHash } from 'node:crypto';
import { NodeError } from '../errors';
import { safeUrl } from '../http-request/redirects';
import { withoutSecrets } from '../credentials/secret-scrub';

interface McpServerCommon {
  /** Names the server in errors and prefixes its tools for the model (`<name>__<tool>`). */
  name: string;
  /** Only these tools (the server's own names); absent means all of them. */
  tools?: string[];
}

export type McpStdioServer = McpServerCommon & {
  transport: 'stdio';
  command: string;
  args: string[];
  /** The child's whole environment, besides PATH: the worker's own variables are never passed on. */
  env?: Record<string, string>;
  cwd?: string;
};

export type McpHttpServer = McpServerCommon & {
  transport: 'http';
  url: string;
  /** Sent with every request; may carry secrets (from a credential), so no message ever repeats them. */
  headers?: Record<string, string>;
};

export type McpServerConfig = McpStdioServer | McpHttpServer;

const MAX_TOOL_NAME = 64;

export function describeServer(config: McpServerConfig): string {
  return `MCP server "${config.name}"`;
}

function configError(config: McpServerConfig, problem: string): NodeError {
  return new NodeError(`${describeServer(config)}: ${problem}`, { code: 'mcp-config', retryable: false });
}

/**
 * Refuses a config that cannot work before anything is spawned or sent. Which stdio commands may run is the caller's
 * business: only the operator names them (nodes/ai/mcp-servers.ts, BATON_MCP_SERVERS), never a workflow.
 */
export function checkServerConfig(config: McpServerConfig): void {
  if (!config.name?.trim())
    throw new NodeError('MCP server: the name is empty', { code: 'mcp-config', retryable: false });
  if (config.transport === 'stdio') {
    if (!config.command?.trim()) throw configError(config, 'the command is empty');
    return;
  }
  const url = URL.canParse(config.url) ? new URL(config.url) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw configError(config, 'the URL must be an absolute http(s) URL');
  }
  if (url.username !== '' || url.password !== '') {
    throw configError(config, `the URL ${safeUrl(url)} carries credentials (user:password@); use headers instead`);
  }
}

/** Where the server is, for messages: the command or the URL without query or credentials. */
export function serverLocation(config: McpServerConfig): string {
  return config.transport === 'stdio' ? `"${config.command}"` : safeUrl(config.url);
}

/** The values a message about this server must never contain: header values and environment values. */
export function configSecrets(config: McpServerConfig): string[] {
  const values = config.transport === 'http' ? Object.values(config.headers ?? {}) : Object.values(config.env ?? {});
  // A bearer header's token alone is a secret too, so is its scheme-less form.
  return values.flatMap((v) => [v, v.replace(/^\S+\s+/, '')]);
}

export function scrubConfigSecrets(config: McpServerConfig, text: string): string {
  return withoutSecrets(text, configSecrets(config));
}

/** One key per distinct connection: the pool shares a connected client between calls with the same config. */
export function connectionKey(config: McpServerConfig): string {
  const sorted = (record: Record<string, string> | undefined) => Object.entries(record ?? {}).sort();
  const identity =
    config.transport === 'stdio'
      ? ['stdio', config.name, config.command, config.args, sorted(config.env), config.cwd ?? '']
      : ['http', config.name, config.url, sorted(config.headers)];
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}

const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);

/**
 * The name a model sees for `tool` of `server`: `<server>__<tool>` in the characters and length model APIs accept
 * ([a-zA-Z0-9_-]{1,64}); a name cut short ends with a hash of the whole, so two long names stay apart.
 */
export function mcpToolName(server: string, tool: string): string {
  const clean = (s: string) => s.replace(/[^a-zA-Z0-9_-]/g, '_');
  const name = `${clean(server)}__${clean(tool)}`;
  return name.length <= MAX_TOOL_NAME ? name : `${name.slice(0, MAX_TOOL_NAME - 9)}_${shortHash(`${server}\0${tool}`)}`;
}

/** Like mcpToolName, but never one of `taken` (two tools whose names differ only in characters models refuse). */
export function uniqueMcpToolName(server: string, tool: string, taken: ReadonlySet<string>): string {
  const name = mcpToolName(server, tool);
  if (!taken.has(name)) return name;
  return `${name.slice(0, MAX_TOOL_NAME - 9)}_${shortHash(`${server}\0${tool}\0${taken.size}`)}`;
}
