// What the update review (ThreeWayDiff.tsx) shows and lets the user choose, derived from a merge result
// (ir/merge/three-way.ts): rows grouped by node with their badges, the summary line, the conflict choices and
// whether they are complete, and n / p navigation between conflicts. Pure, so it is tested without a browser.
import type { ConflictChoice, MergeChange, MergeConflict, MergeResult } from '../../../ir/merge/three-way';
import type { DocumentEdge, WorkflowDocument } from '../../../ir/types';

export type DiffBadge = 'ours' | 'theirs' | 'both' | 'conflict';

export type DiffRow =
  | { kind: 'change'; key: string; label: string; change: MergeChange }
  | { kind: 'conflict'; key: string; label: string; conflict: MergeConflict };

export interface DiffGroup {
  key: string;
  title: string;
  badges: DiffBadge[];
  rows: DiffRow[];
}

/** A conflict's choice as the form holds it: an edited value is its text until applied. */
export type ChoiceDraft = 'ours' | 'theirs' | { edit: string };

const CONNECTIONS = '$connections';
const SETTINGS = '$settings';
const BADGE_ORDER: DiffBadge[] = ['conflict', 'theirs', 'ours', 'both'];
/** Values longer than this (characters or lines of pretty JSON) start collapsed. */
const LONG_CHARS = 160;
const LONG_LINES = 4;
const PREVIEW_CHARS = 90;

const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  type: 'Node type',
  version: 'Node version',
  disabled: 'Disabled',
  notes: 'Notes',
  policy: 'Settings',
  position: 'Position',
};

/** The name of every node the three documents and the result know, newest first. */
function nodeNames(result: MergeResult): Map<string, string> {
  const names = new Map<string, string>();
  const { base, ours, theirs } = result.sources;
  for (const doc of [base, theirs, ours, result.merged] as WorkflowDocument[]) {
    for (const node of doc.nodes) names.set(node.id, node.name);
  }
  return names;
}

/** `params › fields › companyName` → `fields › companyName`: params are what a node is made of. */
export function pathLabel(kind: MergeChange['kind'], path: Array<string | number>): string {
  if (kind === 'node-added') return 'Node added';
  if (kind === 'node-removed') return 'Node removed';
  if (!path.length) return 'Whole node';
  const [head, ...rest] = path;
  if (head === 'params' && rest.length) return rest.join(' › ');
  const field = FIELD_LABELS[String(head)] ?? String(head);
  return [field, ...rest].join(' › ');
}

function edgeLabel(edge: DocumentEdge | undefined, names: Map<string, string>): string {
  if (!edge) return 'Connection';
  const name = (id: string) => names.get(id) ?? id;
  const port = (p: string) => (p === 'out' || p === 'in' ? '' : ` (${p})`);
  return `${name(edge.source)}${port(edge.sourcePort)} → ${name(edge.target)}${port(edge.targetPort)}`;
}

/** Rows grouped by node (then connections, then workflow settings), each group badged by who changed it. */
export function groupDiff(result: MergeResult, nodeTitles: Record<string, string> = {}): DiffGroup[] {
  const names = nodeNames(result);
  const groups = new Map<string, DiffGroup>();
  const groupOf = (key: string, title: string) => {
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, title, badges: [], rows: [] }));
    return group;
  };
  const titleOf = (nodeId: string) => nodeTitles[nodeId] ?? names.get(nodeId) ?? nodeId;
  result.conflicts.forEach((conflict) => {
    const group = conflict.nodeId
      ? groupOf(conflict.nodeId, titleOf(conflict.nodeId))
      : groupOf(SETTINGS, 'Workflow settings');
    const label = conflict.path.length
      ? pathLabel('param', conflict.path)
      : 'Deleted on one side, changed on the other';
    group.rows.push({ kind: 'conflict', key: conflict.id, label, conflict });
  });
  result.changes.forEach((change, i) => {
    const isEdge = change.kind === 'edge-added' || change.kind === 'edge-removed';
    const group = isEdge
      ? groupOf(CONNECTIONS, 'Connections')
      : change.nodeId
        ? groupOf(change.nodeId, titleOf(change.nodeId))
        : groupOf(SETTINGS, 'Workflow settings');
    const label = isEdge
      ? `${change.kind === 'edge-added' ? 'Added' : 'Removed'}: ${edgeLabel((change.after ?? change.before) as DocumentEdge, names)}`
      : pathLabel(change.kind, change.path);
    group.rows.push({ kind: 'change', key: `change-${i}`, label, change });
  });
  for (const group of groups.values()) {
    const present = new Set<DiffBadge>(group.rows.map((r) => (r.kind === 'conflict' ? 'conflict' : r.change.side)));
    group.badges = BADGE_ORDER.filter((b) => present.has(b));
  }
  // Groups with conflicts first, then in the order the merge met them (document order).
  return [...groups.values()].sort((a, b) => Number(b.badges[0] === 'conflict') - Number(a.badges[0] === 'conflict'));
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "3 changes from the update, 1 of yours kept, 1 conflict to resolve". */
export function summaryText(result: MergeResult): string {
  const count = (side: MergeChange['side']) => result.changes.filter((c) => c.side === side).length;
  const parts = [
    count('theirs') && plural(count('theirs'), 'change from the update', 'changes from the update'),
    count('ours') && `${count('ours')} of yours kept`,
    count('both') && plural(count('both'), 'change made on both sides', 'changes made on both sides'),
    result.conflicts.length && plural(result.conflicts.length, 'conflict to resolve', 'conflicts to resolve'),
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'No differences: your copy already matches the update';
}

/** How an edited value is typed: plain text where both sides hold text, JSON otherwise; whole nodes are not edited. */
export function editMode(conflict: MergeConflict): 'text' | 'json' | 'none' {
  if (!conflict.path.length) return 'none';
  return [conflict.ours, conflict.theirs].every((v) => v === undefined || typeof v === 'string') ? 'text' : 'json';
}

/** The starting text of an edit: the user's value, in the conflict's edit mode. */
export function editSeed(conflict: MergeConflict): string {
  const start = conflict.ours ?? conflict.theirs;
  if (editMode(conflict) === 'text') return typeof start === 'string' ? start : '';
  return start === undefined ? '' : JSON.stringify(start, null, 2);
}

export function parseEdit(
  conflict: MergeConflict,
  text: string,
): { ok: true; value: unknown } | { ok: false; message: string } {
  if (editMode(conflict) === 'text') return { ok: true, value: text };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `Not valid JSON: ${(error as Error).message}` };
  }
}

/** The choices to resolve with, or why not yet: a conflict left open, or an edited value that does not parse. */
export function collectChoices(
  result: MergeResult,
  drafts: Record<string, ChoiceDraft>,
): { ok: true; choices: Record<string, ConflictChoice> } | { ok: false; open: number; invalid: string[] } {
  const choices: Record<string, ConflictChoice> = {};
  let open = 0;
  const invalid: string[] = [];
  for (const conflict of result.conflicts) {
    const draft = drafts[conflict.id];
    if (draft === undefined) open++;
    else if (typeof draft === 'string') choices[conflict.id] = draft;
    else {
      const parsed = parseEdit(conflict, draft.edit);
      if (parsed.ok) choices[conflict.id] = { value: parsed.value };
      else invalid.push(conflict.id);
    }
  }
  return open || invalid.length ? { ok: false, open, invalid } : { ok: true, choices };
}

/** The conflict n (dir 1) or p (dir -1) moves to from `current`, wrapping around; the first one when none is current. */
export function stepConflict(ids: string[], current: string | undefined, dir: 1 | -1): string | undefined {
  if (!ids.length) return undefined;
  const at = current === undefined ? -1 : ids.indexOf(current);
  if (at < 0) return dir === 1 ? ids[0] : ids[ids.length - 1];
  return ids[(at + dir + ids.length) % ids.length];
}

/** A value as the review shows it: pretty JSON (text as is), and whether it starts collapsed. */
export function formatValue(
  value: unknown,
  absent = 'Not set',
): { text: string; long: boolean; absent: boolean; preview: string } {
  if (value === undefined) return { text: absent, long: false, absent: true, preview: absent };
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  const long = text.length > LONG_CHARS || text.split('\n').length > LONG_LINES;
  // One line of a collapsed value: its start with the pretty-printing folded away.
  const preview = long ? `${text.replace(/\s+/g, ' ').slice(0, PREVIEW_CHARS)}…` : text;
  return { text, long, absent: false, preview };
}
