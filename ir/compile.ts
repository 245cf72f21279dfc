// Document → execution plan, or diagnostics saying what cannot run and where. Pure, deterministic and
// isomorphic: the editor runs it on every change, the server before saving, publishing and running.
//
// Disabled nodes are compiled out: every edge into a disabled node is reconnected to everything the node
// feeds, so its input passes straight through to all of its outputs (a disabled If feeds both branches).
// Their params are not checked, and they do not appear in the plan or in run history.
import { registry } from '../nodes/index';
import { SECRET_IN_PLAN, type NodeSpec } from '../nodes/define';
import { ERROR_PORT, nodeOutputPorts } from '../nodes/ports';
import { canonicalJson } from './canonical-json';
import { checkTemplates } from './expression';
import { bypassDisabled, findCycles, reachableFrom, topologicalOrder, type GraphEdge } from './graph';
import { applyDefaults, checkParams } from './params';
import { resolvePolicy, withPeopleTime } from './policy';
import { LOOP_END_PORT, isBackEdge, loopBodies, loopDiagnostics } from './loops';
import { parseDocument } from './schema';
import { sha256Hex } from './sha256';
import type { CompileResult, Diagnostic, DocumentNode, Plan, PlanEdge, PlanNode, WorkflowDocument } from './types';

type Located = { node: DocumentNode; index: number; spec: NodeSpec };

function nodeDiagnostics({ node, index, spec }: Located): Diagnostic[] {
  const at = (path: Array<string | number>) => ['nodes', index, ...path];
  const out: Diagnostic[] = checkParams(spec, node.params).map((issue) => ({
    severity: issue.code === 'param-unknown' ? 'warning' : 'error',
    code: issue.code,
    message: `${node.name}: ${issue.message}`,
    nodeId: node.id,
    path: at(['params', ...issue.path]),
    ...(issue.code === 'param-required' ? { incomplete: true } : {}),
  }));
  for (const [key, def] of Object.entries(spec.params)) {
    if (!def.ui.expression || node.params[key] === undefined) continue;
    for (const problem of checkTemplates(node.params[key], [key])) {
      out.push({
        severity: 'error',
        code: 'expression-invalid',
        message: `${node.name}: ${problem.message}`,
        nodeId: node.id,
        path: at(['params', ...problem.path]),
      });
    }
  }
  for (const problem of spec.check?.(applyDefaults(spec, node.params)) ?? []) {
    out.push({
      severity: 'error',
      code: 'param-invalid',
      message: `${node.name}: ${problem.message}`,
      nodeId: node.id,
      path: at(['params', ...problem.path]),
      ...(problem.incomplete ? { incomplete: true } : {}),
    });
  }
  (node.policy?.tags ?? []).forEach((tag, i) => {
    for (const problem of checkTemplates(tag.value, ['tags', i, 'value'])) {
      out.push({
        severity: 'error',
        code: 'expression-invalid',
        message: `${node.name}: tag "${String(tag.key).slice(0, 60)}": ${problem.message}`,
        nodeId: node.id,
        path: at(['policy', 'tags', i, 'value']),
      });
    }
  });
  for (const problem of resolvePolicy(spec, node.policy).problems) {
    out.push({
      severity: 'error',
      code: 'policy-invalid',
      message: `${node.name}: ${problem.message}`,
      nodeId: node.id,
      path: at(['policy', ...problem.path]),
    });
  }
  return out;
}

const EXPRESS_REFUSED: Record<string, string> = {
  loop: 'loop',
  subworkflow: 'start other workflows',
  approval: 'wait for people to approve',
  agent: 'call models in a durable loop',
};

/**
 * Express runs live in the memory of one web process and must be short (docs/decisions/030-express-mode.md):
 * nodes that wait are refused, and so are schedule triggers, whose Temporal Schedule starts runs on Temporal.
 * Incomplete, so the draft still saves while its author picks a mode or a node.
 */
function expressDiagnostics(included: Located[]): Diagnostic[] {
  const scheduled = included
    .filter(({ spec }) => spec.runtime.kind === 'trigger' && spec.runtime.binding === 'schedule')
    .map(({ node, index }) => ({
      severity: 'error' as const,
      code: 'express-schedule',
      message: `${node.name}: a schedule starts its runs on Temporal, not in the web process, so express workflows cannot have one; switch the workflow to standard mode or use a Webhook trigger`,
      nodeId: node.id,
      path: ['nodes', index],
      incomplete: true,
    }));
  return included
    .filter((l) => ['delay', 'wait', 'loop', 'subworkflow', 'approval', 'agent'].includes(l.spec.runtime.kind))
    .map(({ node, index, spec }) => ({
      severity: 'error' as const,
      code: 'express-waits',
      message: `${node.name}: express workflows run in memory and must finish quickly, so they cannot ${EXPRESS_REFUSED[spec.runtime.kind] ?? 'wait'}; remove this node or switch the workflow to standard mode`,
      nodeId: node.id,
      path: ['nodes', index],
      incomplete: true,
    }))
    .concat(scheduled);
}

/**
 * A Form node's page is reached only through the link its Form trigger's submitter is sent to (decision 049): under
 * any other trigger nobody can fill it in, and the run would wait there for good (or until the page expires).
 */
function formPageDiagnostics(trigger: Located, included: Located[]): Diagnostic[] {
  if (trigger.spec.runtime.kind === 'trigger' && trigger.spec.runtime.binding === 'form') return [];
  return included
    .filter((l) => l.spec.runtime.kind === 'wait' && l.spec.runtime.awaits(l.node.params) === 'form')
    .map((l) => ({
      severity: 'warning' as const,
      code: 'form-without-form-trigger',
      message:
        `${l.node.name}: a Form page is shown to whoever submitted the workflow's Form trigger, and ` +
        `"${trigger.node.name}" is not a Form trigger, so nobody can fill it in; start with a Form trigger, or use ` +
        'an Approval or a Wait instead',
      nodeId: l.node.id,
      path: ['nodes', l.index],
    }));
}

/** An Agent set to Conversation "Chat" (nodes/agent): after each answer it waits for the next chat message. */
const isChattingAgent = (l: Located) => l.spec.runtime.kind === 'agent' && l.node.params.conversation === 'chat';

/**
 * Chat messages reach a run only through its Chat trigger's page, and only a chatting Agent reads them: each without
 * the other is a chat nobody answers, or an Agent that waits up to its idle limit for messages that never come.
 */
function chatDiagnostics(trigger: Located, included: Located[]): Diagnostic[] {
  const chatTrigger = trigger.spec.runtime.kind === 'trigger' && trigger.spec.runtime.binding === 'chat';
  const agents = included.filter(isChattingAgent);
  if (chatTrigger && agents.length === 0)
    return [
      {
        severity: 'warning',
        code: 'chat-without-chat-agent',
        message:
          `${trigger.node.name}: a Chat trigger starts a conversation, but no Agent after it is set to Conversation ` +
          '"Chat", so the first message gets one answer at most and later messages are never read; set an Agent\'s ' +
          'Conversation to Chat',
        nodeId: trigger.node.id,
        path: ['nodes', trigger.index],
      },
    ];
  if (chatTrigger) return [];
  return agents.map((l) => ({
    severity: 'warning' as const,
    code: 'chat-agent-without-chat-trigger',
    message:
      `${l.node.name}: set to Conversation "Chat", but "${trigger.node.name}" is not a Chat trigger, so no chat ` +
      'message reaches it and it waits up to its idle limit after answering; start with a Chat trigger, or set ' +
      'Conversation to One answer',
    nodeId: l.node.id,
    path: ['nodes', l.index],
  }));
}

function unknownType(node: DocumentNode, index: number): Diagnostic {
  const latest = registry.latest(node.type);
  const message = latest
    ? `${node.name}: version ${node.version} of node type "${node.type}" does not exist (latest is ${latest.version})`
    : `${node.name}: unknown node type "${node.type}"; it may come from a newer Baton or a removed integration`;
  return { severity: 'error', code: 'unknown-type', message, nodeId: node.id, path: ['nodes', index, 'type'] };
}

/** Why a port may be missing: its rule was removed, or the error output was turned off. */
function portHint({ spec, node }: Located, port: string): string {
  if (port === ERROR_PORT.id && !node.policy?.errorOutput)
    return ' (the error output exists only while "On error" sends failures there)';
  return spec.listOutputs ? ` (its outputs follow its ${spec.listOutputs.param})` : '';
}

/** Edges whose ends and ports exist; a diagnostic for each one that dangles. */
function connectedEdges(
  doc: WorkflowDocument,
  known: Map<string, Located>,
  ids: Set<string>,
  diagnostics: Diagnostic[],
): PlanEdge[] {
  const out: PlanEdge[] = [];
  doc.edges.forEach((edge, i) => {
    const dangling = (message: string, field: string) =>
      diagnostics.push({
        severity: 'error',
        code: 'edge-dangling',
        message,
        edgeId: edge.id,
        path: ['edges', i, field],
      });
    for (const [end, field] of [
      [edge.source, 'source'],
      [edge.target, 'target'],
    ] as const) {
      if (!ids.has(end)) return dangling(`Edge "${edge.id}" connects to node "${end}", which does not exist`, field);
    }
    const source = known.get(edge.source);
    const target = known.get(edge.target);
    if (!source || !target) return; // unknown type: already reported, ports unknowable
    if (!nodeOutputPorts(source.spec, source.node.params, source.node.policy).some((p) => p.id === edge.sourcePort)) {
      return dangling(
        `Edge "${edge.id}" leaves "${source.node.name}" from port "${edge.sourcePort}", which this ${source.spec.title} does not have${portHint(source, edge.sourcePort)}`,
        'sourcePort',
      );
    }
    if (!target.spec.inputs.some((p) => p.id === edge.targetPort)) {
      return dangling(
        `Edge "${edge.id}" enters "${target.node.name}" at port "${edge.targetPort}", which ${target.spec.title} does not have`,
        'targetPort',
      );
    }
    out.push({ from: { node: edge.source, port: edge.sourcePort }, to: { node: edge.target, port: edge.targetPort } });
  });
  return out;
}

function fanInDiagnostics(edges: GraphEdge[], known: Map<string, Located>): Diagnostic[] {
  const counts = new Map<string, GraphEdge[]>();
  for (const e of edges) {
    const key = `${e.to.node}\u0000${e.to.port}`;
    counts.set(key, [...(counts.get(key) ?? []), e]);
  }
  const out: Diagnostic[] = [];
  for (const group of counts.values()) {
    const target = known.get(group[0].to.node)!;
    if (group.length < 2 || target.spec.runtime.kind === 'merge') continue;
    if (target.spec.runtime.kind === 'loop' && group[0].to.port === LOOP_END_PORT) continue; // any branch may end there
    const via = group.find((e) => e.viaDisabled)?.viaDisabled;
    out.push({
      severity: 'error',
      code: 'fan-in',
      message:
        `${target.node.name}: ${group.length} connections enter its input "${group[0].to.port}", which takes one; ` +
        `join them with a Merge node first${via ? ` (some pass through the disabled node "${known.get(via)?.node.name ?? via}")` : ''}`,
      nodeId: target.node.id,
      path: ['nodes', target.index],
    });
  }
  return out;
}

/** Secret params keep their place (a set secret reads `[secret]`) but never their value. */
function withoutSecrets(spec: NodeSpec, params: Record<string, unknown>): Record<string, unknown> {
  for (const [key, def] of Object.entries(spec.params)) {
    if (def.ui.widget === 'secret' && params[key] !== undefined && params[key] !== '') params[key] = SECRET_IN_PLAN;
  }
  return params;
}

function buildPlan(
  doc: WorkflowDocument,
  meta: { workflowId: string; name: string },
  trigger: Located,
  included: Located[],
  edges: PlanEdge[],
  bodies: Map<string, string[]>,
): Plan {
  const nodes: Record<string, PlanNode> = {};
  for (const { node, spec } of included) {
    nodes[node.id] = {
      id: node.id,
      name: node.name,
      type: spec.type,
      version: spec.version,
      kind: spec.runtime.kind,
      taskQueue: spec.runtime.kind === 'activity' ? spec.runtime.taskQueue : 'default',
      // A copy: the plan must not alias the caller's document (the editor keeps mutating its own).
      params: withoutSecrets(spec, JSON.parse(JSON.stringify(applyDefaults(spec, node.params)))),
      policy: withPeopleTime(spec, node.params, resolvePolicy(spec, node.policy).policy),
      ...(bodies.has(node.id) ? { body: [...bodies.get(node.id)!] } : {}),
    };
  }
  const kindOf = (id: string) => nodes[id]?.kind;
  const body: Omit<Plan, 'hash'> = {
    workflowId: meta.workflowId,
    name: meta.name,
    triggerId: trigger.node.id,
    order: topologicalOrder(
      included.map((l) => l.node.id),
      edges.filter((e) => !isBackEdge(e, kindOf)),
    ),
    nodes,
    edges: edges.map((e) => ({ from: { ...e.from }, to: { ...e.to } })),
    ...(doc.settings.runTimeoutMs !== undefined ? { runTimeoutMs: doc.settings.runTimeoutMs } : {}),
    ...(doc.settings.mode === 'express' ? { mode: 'express' as const } : {}),
    ...(doc.settings.errorWorkflowId ? { errorWorkflowId: doc.settings.errorWorkflowId } : {}),
    ...(doc.settings.aiBudgetUsdPerMonth !== undefined
      ? { aiBudgetUsdPerMonth: doc.settings.aiBudgetUsdPerMonth }
      : {}),
  };
  return { hash: sha256Hex(canonicalJson(body)), ...body };
}

export function compilePlan(doc: WorkflowDocument, meta: { workflowId: string; name: string }): CompileResult {
  const parsed = parseDocument(doc);
  if (!parsed.ok) return { ok: false, diagnostics: parsed.diagnostics };
  const d = parsed.doc;
  const diagnostics: Diagnostic[] = [];
  const known = new Map<string, Located>();
  d.nodes.forEach((node, index) => {
    const spec = registry.get(node.type, node.version);
    if (!spec) return void diagnostics.push(unknownType(node, index));
    known.set(node.id, { node, index, spec });
    if (!node.disabled) diagnostics.push(...nodeDiagnostics({ node, index, spec }));
  });
  const edges = connectedEdges(d, known, new Set(d.nodes.map((n) => n.id)), diagnostics);

  const triggers = [...known.values()].filter((l) => l.spec.runtime.kind === 'trigger');
  const enabledTriggers = triggers.filter((l) => !l.node.disabled);
  if (enabledTriggers.length === 0) {
    diagnostics.push({
      severity: 'error',
      code: 'no-trigger',
      message: triggers.length
        ? `The trigger "${triggers[0].node.name}" is disabled; enable it so the workflow can run`
        : 'The workflow has no trigger; add a Manual or Webhook trigger',
      nodeId: triggers[0]?.node.id,
      // Located like every other diagnostic: the disabled trigger's switch, else the node list that lacks one.
      path: triggers.length ? ['nodes', triggers[0].index, 'disabled'] : ['nodes'],
      incomplete: true,
    });
  }
  for (const extra of enabledTriggers.slice(1)) {
    diagnostics.push({
      severity: 'error',
      code: 'multiple-triggers',
      message: `${extra.node.name}: a workflow has one trigger and "${enabledTriggers[0].node.name}" is already it; remove or disable this one`,
      nodeId: extra.node.id,
      path: ['nodes', extra.index],
    });
  }

  const order = d.nodes.map((n) => n.id);
  const nameOf = (id: string) => d.nodes.find((n) => n.id === id)?.name ?? id;
  // Edges back into a loop's "Loop end" close its body: the one kind of cycle allowed (ir/loops.ts).
  const kindOf = (id: string) => known.get(id)?.spec.runtime.kind;
  const forward = edges.filter((e) => !isBackEdge(e, kindOf));
  for (const cycle of findCycles(order, forward)) {
    diagnostics.push({
      severity: 'error',
      code: 'cycle',
      message:
        cycle.length === 1
          ? `Node "${cycle[0]}" (${nameOf(cycle[0])}) is connected to itself; remove that connection`
          : `Nodes ${cycle.map((id) => `"${id}" (${nameOf(id)})`).join(', ')} form a cycle; remove one of the connections between them`,
      nodeId: cycle[0],
      path: ['nodes', known.get(cycle[0])?.index ?? order.indexOf(cycle[0])],
    });
  }
  const cyclic = diagnostics.some((x) => x.code === 'cycle');
  const disabled = new Set(d.nodes.filter((n) => n.disabled).map((n) => n.id));
  // A disabled loop passes its input to its body and its outputs once, like any disabled node: its back edges go.
  const effective = cyclic
    ? []
    : bypassDisabled(
        edges.filter((e) => !(isBackEdge(e, kindOf) && disabled.has(e.to.node))),
        disabled,
      );
  diagnostics.push(...fanInDiagnostics(effective, known));

  const trigger = enabledTriggers[0];
  let included: Located[] = [];
  if (trigger && !cyclic) {
    const reached = reachableFrom(trigger.node.id, effective);
    included = [...known.values()].filter((l) => reached.has(l.node.id)).sort((a, b) => a.index - b.index);
    for (const l of known.values()) {
      if (reached.has(l.node.id) || l.node.disabled || l.spec.runtime.kind === 'trigger') continue;
      diagnostics.push({
        severity: 'warning',
        code: 'unreachable',
        message: `${l.node.name}: not connected to the trigger, so it never runs; connect it or delete it`,
        nodeId: l.node.id,
        path: ['nodes', l.index],
        incomplete: true,
      });
    }
  }

  const bodies = loopBodies(included, effective, order);
  diagnostics.push(...loopDiagnostics(included, effective, bodies));
  if (trigger) diagnostics.push(...formPageDiagnostics(trigger, included));
  if (trigger) diagnostics.push(...chatDiagnostics(trigger, included));
  if (d.settings.mode === 'express') diagnostics.push(...expressDiagnostics(included));

  const errors = diagnostics.filter((x) => x.severity === 'error');
  if (errors.length || !trigger) return { ok: false, diagnostics };
  const includedIds = new Set(included.map((l) => l.node.id));
  const planEdges = effective.filter((e) => includedIds.has(e.from.node));
  return { ok: true, plan: buildPlan(d, meta, trigger, included, planEdges, bodies), warnings: diagnostics };
}
