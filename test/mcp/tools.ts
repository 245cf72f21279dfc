// The tools of the MCP servers written for the tests (stdio-server.ts, http-server.ts), the same on both transports.
// `write_note` has a side effect a test can count, `fail` reports a tool error, `crash` kills the server mid-call,
// `env` shows what environment the server was given, `pid` which process answered.
import { appendFileSync, readFileSync } from 'node:fs';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

/** The first bytes of every PNG file: an image part of a known size. */
const PNG_SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });

export function registerTestTools(server: McpServer): void {
  server.registerTool(
    'add',
    { description: 'Adds two numbers.', inputSchema: { a: z.number().describe('The first number'), b: z.number() } },
    async ({ a, b }) => text(String(a + b)),
  );
  server.registerTool(
    'write_note',
    {
      description: 'Appends a line to the notes file (NOTES_FILE) and returns how many lines it holds.',
      inputSchema: { text: z.string() },
    },
    async ({ text: line }) => {
      const file = process.env.NOTES_FILE;
      if (!file) return { ...text('NOTES_FILE is not set'), isError: true };
      appendFileSync(file, `${line}\n`);
      return text(String(readFileSync(file, 'utf8').split('\n').filter(Boolean).length));
    },
  );
  server.registerTool('fail', { description: 'Always fails, as a tool error.' }, async () => ({
    ...text('the fail tool always fails'),
    isError: true,
  }));
  server.registerTool('crash', { description: 'Kills the server while answering.' }, async () => {
    process.stderr.write('crash tool: exiting mid-call\n');
    process.exit(1);
  });
  server.registerTool(
    'env',
    { description: 'One variable of the server’s environment, or null.', inputSchema: { name: z.string() } },
    async ({ name }) => text(JSON.stringify(process.env[name] ?? null)),
  );
  server.registerTool('pid', { description: 'The id of the server’s process.' }, async () => text(String(process.pid)));
  server.registerTool(
    'picture',
    { description: 'A caption, an image and its size as structured content.' },
    async () => ({
      content: [
        { type: 'text' as const, text: 'a tiny picture' },
        { type: 'image' as const, mimeType: 'image/png', data: PNG_SIGNATURE.toString('base64') },
      ],
      structuredContent: { width: 1, height: 1 },
    }),
  );
}
