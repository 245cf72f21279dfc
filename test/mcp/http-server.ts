// An MCP server over streamable HTTP, written for the tests (nodes/ai/mcp.test.ts): the tools of tools.ts at
// http://127.0.0.1:<port>/mcp, stateless (a server per request, answers streamed as SSE), behind a bearer token
// (MCP_TEST_TOKEN). Prints "MCP test server listening on <url>" once it accepts connections.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { registerTestTools } from './tools';

const token = process.env.MCP_TEST_TOKEN;
if (!token) throw new Error('MCP_TEST_TOKEN must be set: the server checks the bearer token');

function refuse(res: http.ServerResponse, status: number, message: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

async function answer(req: http.IncomingMessage, res: http.ServerResponse) {
  const server = new McpServer({ name: 'baton-test-http', version: '1.0.0' });
  registerTestTools(server);
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res);
}

const httpServer = http.createServer((req, res) => {
  if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/mcp') return refuse(res, 404, 'Not found.');
  if (req.headers.authorization !== `Bearer ${token}`) {
    return refuse(res, 401, 'Invalid bearer token.', { 'www-authenticate': 'Bearer' });
  }
  // Stateless: no standalone SSE stream (GET) and no session to end (DELETE).
  if (req.method !== 'POST') return refuse(res, 405, 'Method not allowed.', { allow: 'POST' });
  answer(req, res).catch((err: Error) => {
    if (!res.headersSent) refuse(res, 500, `Internal error: ${err.message}`);
  });
});

httpServer.listen(0, '127.0.0.1', () => {
  const { port } = httpServer.address() as AddressInfo;
  console.log(`MCP test server listening on http://127.0.0.1:${port}/mcp`);
});
