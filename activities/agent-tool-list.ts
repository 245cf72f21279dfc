// The tools an Agent offers, as the model sees them (names, descriptions, argument schemas) and as the workflow
// steers them (ToolRoute). MCP servers are asked for their tools here, once per execution.
import type { JsonSchema, ToolDefinition } from '../contracts/ai';
import { openCredentialForRun } from '../db/credential-use';
import { stepCredentials } from '../nodes/credentials/step-access';
import { NodeError } from '../nodes/errors';
import { nodeToolSchema, authorOnlyParams } from '../nodes/agent/tool-schema';
import type { AgentTool } from '../nodes/agent/tools';
import { listMcpTools, type McpServerConfig, type McpToolDefinition } from '../nodes/ai/mcp';
import { httpServer, stdioServer } from '../nodes/ai/mcp-servers';
import type { NodeSpec } from '../nodes/define';
import type { ActivityDeps } from './deps';
import type { AgentStartInput, ToolRoute } from './agent-start';

const MCP_LIST_TIMEOUT_MS = 30_000;

/** `{city}` placeholders of an HTTP tool's URL become string arguments when the tool declares no schema. */
export function placeholdersOf(url: string): string[] {
  return [...new Set([...url.matchAll(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g)].map((m) => m[1]))];
}

function httpSchema(tool: Extract<AgentTool, { kind: 'http' }>): JsonSchema {
  if (tool.parameters) return tool.parameters;
  const names = placeholdersOf(tool.url);
  return {
    type: 'object',
    properties: Object.fromEntries(names.map((n) => [n, { type: 'string' }])),
    required: names,
    ...(tool.method === 'GET' || tool.method === 'DELETE' ? { additionalProperties: false } : {}),
  };
}

/** The spec a node tool runs, refused when it is not a plain activity node or leaves an author-only param open. */
export function toolNodeSpec(deps: Pick<ActivityDeps, 'nodes'>, tool: Extract<AgentTool, { kind: 'node' }>): NodeSpec {
  const spec = deps.nodes.get(tool.type, tool.version ?? 1);
  if (!spec)
    throw new NodeError(`Tool "${tool.name}": no node type ${tool.type}@${tool.version ?? 1}.`, {
      code: 'param-invalid',
      retryable: false,
    });
  if (spec.runtime.kind !== 'activity')
    throw new NodeError(
      `Tool "${tool.name}": ${spec.title} is not a node that does one piece of work (it is a ${spec.runtime.kind} node), so it cannot be a tool.`,
      { code: 'param-invalid', retryable: false },
    );
  const open = authorOnlyParams(spec).filter((p) => !(p in (tool.params ?? {})));
  if (open.length)
    throw new NodeError(
      `Tool "${tool.name}": set ${open.map((p) => `"${p}"`).join(', ')} in the tool's params; a model may not choose ${open.length > 1 ? 'them' : 'it'}.`,
      { code: 'param-invalid', retryable: false },
    );
  return spec;
}

/** The MCP server an `mcp` tool row names: a registered stdio server, or an HTTP one from a credential. */
export async function mcpServerOf(
  req: Pick<AgentStartInput, 'runId' | 'workflowId' | 'node'>,
  tool: Extract<AgentTool, { kind: 'mcp' }>,
): Promise<{ config: McpServerConfig; scrub: <T>(v: T) => T }> {
  if (tool.server) return { config: stdioServer(tool.server, tool.name, tool.tools), scrub: (v) => v };
  const credentials = stepCredentials((id) =>
    openCredentialForRun({ runId: req.runId, workflowId: req.workflowId, nodeId: req.node.id }, id),
  );
  const credential = await credentials.credential(tool.credential!, ['mcp-server']);
  return { config: httpServer(credential, tool.name, tool.tools), scrub: credentials.scrub };
}

export async function describeTools(
  deps: ActivityDeps,
  req: AgentStartInput,
  rows: AgentTool[],
): Promise<{ tools: ToolRoute[]; definitions: ToolDefinition[] }> {
  const tools: ToolRoute[] = [];
  const definitions: ToolDefinition[] = [];
  const add = (route: ToolRoute, definition: ToolDefinition) => {
    tools.push(route);
    definitions.push(definition);
  };
  for (const [index, row] of rows.entries()) {
    const base = { name: row.name, kind: row.kind, index, needsApproval: row.needsApproval === true };
    switch (row.kind) {
      case 'node': {
        const spec = toolNodeSpec(deps, row);
        add(base, {
          name: row.name,
          description: row.description ?? `${spec.title}: ${spec.description}`,
          parameters: nodeToolSchema(spec, row.params ?? {}),
        });
        break;
      }
      case 'http':
        add(base, {
          name: row.name,
          description: row.description ?? `${row.method} ${row.url}`,
          parameters: httpSchema(row),
        });
        break;
      case 'workflow':
        add(base, {
          name: row.name,
          description:
            row.description ?? 'Runs a workflow with the arguments as its input and answers with its output.',
          parameters: row.parameters ?? { type: 'object' },
        });
        break;
      case 'agent':
        add(base, {
          name: row.name,
          description: row.description ?? 'Hands a task to another agent and answers with its result.',
          parameters: {
            type: 'object',
            properties: {
              task: { type: 'string', description: 'What the agent should do, with everything it needs.' },
            },
            required: ['task'],
          },
        });
        break;
      case 'mcp': {
        const { config, scrub } = await mcpServerOf(req, row);
        let listed: McpToolDefinition[];
        try {
          listed = await listMcpTools(config, { timeoutMs: MCP_LIST_TIMEOUT_MS });
        } catch (err) {
          throw new NodeError(scrub(`Tool "${row.name}": ${(err as Error).message}`), {
            code: 'mcp-unavailable',
            retryable: true,
          });
        }
        for (const { server: _server, tool, ...def } of listed) add({ ...base, name: def.name, remoteName: tool }, def);
        break;
      }
    }
  }
  return { tools, definitions };
}
