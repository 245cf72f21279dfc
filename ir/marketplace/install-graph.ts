// A listing graph → a workflow document of the installing workspace, and a new version's graph → the "theirs" side
// of an update's three-way merge (docs/decisions/069). Pure: the install and update server functions and their
// tests share it. What is checked against the store (credentials of the workspace) stays on the server.
import type { ListingGraph, ListingTable, ListingVersionView } from '../../contracts/marketplace';
import { registry } from '../../nodes/index';
import { compareSemver } from './semver';
import type { SpecLookup } from './manifest';

/** Why a version cannot be installed or updated to here; empty when it can. */
export function versionProblems(
  version: ListingVersionView,
  batonVersion: string,
  specs: SpecLookup = registry,
): string[] {
  const problems: string[] = [];
  if (!version.verified) {
    if (version.keyStatus === 'revoked')
      problems.push(
        `Version ${version.version} is signed with key ${version.keyId}, which its publisher revoked: ` +
          'nothing that key signed is trusted any more.',
      );
    else if (version.keyStatus === 'missing')
      problems.push(`Version ${version.version} is signed with key ${version.keyId}, which no longer exists.`);
    else
      problems.push(
        `Version ${version.version} does not match its signature: it was changed after its publisher signed it.`,
      );
  }
  if (compareSemver(version.manifest.minBatonVersion, batonVersion) > 0)
    problems.push(
      `Version ${version.version} needs Baton ${version.manifest.minBatonVersion} or later; this Baton is ` +
        `${batonVersion}. Upgrade Baton first.`,
    );
  for (const node of version.graph.nodes) {
    if (!specs.get(node.type, node.version))
      problems.push(
        `Node "${node.name}" (${node.id}) is ${node.type}@${node.version}, which this Baton does not know.`,
      );
  }
  return problems;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * The graph as this workspace can use it: params naming another workflow are emptied (a workflow id of the
 * publisher's workspace means nothing here, and saving it would be refused), and the credential params the listing
 * emptied are left out (unset, as a draft holds a credential not picked yet). The installer picks its own.
 */
export function localGraph(graph: ListingGraph, specs: SpecLookup = registry): ListingGraph {
  const copy = clone(graph);
  for (const node of copy.nodes) {
    const spec = specs.get(node.type, node.version);
    for (const [key, def] of Object.entries(spec?.params ?? {})) {
      if (def.ui.widget === 'workflow' && typeof node.params[key] === 'string') node.params[key] = '';
      if (def.ui.widget === 'credential' && node.params[key] === '') delete node.params[key];
    }
  }
  return copy;
}

export interface CredentialSlot {
  nodeId: string;
  nodeName: string;
  param: string;
  types: string[];
}

/** `<nodeId>.<param>` → the manifest entry it names, or a message listing what may be mapped. */
export function credentialSlot(
  slots: CredentialSlot[],
  key: string,
): { ok: true; slot: CredentialSlot } | { ok: false; message: string } {
  const slot = slots.find((s) => `${s.nodeId}.${s.param}` === key);
  if (slot) return { ok: true, slot };
  const known = slots.map((s) => `${s.nodeId}.${s.param}`).join(', ') || 'none';
  return {
    ok: false,
    message: `Credential mapping "${key.slice(0, 100)}" names no credential param of this listing (it has: ${known}).`,
  };
}

/** The graph with `credentials` (already checked: `<nodeId>.<param>` → credential id) written into its params. */
export function withCredentials(graph: ListingGraph, credentials: Record<string, string>): ListingGraph {
  const copy = clone(graph);
  for (const node of copy.nodes) {
    for (const [key, id] of Object.entries(credentials)) {
      if (key.startsWith(`${node.id}.`)) node.params[key.slice(node.id.length + 1)] = id;
    }
  }
  return copy;
}

/** The graph with each table need's params set to the id chosen for its key (`tableIds`: key → data table id). */
export function withTables(
  graph: ListingGraph,
  tables: ListingTable[],
  tableIds: Record<string, string>,
): ListingGraph {
  const copy = clone(graph);
  const nodes = new Map(copy.nodes.map((n) => [n.id, n]));
  for (const table of tables) {
    const id = tableIds[table.key];
    if (!id) continue;
    for (const target of table.targets) {
      const node = nodes.get(target.nodeId);
      if (node) node.params[target.param] = id;
    }
  }
  return copy;
}

interface NodeLike {
  id: string;
  type: string;
  params?: Record<string, unknown>;
}

/**
 * Whether a listing graph's param holds no choice of the publisher's that applies here: an emptied credential or
 * table, or a literal table id (a version listed before table params were emptied names a table of the publisher's
 * workspace). An expression deciding the table is the publisher's real choice and is merged like any param.
 */
function holdsNoLocalChoice(widget: string, value: unknown): boolean {
  if (value === undefined || value === '') return widget === 'credential' || widget === 'dataTable';
  return widget === 'dataTable' && typeof value === 'string' && !value.includes('{{');
}

/**
 * The update's graph (or its base) with each credential or data table param that holds no choice valid here set to
 * what the user's workflow holds for the same node and type, so the merge never reads "emptied" (or "the
 * publisher's table") as a change. `kept` names the credential params kept (what the update notice tells the user).
 */
export function keepUserMappings(
  theirs: ListingGraph,
  ours: { nodes: NodeLike[] },
  specs: SpecLookup = registry,
): { graph: ListingGraph; kept: Array<{ nodeId: string; param: string }> } {
  const copy = clone(theirs);
  const mine = new Map(ours.nodes.map((n) => [n.id, n]));
  const kept: Array<{ nodeId: string; param: string }> = [];
  for (const node of copy.nodes) {
    const own = mine.get(node.id);
    if (!own || own.type !== node.type) continue;
    const spec = specs.get(node.type, node.version);
    for (const [key, def] of Object.entries(spec?.params ?? {})) {
      const value = own.params?.[key];
      if (!holdsNoLocalChoice(def.ui.widget, node.params[key]) || typeof value !== 'string' || value === '') continue;
      node.params[key] = value;
      if (def.ui.widget === 'credential') kept.push({ nodeId: node.id, param: key });
    }
  }
  return { graph: copy, kept };
}
