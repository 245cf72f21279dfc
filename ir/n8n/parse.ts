// Checks an n8n workflow export before anything maps it: size, JSON syntax, shape, and hostile strings. Every
// problem names the node (by its n8n name, else its place) and the field.
import { FORBIDDEN_KEYS, inspectJson } from '../../nodes/json-value';
import { DOCUMENT_LIMITS } from '../schema';
import type { N8nNode } from './types';

export const N8N_IMPORT_LIMITS = {
  /** The file as text; n8n exports of big workflows are a few hundred KB. */
  chars: 5 * 1024 * 1024,
  nodes: 500,
  nameChars: 128,
} as const;

// Baton's documents allow ±1e7; the import spreads n8n's layout by up to 1.5 (ir/n8n/import.ts).
const MAX_COORDINATE = 6e6;

export interface ImportProblem {
  path: string;
  message: string;
}

export class N8nImportError extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(
      `The n8n file cannot be imported: ${problems
        .slice(0, 5)
        .map((p) => `${p.path}: ${p.message}`)
        .join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`,
    );
    this.name = 'N8nImportError';
  }
}

export interface N8nConnection {
  node: string;
  index: number;
}

export interface ParsedN8n {
  name?: string;
  nodes: N8nNode[];
  /** source name → n8n output index → targets. Only `main` connections; others are counted in `skipped`. */
  connections: Map<string, N8nConnection[][]>;
  skippedConnectionTypes: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
// Control characters, or markup that has no business in a node name: refused rather than carried into the UI.
// eslint-disable-next-line no-control-regex
const HOSTILE_NAME = /[\u0000-\u001f\u007f]|<\s*\/?\s*[a-z!?]/i;

function label(raw: unknown, index: number): string {
  return isRecord(raw) && typeof raw.name === 'string' && !HOSTILE_NAME.test(raw.name) && raw.name.length <= 128
    ? `node "${raw.name}"`
    : `nodes[${index}]`;
}

function checkName(v: unknown, at: string, problems: ImportProblem[]): v is string {
  if (typeof v !== 'string' || v.trim() === '')
    problems.push({ path: `${at}.name`, message: 'must be a non-empty string' });
  else if (v.length > N8N_IMPORT_LIMITS.nameChars)
    problems.push({
      path: `${at}.name`,
      message: `is ${v.length} characters; the limit is ${N8N_IMPORT_LIMITS.nameChars}`,
    });
  else if (HOSTILE_NAME.test(v))
    problems.push({ path: `${at}.name`, message: 'holds control characters or HTML markup; rename the node in n8n' });
  else return true;
  return false;
}

function parseNode(raw: unknown, index: number, problems: ImportProblem[]): N8nNode | undefined {
  const at = label(raw, index);
  if (!isRecord(raw)) return void problems.push({ path: `nodes[${index}]`, message: 'must be an object' });
  const before = problems.length;
  checkName(raw.name, at, problems);
  if (typeof raw.type !== 'string' || !/^[@A-Za-z0-9_./-]{1,200}$/.test(raw.type))
    problems.push({ path: `${at}.type`, message: 'must be an n8n node type such as "n8n-nodes-base.httpRequest"' });
  const version = raw.typeVersion ?? 1;
  if (typeof version !== 'number' || !Number.isFinite(version) || version < 0 || version > 1000)
    problems.push({ path: `${at}.typeVersion`, message: 'must be a number such as 1 or 4.2' });
  const pos = raw.position ?? [0, 0];
  const validPos =
    Array.isArray(pos) && pos.length === 2 && pos.every((c) => typeof c === 'number' && Math.abs(c) <= MAX_COORDINATE);
  if (!validPos)
    problems.push({
      path: `${at}.position`,
      message: `must be [x, y] with numbers between -${MAX_COORDINATE} and ${MAX_COORDINATE}`,
    });
  const parameters = raw.parameters ?? {};
  if (!isRecord(parameters)) problems.push({ path: `${at}.parameters`, message: 'must be an object' });
  else {
    const seen = inspectJson(parameters, {
      maxChars: DOCUMENT_LIMITS.paramChars,
      maxDepth: DOCUMENT_LIMITS.paramDepth - 2,
      forbidPrototypeKeys: true,
    });
    if (!seen.ok) problems.push({ path: [`${at}.parameters`, ...seen.path].join('.'), message: seen.message });
  }
  const credentials = raw.credentials ?? {};
  if (!isRecord(credentials) || Object.keys(credentials).some((k) => FORBIDDEN_KEYS.has(k)))
    problems.push({ path: `${at}.credentials`, message: 'must be an object of credential type → { id, name }' });
  if (raw.disabled !== undefined && typeof raw.disabled !== 'boolean')
    problems.push({ path: `${at}.disabled`, message: 'must be true or false' });
  if (problems.length > before) return undefined;
  const creds = credentials as Record<string, unknown>;
  return {
    index,
    id: typeof raw.id === 'string' ? raw.id : undefined,
    name: raw.name as string,
    type: raw.type as string,
    typeVersion: version as number,
    position: { x: (pos as number[])[0], y: (pos as number[])[1] },
    parameters: parameters as Record<string, unknown>,
    credentials: Object.fromEntries(
      Object.entries(creds).map(([type, c]) => [
        type,
        { name: isRecord(c) && typeof c.name === 'string' ? c.name.slice(0, 200) : undefined },
      ]),
    ),
    disabled: raw.disabled === true,
    notes: typeof raw.notes === 'string' ? raw.notes.slice(0, 10_000) : undefined,
  };
}

function parseConnections(raw: unknown, names: Set<string>, problems: ImportProblem[], skipped: Set<string>) {
  const out = new Map<string, N8nConnection[][]>();
  if (raw === undefined) return out;
  if (!isRecord(raw)) return (void problems.push({ path: 'connections', message: 'must be an object' }), out);
  for (const [source, byType] of Object.entries(raw)) {
    const at = `connections["${source.slice(0, 80)}"]`;
    if (!names.has(source)) {
      problems.push({ path: at, message: `comes from "${source.slice(0, 80)}", which is not a node in the file` });
      continue;
    }
    if (!isRecord(byType)) {
      problems.push({ path: at, message: 'must be an object such as { "main": [[…]] }' });
      continue;
    }
    for (const type of Object.keys(byType)) if (type !== 'main') skipped.add(type);
    const main = byType.main ?? [];
    if (!Array.isArray(main)) {
      problems.push({ path: `${at}.main`, message: 'must be a list of outputs' });
      continue;
    }
    const outputs = main.map((targets, output) => {
      if (targets === null) return [];
      if (!Array.isArray(targets)) {
        problems.push({ path: `${at}.main[${output}]`, message: 'must be a list of connections' });
        return [];
      }
      return targets.flatMap((t, k): N8nConnection[] => {
        const where = `${at}.main[${output}][${k}]`;
        if (!isRecord(t) || typeof t.node !== 'string')
          return (problems.push({ path: where, message: 'must be { node, type, index }' }), []);
        if (!names.has(t.node))
          return (
            problems.push({ path: `${where}.node`, message: `"${t.node.slice(0, 80)}" is not a node in the file` }),
            []
          );
        const index = t.index ?? 0;
        if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > 100)
          return (problems.push({ path: `${where}.index`, message: 'must be an input number such as 0 or 1' }), []);
        return [{ node: t.node, index }];
      });
    });
    out.set(source, outputs);
  }
  return out;
}

/** Parses and checks an n8n export (text or already-parsed JSON); throws N8nImportError naming each problem. */
export function parseN8nWorkflow(input: string | unknown): ParsedN8n {
  let json: unknown = input;
  if (typeof input === 'string') {
    if (input.length > N8N_IMPORT_LIMITS.chars)
      throw new N8nImportError([
        { path: 'file', message: `is ${(input.length / 1024 / 1024).toFixed(1)} MB; the limit is 5 MB` },
      ]);
    try {
      json = JSON.parse(input);
    } catch (err) {
      throw new N8nImportError([{ path: 'file', message: `is not JSON (${(err as Error).message.slice(0, 200)})` }]);
    }
  }
  if (!isRecord(json))
    throw new N8nImportError([{ path: 'file', message: 'must be a JSON object with "nodes" and "connections"' }]);
  if (!Array.isArray(json.nodes)) throw new N8nImportError([{ path: 'nodes', message: 'must be an array of nodes' }]);
  if (json.nodes.length > N8N_IMPORT_LIMITS.nodes)
    throw new N8nImportError([
      { path: 'nodes', message: `has ${json.nodes.length} nodes; the limit is ${N8N_IMPORT_LIMITS.nodes}` },
    ]);
  const problems: ImportProblem[] = [];
  const nodes = json.nodes.flatMap((raw, i) => parseNode(raw, i, problems) ?? []);
  const names = new Set<string>();
  for (const n of nodes) {
    if (names.has(n.name))
      problems.push({ path: `node "${n.name}".name`, message: 'is used by two nodes; names must be unique' });
    names.add(n.name);
  }
  const skipped = new Set<string>();
  const connections = parseConnections(json.connections, names, problems, skipped);
  if (problems.length) throw new N8nImportError(problems);
  const name =
    typeof json.name === 'string' && !HOSTILE_NAME.test(json.name) ? json.name.trim().slice(0, 120) : undefined;
  return { name: name || undefined, nodes, connections, skippedConnectionTypes: [...skipped] };
}
