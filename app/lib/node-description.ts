// What the browser knows about a node type: `describeSpec` output, JSON-safe (no zod, no functions).
import type { NodeSpec } from '../../nodes/define';
import type { SpecDescription } from '../../nodes/index';

export type NodeDescription = SpecDescription;
export type ParamDescription = SpecDescription['params'][number];

/** Palette group headings. */
export const CATEGORY_GROUPS: Record<NodeSpec['category'], string> = {
  trigger: 'Triggers',
  core: 'Core',
  flow: 'Flow control',
  integration: 'Integrations',
  ai: 'AI',
  human: 'Human in the loop',
  browser: 'Browser',
};

/** What one node of a category is, shown under its name on the canvas. */
export const CATEGORY_LABELS: Record<NodeSpec['category'], string> = {
  trigger: 'Trigger',
  core: 'Core',
  flow: 'Flow control',
  integration: 'Integration',
  ai: 'AI',
  human: 'Human step',
  browser: 'Browser',
};

export const CATEGORY_ORDER = Object.keys(CATEGORY_GROUPS) as Array<NodeSpec['category']>;

/** A param's value as the node holds it, or the type's default when absent. */
export function paramOrDefault(spec: NodeDescription, params: Record<string, unknown>, key: string): unknown {
  return params[key] !== undefined ? params[key] : spec.params.find((p) => p.key === key)?.default;
}
