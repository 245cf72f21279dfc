// The n8n node types Baton has an equivalent for, each with its mapper: n8n parameter names (per type version, as in
// n8n-io/n8n packages/nodes-base/nodes/*) → Baton params. A type without a mapper, or a mapper returning undefined
// (a mode Baton lacks), becomes a disabled placeholder (ir/n8n/placeholder.ts).
import { code, emailSend, httpRequest, limit, renameKeys, set } from './map-data';
import { ifNode, merge, noOp, stopAndError, wait } from './map-flow';
import { manualTrigger, scheduleTrigger, webhook } from './map-triggers';
import type { Mapper } from './map-values';

/** n8n type (without its package prefix) → mapper. */
export const MAPPERS: Record<string, Mapper> = {
  manualTrigger,
  webhook,
  scheduleTrigger,
  set,
  if: ifNode,
  merge,
  code,
  function: code,
  functionItem: code,
  httpRequest,
  wait,
  emailSend,
  noOp,
  stopAndError,
  limit,
  renameKeys,
};

/** The mapper of an n8n type such as "n8n-nodes-base.httpRequest"; only n8n's base package is mapped. */
export function mapperFor(type: string): Mapper | undefined {
  const match = /^n8n-nodes-base\.([A-Za-z0-9]+)$/.exec(type);
  return match && Object.hasOwn(MAPPERS, match[1]) ? MAPPERS[match[1]] : undefined;
}
