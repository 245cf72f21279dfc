// A workflow document → what a marketplace listing carries (docs/decisions/061): its graph with every credential
// param emptied and every secret param removed (the node specs say which), and a manifest of the node types, the
// credential types to map, the data tables to create or map, the trigger's inputs and the permissions the graph
// needs. Pure: the publish API, bundle
// export and tests share it.
import type { ListingGraph, ListingManifest, ListingTable } from '../../contracts/marketplace';
import { MarketplaceError } from '../../contracts/marketplace';
import type { NodeSpec } from '../../nodes/define';
import { registry } from '../../nodes/index';
import type { DocumentNode, WorkflowDocument } from '../types';

/** A credential id (`cred_<uuid>`) anywhere in a string: stripped even from free text, where no spec names it. */
const CREDENTIAL_ID = /cred_[0-9a-f-]{36}/g;
const HTTP_NODES = new Set(['http-request']);
const EMAIL_NODES = new Set(['send-email']);

/** Where specs come from: the registry, or a test's own (no registered node runs on the gpu queue yet). */
export type SpecLookup = Pick<typeof registry, 'get'>;

function specOf(node: DocumentNode, specs: SpecLookup): NodeSpec {
  const spec = specs.get(node.type, node.version);
  if (!spec)
    throw new MarketplaceError(
      'invalid',
      `Node "${node.name}" (${node.id}) is ${node.type}@${node.version}, which this Baton does not know: ` +
        'its secret params cannot be told apart, so the workflow cannot be listed. Replace or remove the node.',
    );
  return spec;
}

/** Copies a param value with credential ids cut out of every string, at any depth (lists, maps, JSON). */
function withoutCredentialIds(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(CREDENTIAL_ID, '');
  if (Array.isArray(value)) return value.map(withoutCredentialIds);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutCredentialIds(v)]));
  return value;
}

function strippedParams(node: DocumentNode, spec: NodeSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node.params ?? {})) {
    const widget = spec.params[key]?.ui.widget;
    if (widget === 'secret') continue;
    // A data table id names a table of the publisher's workspace: the manifest's `tables` says what to map instead.
    out[key] = widget === 'credential' || widget === 'dataTable' ? '' : withoutCredentialIds(value);
  }
  return out;
}

/** The document as a listing shows and installs it: positions kept, credentials emptied, secrets gone. */
export function listingGraphOf(document: WorkflowDocument, specs: SpecLookup = registry): ListingGraph {
  return {
    nodes: document.nodes.map((node) => ({
      id: node.id,
      type: node.type,
      version: node.version,
      name: node.name,
      position: { x: node.position.x, y: node.position.y },
      params: strippedParams(node, specOf(node, specs)),
      ...(node.disabled ? { disabled: true } : {}),
      ...(node.notes ? { notes: String(withoutCredentialIds(node.notes)) } : {}),
    })),
    edges: document.edges.map((e) => ({
      id: e.id,
      source: e.source,
      sourcePort: e.sourcePort,
      target: e.target,
      targetPort: e.targetPort,
    })),
    // errorWorkflowId names a workflow of the publisher's workspace: meaningless (and revealing) elsewhere.
    settings: Object.fromEntries(Object.entries(document.settings ?? {}).filter(([k]) => k !== 'errorWorkflowId')),
  };
}

const isTemplated = (s: string) => s.includes('{{');

/** The host of a literal http(s) URL; `*` when an expression decides it; undefined when unset. */
function hostOf(url: unknown): string | undefined {
  if (typeof url !== 'string' || url.trim() === '') return undefined;
  if (isTemplated(url)) return '*';
  try {
    return new URL(url).hostname.toLowerCase() || '*';
  } catch {
    return '*';
  }
}

function domainsOf(node: DocumentNode): string[] {
  const params = node.params ?? {};
  if (HTTP_NODES.has(node.type)) return [hostOf(params.url)].filter((h): h is string => !!h);
  if (node.type !== 'browser') return [];
  if (params.mode === 'code') return ['*'];
  const steps = Array.isArray(params.steps) ? params.steps : [];
  return steps
    .filter((s): s is Record<string, unknown> => !!s && typeof s === 'object' && s.action === 'goto')
    .map((s) => hostOf(s.target))
    .filter((h): h is string => !!h);
}

function inputsOf(node: DocumentNode, spec: NodeSpec): ListingManifest['inputs'] {
  const fields = spec.category === 'trigger' ? node.params?.fields : undefined;
  if (!Array.isArray(fields)) return [];
  return fields
    .filter((f): f is Record<string, unknown> => !!f && typeof f === 'object' && typeof f.key === 'string')
    .map((f) => ({
      key: String(f.key),
      label: typeof f.label === 'string' ? f.label : String(f.key),
      type: typeof f.type === 'string' ? f.type : 'text',
      required: f.required === true,
    }));
}

/** What the listed workflow needs and may do. `batonVersion` is this Baton's (package.json). */
export function manifestOf(
  document: WorkflowDocument,
  batonVersion: string,
  specs: SpecLookup = registry,
): ListingManifest {
  const types = new Map<string, { type: string; version: number }>();
  const credentials: ListingManifest['credentials'] = [];
  const inputs: ListingManifest['inputs'] = [];
  const domains = new Set<string>();
  const permissions = { browser: false, gpu: false, email: false };
  for (const node of document.nodes) {
    const spec = specOf(node, specs);
    types.set(`${node.type}@${node.version}`, { type: node.type, version: node.version });
    for (const [param, def] of Object.entries(spec.params)) {
      if (def.ui.widget !== 'credential') continue;
      credentials.push({ nodeId: node.id, nodeName: node.name, param, types: [...(def.ui.credentialTypes ?? [])] });
    }
    inputs.push(...inputsOf(node, spec));
    for (const host of domainsOf(node)) domains.add(host);
    if (node.type === 'browser') permissions.browser = true;
    if (spec.runtime.kind === 'activity' && spec.runtime.taskQueue === 'gpu') permissions.gpu = true;
    if (EMAIL_NODES.has(node.type)) permissions.email = true;
  }
  return {
    nodes: [...types.values()].sort((a, b) => a.type.localeCompare(b.type) || a.version - b.version),
    credentials,
    inputs,
    minBatonVersion: batonVersion,
    permissions: { domains: [...domains].sort(), ...permissions },
  };
}

/**
 * The data table ids the graph's table params hold, each with the params that name it, in graph order. A param
 * holding an expression or nothing names no table of the publisher's: it is left out.
 */
export function tableTargetsOf(
  document: WorkflowDocument,
  specs: SpecLookup = registry,
): Map<string, Array<{ nodeId: string; param: string }>> {
  const found = new Map<string, Array<{ nodeId: string; param: string }>>();
  for (const node of document.nodes) {
    for (const [param, def] of Object.entries(specOf(node, specs).params)) {
      const value = node.params?.[param];
      if (def.ui.widget !== 'dataTable' || typeof value !== 'string' || !value.trim() || isTemplated(value)) continue;
      found.set(value, [...(found.get(value) ?? []), { nodeId: node.id, param }]);
    }
  }
  return found;
}

/** A key for a table need: its name as a slug, made unique among `taken` with `-2`, `-3`… */
function tableKey(name: string, taken: Set<string>): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'table';
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
  taken.add(key);
  return key;
}

/** The manifest's `tables`: one entry per table the graph names that `described` (the publisher's store) knows. */
export function listingTablesOf(
  targets: Map<string, Array<{ nodeId: string; param: string }>>,
  described: Map<string, Pick<ListingTable, 'name' | 'columns'>>,
): ListingTable[] {
  const taken = new Set<string>();
  return [...targets].flatMap(([tableId, where]) => {
    const table = described.get(tableId);
    return table
      ? [{ key: tableKey(table.name, taken), name: table.name, columns: table.columns, targets: where }]
      : [];
  });
}
