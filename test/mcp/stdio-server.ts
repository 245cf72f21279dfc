// An MCP server over stdio, written for the tests (nodes/ai/mcp.test.ts): the tools of tools.ts. Spawned by the MCP
// client as `node --import tsx test/mcp/stdio-server.ts`, with NOTES_FILE in its environment for `write_note`.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { registerTestTools } from './tools';

const server = new McpServer({ name: 'baton-test-stdio', version: '1.0.0' });
registerTestTools(server);
await server.connect(new StdioServerTransport());
