// A Baton node offered to a model as a tool: the JSON Schema of the params the model fills in, derived from the
// node's param declarations (their widgets say the JSON type). Params the tool fixes are left out, and so are
// those no model may choose: credentials, models, data tables, workflows and secrets must be fixed by the author.
import type { JsonSchema } from '../../contracts/ai';
import type { ListField, NodeSpec, ParamDef } from '../define';

const AUTHOR_ONLY = new Set(['credential', 'model', 'dataTable', 'workflow', 'secret', 'code']);

function fieldSchema(f: ListField): JsonSchema {
  if (f.widget === 'number') return { type: 'number' };
  if (f.widget === 'boolean') return { type: 'boolean' };
  if (f.widget === 'select' && f.options) return { type: 'string', enum: f.options.map((o) => o.value) };
  return { type: 'string' };
}

function paramSchema(def: ParamDef): JsonSchema | undefined {
  const { ui } = def;
  const described = (s: JsonSchema): JsonSchema => ({
    ...s,
    description: [ui.label, ui.description].filter(Boolean).join(': '),
  });
  switch (ui.widget) {
    case 'text':
    case 'textarea':
      return described({ type: 'string', ...(ui.maxLength ? { maxLength: ui.maxLength } : {}) });
    case 'number':
      return described({ type: 'number' });
    case 'boolean':
      return described({ type: 'boolean' });
    case 'select':
      return described({ type: 'string', enum: (ui.options ?? []).map((o) => o.value) });
    case 'keyValue':
      return described({ type: 'object', additionalProperties: { type: 'string' } });
    case 'json':
      return described({});
    case 'list':
      return described({
        type: 'array',
        items: {
          type: 'object',
          properties: Object.fromEntries((ui.fields ?? []).map((f) => [f.key, fieldSchema(f)])),
        },
        ...(ui.maxItems ? { maxItems: ui.maxItems } : {}),
      });
    case 'file':
      return described({ type: 'object', description: 'A file value from an earlier step' });
    default:
      return AUTHOR_ONLY.has(ui.widget) ? undefined : described({});
  }
}

/** The arguments schema of `spec` as a tool, with `fixed` params set by the author and so not asked for. */
export function nodeToolSchema(spec: NodeSpec, fixed: Record<string, unknown>): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [key, def] of Object.entries(spec.params)) {
    if (key in fixed) continue;
    const schema = paramSchema(def);
    if (!schema) continue;
    properties[key] = schema;
    if (def.ui.required && def.default === undefined) required.push(key);
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
}

/** Params a model may not set for `spec`: what the author must fix for the tool to run. */
export function authorOnlyParams(spec: NodeSpec): string[] {
  return Object.entries(spec.params)
    .filter(([, def]) => AUTHOR_ONLY.has(def.ui.widget) && def.ui.required)
    .map(([key]) => key);
}
