// The Agent node's `tools` param (nodes/agent/tools.ts): a compact list of the tools it declares (kind, name, what it
// calls, "Needs approval") with the compiler's errors marked on their rows, "Add" buttons that append a template
// row of each kind, and the JSON editor below for everything else, so nobody has to know the shapes by heart.
import { useState } from 'react';
import type { AgentTool } from '../../../nodes/agent/tools';
import { useEditor } from '../../stores/workflow-store-context';
import { NodeIcon } from '../canvas/NodeIcon';
import { IconButton } from '../ui/IconButton';
import { JsonField } from './CodeField';
import type { FieldError } from './list-rows';

type Kind = AgentTool['kind'];
/** A row as the JSON holds it: not yet checked (the compiler does that), so every field is read with care. */
type ToolRow = Record<string, unknown>;

const KIND_LABELS: Record<Kind, string> = {
  node: 'Node',
  http: 'HTTP',
  mcp: 'MCP server',
  workflow: 'Workflow',
  agent: 'Sub-agent',
};
const KIND_ICONS: Record<Exclude<Kind, 'node'>, string> = {
  http: 'http',
  mcp: 'code',
  workflow: 'workflow',
  agent: 'ai',
};
const REMOVE = 'M4 4l8 8M12 4l-8 8';

/** `base`, or `base_2`, `base_3`…: tool names must be unique within the node. */
function freeName(base: string, tools: ToolRow[]): string {
  const taken = new Set(tools.map((t) => t.name));
  for (let n = 1; ; n++) if (!taken.has(n === 1 ? base : `${base}_${n}`)) return n === 1 ? base : `${base}_${n}`;
}

/** A row to fill in: every field the kind needs, with example values that show the shape. */
function template(kind: Kind, tools: ToolRow[], nodeType?: string): ToolRow {
  // Written out so the option is seen: true makes the loop ask people before each call.
  const needsApproval = false;
  switch (kind) {
    case 'node':
      return {
        kind,
        name: freeName((nodeType ?? 'node').replace(/[^a-zA-Z0-9_-]/g, '_'), tools),
        description: 'What the tool does, for the model.',
        type: nodeType ?? '',
        params: {},
        needsApproval,
      };
    case 'http':
      return {
        kind,
        name: freeName('http_tool', tools),
        description: 'What the endpoint answers, for the model.',
        method: 'GET',
        url: 'https://api.example.com/items?query={query}',
        parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
        needsApproval,
      };
    case 'mcp':
      return { kind, name: freeName('mcp', tools), server: 'files', needsApproval };
    case 'workflow':
      return {
        kind,
        name: freeName('workflow_tool', tools),
        description: 'What the workflow does; the arguments are its input.',
        workflowId: '',
        needsApproval,
      };
    case 'agent':
      return {
        kind,
        name: freeName('helper_agent', tools),
        description: 'What to delegate to this agent.',
        system: 'You are a careful assistant. Answer briefly.',
        tools: [],
        needsApproval,
      };
  }
}

/** One line on what a tool calls. */
function summary(tool: ToolRow, titleOf: (type: string) => string | undefined): string {
  switch (tool.kind) {
    case 'node':
      return typeof tool.type === 'string' && tool.type ? (titleOf(tool.type) ?? tool.type) : 'no node type yet';
    case 'http': {
      const url = typeof tool.url === 'string' ? tool.url : '';
      const host = /^https?:\/\/([^/?#]+)/.exec(url)?.[1] ?? url;
      return `${typeof tool.method === 'string' ? tool.method : 'GET'} ${host}`;
    }
    case 'mcp': {
      const where = typeof tool.server === 'string' ? `server “${tool.server}”` : 'HTTP server';
      return `${where} · ${Array.isArray(tool.tools) ? `${tool.tools.length} tools` : 'all its tools'}`;
    }
    case 'workflow':
      return typeof tool.workflowId === 'string' && tool.workflowId ? `workflow ${tool.workflowId}` : 'no workflow yet';
    case 'agent':
      return `${Array.isArray(tool.tools) ? tool.tools.length : 0} tools of its own`;
    default:
      return 'unknown kind';
  }
}

const isRow = (v: unknown): v is ToolRow => v !== null && typeof v === 'object' && !Array.isArray(v);

export function AgentToolsField(props: {
  id: string;
  label: string;
  value: unknown;
  /** The compiler's errors inside the param: `path[0]` is the tool's position. */
  errors: FieldError[];
  readOnly: boolean;
  invalid: boolean;
  onChange(value: unknown): void;
}) {
  const { id, value, errors, readOnly, onChange } = props;
  const specs = useEditor((s) => s.specs);
  // The JSON editor keeps its text while typing; a change made here remounts it with the new value.
  const [revision, setRevision] = useState(0);
  const tools = Array.isArray(value) ? value.filter(isRow) : [];
  const nodeTypes = Object.values(specs)
    .filter((s) => s.runtime.kind === 'activity' && s.category !== 'trigger')
    .sort((a, b) => a.title.localeCompare(b.title));
  const titleOf = (type: string) => specs[type]?.title;
  const replace = (next: ToolRow[]) => {
    onChange(next);
    setRevision((r) => r + 1);
  };
  const add = (kind: Kind, nodeType?: string) => replace([...tools, template(kind, tools, nodeType)]);

  return (
    <div className="agent-tools">
      {!Array.isArray(value) && value !== undefined ? (
        <p className="hint">The value is not a list; fix it in the JSON below.</p>
      ) : tools.length === 0 ? (
        <p className="list-empty">No tools yet: the agent can only answer from what it knows.</p>
      ) : (
        <ul className="agent-tool-list" aria-label="Declared tools">
          {tools.map((tool, i) => {
            const kind = typeof tool.kind === 'string' && tool.kind in KIND_LABELS ? (tool.kind as Kind) : undefined;
            const spec = kind === 'node' && typeof tool.type === 'string' ? specs[tool.type] : undefined;
            const bad = errors.some((e) => e.path[0] === i);
            const name = typeof tool.name === 'string' && tool.name ? tool.name : `tool ${i + 1}`;
            return (
              <li key={i} className={`agent-tool${bad ? ' invalid' : ''}`} data-tool={name}>
                <span className="agent-tool-icon" title={kind ? KIND_LABELS[kind] : 'Unknown kind'}>
                  <NodeIcon
                    icon={kind === 'node' ? spec?.icon : kind ? KIND_ICONS[kind] : undefined}
                    category={spec?.category}
                    size={14}
                  />
                </span>
                <span className="agent-tool-text">
                  <span className="agent-tool-name mono">{name}</span>
                  <span className="agent-tool-what">
                    {kind ? KIND_LABELS[kind] : 'Unknown kind'} · {summary(tool, titleOf)}
                  </span>
                </span>
                {tool.needsApproval === true && <span className="badge warning">Needs approval</span>}
                {bad && (
                  <span className="badge failed" title="See the errors under the field">
                    Error
                  </span>
                )}
                {!readOnly && (
                  <IconButton
                    label={`Remove tool ${name}`}
                    title="Remove this tool"
                    path={REMOVE}
                    onClick={() => replace(tools.filter((_, j) => j !== i))}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
      {!readOnly && (
        <div className="agent-tool-add" role="group" aria-label="Add tool">
          <select
            className="select"
            aria-label="Add a node as a tool"
            value=""
            onChange={(e) => e.target.value && add('node', e.target.value)}
          >
            <option value="">+ Node…</option>
            {nodeTypes.map((s) => (
              <option key={s.type} value={s.type}>
                {s.title}
              </option>
            ))}
          </select>
          {(['http', 'mcp', 'workflow', 'agent'] as const).map((kind) => (
            <button key={kind} type="button" className="btn small" onClick={() => add(kind)}>
              + {KIND_LABELS[kind]}
            </button>
          ))}
        </div>
      )}
      <JsonField
        key={revision}
        id={id}
        label={props.label}
        value={value}
        onChange={onChange}
        readOnly={readOnly}
        invalid={props.invalid}
      />
    </div>
  );
}
