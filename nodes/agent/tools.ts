// The tools an Agent node offers its model, as its `tools` param lists them (JSON, one object per tool):
//   { "kind": "node", "name": "send_welcome", "type": "send-email", "params": { "smtp": "cred_…" } }
//   { "kind": "http", "name": "weather", "method": "GET", "url": "https://api.example.com/weather?city={city}",
//     "parameters": { "type": "object", "properties": { "city": { "type": "string" } } } }
//   { "kind": "mcp", "name": "files", "server": "files" }            (a stdio server the operator registered)
//   { "kind": "mcp", "name": "crm", "credential": "cred_…", "tools": ["find_contact"] }   (streamable HTTP)
//   { "kind": "workflow", "name": "open_ticket", "workflowId": "…" }  (a sub-workflow; the arguments are its input)
//   { "kind": "agent", "name": "researcher", "system": "…", "tools": ["weather"] }     (a sub-agent)
// Any tool may say `"needsApproval": true`: the loop then asks people first (workflows/agents.ts).
import { z } from 'zod';
import type { JsonSchema } from '../../contracts/ai';

export const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
export const MAX_TOOLS = 64;

const name = z.string().regex(TOOL_NAME, 'must be 1 to 64 letters, digits, _ or - (models refuse other names)');
const description = z.string().max(4000).optional();
const needsApproval = z.boolean().optional();
const jsonSchema = z.record(z.unknown()) as z.ZodType<JsonSchema>;
const credential = z.string().regex(/^cred_[0-9a-f-]{36}$/, 'must be the id of a credential (cred_…)');

export const agentToolSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('node'),
    name,
    description,
    needsApproval,
    type: z.string().min(1).max(100),
    version: z.number().int().positive().optional(),
    params: z.record(z.unknown()).optional(),
  }),
  z.object({
    kind: z.literal('http'),
    name,
    description,
    needsApproval,
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
    url: z.string().min(1).max(8192),
    parameters: jsonSchema.optional(),
    credential: credential.optional(),
  }),
  z.object({
    kind: z.literal('mcp'),
    name,
    needsApproval,
    server: z.string().regex(TOOL_NAME).optional(),
    credential: credential.optional(),
    tools: z.array(z.string().min(1).max(128)).max(MAX_TOOLS).optional(),
  }),
  z.object({
    kind: z.literal('workflow'),
    name,
    description,
    needsApproval,
    workflowId: z.string().regex(/^[a-f0-9]{24}$/, 'must be the id of a workflow (24 hexadecimal characters)'),
    parameters: jsonSchema.optional(),
  }),
  z.object({
    kind: z.literal('agent'),
    name,
    description,
    needsApproval,
    system: z
      .string()
      .min(1)
      .max(64 * 1024),
    model: z
      .string()
      .regex(/^mdl_[0-9a-f-]{36}$/)
      .optional(),
    tools: z.array(name).max(MAX_TOOLS).optional(),
    maxIterations: z.number().int().min(1).max(100).optional(),
  }),
]);

export type AgentTool = z.infer<typeof agentToolSchema>;

/** Problems across the list: a row that does not parse, names used twice, sub-agents naming unknown tools. */
export function toolListProblems(value: unknown): Array<{ path: Array<string | number>; message: string }> {
  if (!Array.isArray(value)) return [{ path: [], message: 'must be a list of tools (a JSON array)' }];
  if (value.length > MAX_TOOLS) return [{ path: [], message: `has ${value.length} tools; the limit is ${MAX_TOOLS}` }];
  const problems: Array<{ path: Array<string | number>; message: string }> = [];
  const names = new Map<string, number>();
  const parsed: AgentTool[] = [];
  value.forEach((row, i) => {
    const result = agentToolSchema.safeParse(row);
    if (!result.success) {
      for (const issue of result.error.issues)
        problems.push({ path: [i, ...issue.path], message: `tool ${i + 1}: ${issue.message}` });
      return;
    }
    const tool = result.data;
    if (tool.kind === 'mcp' && !tool.server === !tool.credential)
      problems.push({ path: [i], message: `tool "${tool.name}": give either "server" (stdio) or "credential" (HTTP)` });
    const seen = names.get(tool.name);
    if (seen !== undefined)
      problems.push({
        path: [i, 'name'],
        message: `tool "${tool.name}" is named twice (tools ${seen + 1} and ${i + 1})`,
      });
    names.set(tool.name, i);
    parsed.push(tool);
  });
  for (const tool of parsed) {
    if (tool.kind !== 'agent') continue;
    for (const inner of tool.tools ?? []) {
      const target = parsed.find((t) => t.name === inner);
      if (!target)
        problems.push({
          path: [names.get(tool.name)!, 'tools'],
          message: `sub-agent "${tool.name}" names no tool "${inner}"`,
        });
      else if (target.kind === 'agent')
        problems.push({
          path: [names.get(tool.name)!, 'tools'],
          message: `sub-agent "${tool.name}" may not call another sub-agent ("${inner}"): one level of delegation`,
        });
    }
  }
  return problems;
}
