// MCP servers an agent reaches. A stdio server is a program the worker starts, so only the operator may name one:
// BATON_MCP_SERVERS points to a JSON file `{ "<name>": { "command": "…", "args": […], "env": {…} } }`, and workflows
// refer to servers by name. A streamable-HTTP server comes from an "MCP server" credential of the workspace.
import { readFileSync } from 'node:fs';
import { NodeError } from '../errors';
import type { CredentialForStep } from '../define';
import { mcpServerHeaders } from '../credentials/mcp-server';
import type { McpServerConfig } from './mcp';

interface StdioEntry {
  command: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
}

function registry(): Record<string, StdioEntry> {
  const file = process.env.BATON_MCP_SERVERS;
  if (!file) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new NodeError(`BATON_MCP_SERVERS (${file}) could not be read as JSON: ${(err as Error).message}`, {
      code: 'mcp-config',
      retryable: false,
    });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new NodeError(`BATON_MCP_SERVERS (${file}) must hold an object of servers by name.`, {
      code: 'mcp-config',
      retryable: false,
    });
  return parsed as Record<string, StdioEntry>;
}

/** The names of the stdio servers the operator registered, for the editor's hints. */
export function stdioServerNames(): string[] {
  try {
    return Object.keys(registry()).sort();
  } catch {
    return [];
  }
}

/** The stdio server registered as `server`; `tool` names the agent tool row for the error message. */
export function stdioServer(server: string, tool: string, only?: string[]): McpServerConfig {
  const entry = registry()[server];
  if (!entry || typeof entry.command !== 'string')
    throw new NodeError(
      `Tool "${tool}": no MCP server "${server}" is registered on this worker (BATON_MCP_SERVERS lists ${stdioServerNames().join(', ') || 'none'}).`,
      { code: 'param-invalid', retryable: false },
    );
  return {
    transport: 'stdio',
    name: tool,
    command: entry.command,
    args: entry.args ?? [],
    ...(entry.env ? { env: entry.env } : {}),
    ...(entry.cwd ? { cwd: entry.cwd } : {}),
    ...(only ? { tools: only } : {}),
  };
}

/** A streamable-HTTP server from an "MCP server" credential's fields. */
export function httpServer(credential: CredentialForStep, tool: string, only?: string[]): McpServerConfig {
  const values = credential.values as { url?: string; token?: string; headers?: string };
  if (typeof values.url !== 'string' || !values.url)
    throw new NodeError(`Tool "${tool}": the MCP server credential has no URL.`, {
      code: 'credential-invalid',
      retryable: false,
    });
  let headers: Record<string, string>;
  try {
    headers = mcpServerHeaders(values);
  } catch (err) {
    throw new NodeError(`Tool "${tool}": ${(err as Error).message}`, { code: 'credential-invalid', retryable: false });
  }
  return { transport: 'http', name: tool, url: values.url, headers, ...(only ? { tools: only } : {}) };
}
