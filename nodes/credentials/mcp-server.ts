// An MCP server reached over streamable HTTP (modelcontextprotocol.io, transport "Streamable HTTP"), whose tools
// agents may use: its URL, a bearer token and any other headers it wants. The test opens a session (initialize,
// then notifications/initialized) and lists the tools, which changes nothing on the server. Answers come as JSON or
// as a short SSE stream; both are read.
import { defineCredentialType, field, type CredentialTestContext, type HttpReply } from './define';
import { statusWithDetail } from './replies';

const PROTOCOL_VERSION = '2025-06-18';
/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const MAX_PAGES = 20;

interface RpcMessage {
  id?: unknown;
  result?: Record<string, unknown>;
  error?: { message?: string };
}

/**
 * The headers a credential's values make: `authorization: Bearer <token>` and the extra ones (a JSON object).
 * Throws, naming the field, when the extra headers are not an object of header names and one-line values.
 */
export function mcpServerHeaders(values: { token?: string; headers?: string }): Record<string, string> {
  const headers: Record<string, string> = {};
  if (values.headers?.trim()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(values.headers);
    } catch {
      throw new Error('MCP server credential: Extra headers must be a JSON object, e.g. {"X-Api-Key": "…"}');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('MCP server credential: Extra headers must be a JSON object of header names and values');
    }
    for (const [name, value] of Object.entries(parsed)) {
      if (!HEADER_NAME.test(name) || typeof value !== 'string' || /[\r\n]/.test(value)) {
        throw new Error(
          `MCP server credential: Extra headers: "${name}" must be a header name with a one-line text value`,
        );
      }
      headers[name.toLowerCase()] = value;
    }
  }
  if (values.token) headers.authorization = `Bearer ${values.token}`;
  return headers;
}

/** The JSON-RPC messages of a reply: its JSON body, or the `data:` of each SSE event. */
function messagesOf(reply: HttpReply): RpcMessage[] {
  if (reply.body && typeof reply.body === 'object') return [reply.body].flat() as RpcMessage[];
  if (typeof reply.body !== 'string') return [];
  return reply.body.split(/\r?\n\r?\n/).flatMap((event) => {
    const data = event
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    try {
      return data ? [JSON.parse(data) as RpcMessage] : [];
    } catch {
      return [];
    }
  });
}

type Session = { ctx: CredentialTestContext; url: string; headers: Record<string, string> };

async function rpc(session: Session, id: number | undefined, method: string, params: object) {
  const reply = await session.ctx.http({
    url: session.url,
    method: 'POST',
    headers: { ...session.headers, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', ...(id === undefined ? {} : { id }), method, params }),
  });
  return { reply, answer: messagesOf(reply).find((message) => message.id === id) };
}

export const mcpServer = defineCredentialType({
  type: 'mcp-server',
  title: 'MCP server',
  description: 'A Model Context Protocol server over streamable HTTP, whose tools agents can use.',
  fields: {
    url: field.url({
      label: 'Server URL',
      description: 'The streamable HTTP endpoint, e.g. https://mcp.example.com/mcp.',
      required: true,
    }),
    token: field.secret({
      label: 'Bearer token',
      description: 'Sent as "Authorization: Bearer …". Leave empty if the server needs none.',
      maxLength: 8192,
    }),
    headers: field.secret({
      label: 'Extra headers',
      description: 'A JSON object of headers sent with every request, e.g. {"X-Api-Key": "…"}.',
      maxLength: 16384,
    }),
  },
  async test(values, ctx) {
    const session: Session = { ctx, url: values.url, headers: mcpServerHeaders(values) };
    const init = await rpc(session, 1, 'initialize', {
      protocolVersion: PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: 'baton', version: '1.0.0' },
    });
    if (init.reply.status === 401 || init.reply.status === 403) {
      return { ok: false, message: `The server refused the credentials: ${statusWithDetail(init.reply)}.` };
    }
    const result = init.answer?.result;
    if (!result) {
      const why = init.answer?.error?.message ?? statusWithDetail(init.reply);
      return { ok: false, message: `The server did not accept an MCP session (${why}); check the URL.` };
    }
    const sessionId = init.reply.headers['mcp-session-id'];
    const version = typeof result.protocolVersion === 'string' ? result.protocolVersion : PROTOCOL_VERSION;
    session.headers = {
      ...session.headers,
      'mcp-protocol-version': version,
      ...(sessionId && { 'mcp-session-id': sessionId }),
    };
    await rpc(session, undefined, 'notifications/initialized', {});
    const names: string[] = [];
    let cursor: unknown;
    for (let page = 0; page < MAX_PAGES; page++) {
      const list = await rpc(session, 2 + page, 'tools/list', cursor === undefined ? {} : { cursor });
      const tools = list.answer?.result?.tools;
      if (!Array.isArray(tools)) {
        const why = list.answer?.error?.message ?? statusWithDetail(list.reply);
        return { ok: false, message: `The server opened a session but did not list its tools (${why}).` };
      }
      names.push(...tools.map((tool: { name?: unknown }) => String(tool.name)));
      cursor = list.answer?.result?.nextCursor;
      if (typeof cursor !== 'string') break;
    }
    const server = (result.serverInfo as { name?: unknown } | undefined)?.name;
    const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');
    return {
      ok: true,
      message: `Connected${typeof server === 'string' ? ` to "${server}"` : ''}: it offers ${names.length} tools${names.length ? ` (${shown})` : ''}.`,
    };
  },
});
