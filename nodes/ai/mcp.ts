// MCP servers' tools for agents (@modelcontextprotocol/sdk, stdio and streamable HTTP): what a server offers, as tool
// definitions for the model, and one tool call, its result as text for the model. Server-side only. A tool's own
// failure (`isError`) is a result the model should see; a server that crashed, hung up, refused the credentials or
// broke the protocol is a thrown error naming the server and what happened.
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { isDeepStrictEqual } from 'node:util';
import type { JsonSchema, ToolDefinition } from '../../contracts/ai';
import { NodeError } from '../errors';
import { describeServer, uniqueMcpToolName, type McpServerConfig } from './mcp-config';
import type { McpCallOptions } from './mcp-connection';
import { withMcpConnection } from './mcp-pool';

export type { McpHttpServer, McpServerConfig, McpStdioServer } from './mcp-config';
export { mcpToolName } from './mcp-config';
export type { McpCallOptions } from './mcp-connection';
export { closeMcpConnections } from './mcp-pool';

/** A tool as the model sees it, with the server and the server's own name for the call. */
export interface McpToolDefinition extends ToolDefinition {
  server: string;
  /** The server's name for it: what callMcpTool takes. */
  tool: string;
}

export interface McpToolResult {
  /** The result as text for the model. */
  content: string;
  /** The tool reported a failure: the model is told, the agent goes on. */
  isError: boolean;
  raw: CallToolResult;
}

/** A server that pages its list endlessly must not hold the agent. */
const MAX_LIST_PAGES = 50;

/** The tools `config` allows, in its order; names the server does not have are an error. */
function chooseTools(config: McpServerConfig, offered: Tool[]): Tool[] {
  if (!config.tools) return offered;
  const byName = new Map(offered.map((tool) => [tool.name, tool]));
  const missing = config.tools.filter((name) => !byName.has(name));
  if (missing.length > 0) {
    const names = missing.map((name) => `"${name}"`).join(', ');
    const has = offered.map((tool) => tool.name).join(', ') || 'none';
    throw new NodeError(`${describeServer(config)} has no tool named ${names}; the tools it offers: ${has}`, {
      code: 'mcp-tool-unknown',
      retryable: false,
    });
  }
  return config.tools.map((name) => byName.get(name)!);
}

export async function listMcpTools(config: McpServerConfig, opts: McpCallOptions = {}): Promise<McpToolDefinition[]> {
  const offered = await withMcpConnection(config, 'tools/list', opts, async ({ client }, request) => {
    const tools: Tool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const listed = await client.listTools(cursor === undefined ? undefined : { cursor }, request);
      tools.push(...listed.tools);
      cursor = listed.nextCursor;
      if (cursor === undefined) break;
    }
    return tools;
  });
  const taken = new Set<string>();
  return chooseTools(config, offered).map((tool) => {
    const name = uniqueMcpToolName(config.name, tool.name, taken);
    taken.add(name);
    return {
      name,
      description: tool.description ?? tool.title ?? `The tool "${tool.name}" of ${describeServer(config)}.`,
      parameters: tool.inputSchema as JsonSchema,
      server: config.name,
      tool: tool.name,
    };
  });
}

export async function callMcpTool(
  config: McpServerConfig,
  toolName: string,
  args: Record<string, unknown>,
  opts: McpCallOptions = {},
): Promise<McpToolResult> {
  // The model may name a tool it was not given; the filter is a permission, not a hint.
  if (config.tools && !config.tools.includes(toolName)) {
    throw new NodeError(
      `${describeServer(config)}: the tool "${toolName}" is not among the tools chosen for it (${config.tools.join(', ')})`,
      { code: 'mcp-tool-unknown', retryable: false },
    );
  }
  const raw = (await withMcpConnection(config, 'tools/call', opts, ({ client }, request) =>
    client.callTool({ name: toolName, arguments: args }, undefined, request),
  )) as CallToolResult;
  return { content: toolResultText(raw), isError: raw.isError === true, raw };
}

type ContentPart = CallToolResult['content'][number];

const bytes = (base64: string) => Buffer.byteLength(base64, 'base64');

function partText(part: ContentPart): string {
  switch (part.type) {
    case 'text':
      return part.text;
    case 'image':
    case 'audio':
      return `[${part.type} ${part.mimeType}, ${bytes(part.data)} bytes]`;
    case 'resource_link':
      return `[resource link ${part.uri}${part.name ? ` (${part.name})` : ''}]`;
    case 'resource': {
      const { resource } = part;
      if ('text' in resource) return `[resource ${resource.uri}]\n${resource.text}`;
      return `[resource ${resource.uri} ${resource.mimeType ?? 'application/octet-stream'}, ${bytes(resource.blob)} bytes]`;
    }
    default:
      return `[${(part as { type: string }).type} content]`;
  }
}

/** Whether `text` is the JSON of `value` (servers also send structured content as text, for older clients). */
function isJsonOf(text: string, value: unknown): boolean {
  try {
    return isDeepStrictEqual(JSON.parse(text), value);
  } catch {
    return false;
  }
}

/** Text parts as they are, other kinds summarized, then structured content as JSON unless a text part already is it. */
export function toolResultText(result: CallToolResult): string {
  const parts = (result.content ?? []).map(partText);
  const structured = result.structuredContent;
  if (structured !== undefined && !parts.some((text) => isJsonOf(text, structured))) {
    parts.push(JSON.stringify(structured));
  }
  return parts.join('\n');
}
