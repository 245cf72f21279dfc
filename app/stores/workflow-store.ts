// One zustand store per open workflow document: the graph, save state, diagnostics, the run on display and
// undo history. Components read with selectors and change things only through these actions.
import { addEdge, applyEdgeChanges, applyNodeChanges, type NodeChange } from '@xyflow/react';
import { createStore } from 'zustand/vanilla';
import { ERROR_PORT } from '../../nodes/ports';
import { applyRunEvent, isFinished, mergeRun, mergeStep, type RunState } from '../lib/run-view';
import type { EditorInit, EditorState as DocumentEditorState } from './editor-state';
import { remapListEdges } from './list-edges';
import { newId, toDocument, toFlow, uniqueName, type BatonNode, type BatonNodeData } from './flow-document';

export type { EditorInit } from './editor-state';

/** The editor state with the node policy action (its signature belongs in editor-state.ts with the others). */
export interface EditorState extends DocumentEditorState {
  /**
   * Replaces the node's policy overrides (undefined: none). Turning its error output off also removes the edges
   * leaving the `error` handle, in the same undo step: a dangling edge would keep the document from saving.
   */
  setNodePolicy(nodeId: string, policy: BatonNodeData['policy']): void;
}

const HISTORY_LIMIT = 100;
const STRUCTURAL: ReadonlyArray<NodeChange['type']> = ['add', 'remove', 'replace'];

export function createWorkflowStore(init: EditorInit) {
  const flow = toFlow(init.document);
  return createStore<EditorState>()((set, get) => {
    /** Records an undo step, then applies a change to what gets saved. */
    const commit = (change: Partial<EditorState>, editKey: string | null = null) => {
      const s = get();
      const coalesce = editKey !== null && editKey === s.lastEditKey;
      const past = coalesce ? s.past : [...s.past, { nodes: s.nodes, edges: s.edges }].slice(-HISTORY_LIMIT);
      set({
        ...change,
        past,
        future: coalesce ? s.future : [],
        lastEditKey: editKey,
        changeSeq: s.changeSeq + 1,
        saveStatus: s.saveStatus === 'saving' ? 'saving' : 'dirty',
      });
    };
    const updateNode = (nodeId: string, patch: (n: BatonNode) => BatonNode, editKey: string) => {
      if (get().readOnly) return;
      commit({ nodes: get().nodes.map((n) => (n.id === nodeId ? patch(n) : n)) }, editKey);
    };

    return {
      workflowId: init.workflowId,
      name: init.name,
      revision: init.revision,
      nodes: flow.nodes,
      edges: flow.edges,
      settings: flow.settings,
      specs: Object.fromEntries(init.specs.map((s) => [s.type, s])),
      diagnostics: init.diagnostics,
      selectedNodeId: null,
      changeSeq: 0,
      savedSeq: 0,
      saveStatus: 'saved',
      readOnly: init.readOnly ?? false,
      run: init.run ?? null,
      lastRun: init.lastRun ?? init.run ?? null,
      past: [],
      future: [],
      lastEditKey: null,

      onNodesChange(changes) {
        const s = get();
        const allowed = s.readOnly ? changes.filter((c) => c.type === 'select' || c.type === 'dimensions') : changes;
        const nodes = applyNodeChanges(allowed, s.nodes);
        const selectedNodeId = allowed.some((c) => c.type === 'select')
          ? (nodes.find((n) => n.selected)?.id ?? null)
          : s.selectedNodeId;
        const positions = allowed.filter((c) => c.type === 'position');
        // One undo step per drag: the snapshot is taken when the drag starts, not on every mouse move.
        const dragStart = positions.some((c) => c.dragging) && s.lastEditKey !== 'drag';
        const dragEnd = positions.some((c) => c.dragging === false);
        if (allowed.some((c) => STRUCTURAL.includes(c.type)) || dragStart) {
          const removed = new Set(allowed.flatMap((c) => (c.type === 'remove' ? [c.id] : [])));
          commit(
            {
              nodes,
              edges: removed.size ? s.edges.filter((e) => !removed.has(e.source) && !removed.has(e.target)) : s.edges,
              selectedNodeId: selectedNodeId && removed.has(selectedNodeId) ? null : selectedNodeId,
            },
            dragStart ? 'drag' : null,
          );
        } else if (positions.length) {
          set({
            nodes,
            selectedNodeId,
            changeSeq: s.changeSeq + 1,
            saveStatus: s.saveStatus === 'saving' ? 'saving' : 'dirty',
            ...(dragEnd ? { lastEditKey: null } : {}),
          });
        } else {
          set({ nodes, selectedNodeId });
        }
      },

      onEdgesChange(changes) {
        const s = get();
        const allowed = s.readOnly ? changes.filter((c) => c.type === 'select') : changes;
        const edges = applyEdgeChanges(allowed, s.edges);
        // Edges of a deleted node are already gone (removed with the node in the same undo step).
        const real = allowed.some(
          (c) => c.type !== 'select' && (c.type !== 'remove' || s.edges.some((e) => e.id === c.id)),
        );
        if (real) commit({ edges });
        else set({ edges });
      },

      onConnect(connection) {
        const s = get();
        if (s.readOnly || connection.source === connection.target) return;
        const id = `e_${connection.source}_${connection.sourceHandle ?? 'out'}_${connection.target}_${connection.targetHandle ?? 'in'}`;
        if (s.edges.some((e) => e.id === id)) return;
        commit({ edges: addEdge({ ...connection, id }, s.edges) });
      },

      addNode(type, position) {
        const s = get();
        const spec = s.specs[type];
        if (!spec || s.readOnly) return undefined;
        const params: Record<string, unknown> = {};
        for (const p of spec.params) if (p.default !== undefined) params[p.key] = p.default;
        const id = newId('n');
        const node: BatonNode = {
          id,
          type: 'baton',
          position,
          selected: true,
          data: {
            type,
            version: spec.version,
            name: uniqueName(
              spec.title,
              s.nodes.map((n) => n.data.name),
            ),
            params,
          },
        };
        commit({
          nodes: [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node],
          selectedNodeId: id,
        });
        return id;
      },

      removeNode(nodeId) {
        const s = get();
        if (s.readOnly) return;
        commit({
          nodes: s.nodes.filter((n) => n.id !== nodeId),
          edges: s.edges.filter((e) => e.source !== nodeId && e.target !== nodeId),
          selectedNodeId: s.selectedNodeId === nodeId ? null : s.selectedNodeId,
        });
      },

      setParam(nodeId, key, value) {
        updateNode(
          nodeId,
          (n) => ({ ...n, data: { ...n.data, params: { ...n.data.params, [key]: value } } }),
          `param:${nodeId}:${key}`,
        );
        // The field changed, so what the last compile said about it no longer holds.
        set({ diagnostics: get().diagnostics.filter((d) => !(d.nodeId === nodeId && d.path?.includes(key))) });
      },

      setListParam(nodeId, key, rows, change) {
        const s = get();
        const node = s.nodes.find((n) => n.id === nodeId);
        if (!node || s.readOnly) return;
        if (!change) return get().setParam(nodeId, key, rows);
        const drivesOutputs = s.specs[node.data.type]?.listOutputs?.param === key;
        // A move or removal is its own undo step (editKey null), taking the edges it remaps along with it.
        commit({
          nodes: s.nodes.map((n) =>
            n.id === nodeId ? { ...n, data: { ...n.data, params: { ...n.data.params, [key]: rows } } } : n,
          ),
          edges: drivesOutputs ? remapListEdges(s.edges, nodeId, change) : s.edges,
        });
        // Row-located errors now point at other rows; the next compile says what still holds.
        set({ diagnostics: get().diagnostics.filter((d) => !(d.nodeId === nodeId && d.path?.includes(key))) });
      },

      setSettings(settings) {
        const s = get();
        if (s.readOnly) return;
        // Settings are not in the undo history (as the execution mode has never been): saved, but not undone.
        set({ settings, changeSeq: s.changeSeq + 1, saveStatus: s.saveStatus === 'saving' ? 'saving' : 'dirty' });
        set({ diagnostics: get().diagnostics.filter((d) => d.path?.[0] !== 'settings') });
      },

      setNodePolicy(nodeId, policy) {
        const s = get();
        const node = s.nodes.find((n) => n.id === nodeId);
        if (!node || s.readOnly) return;
        const before = node.data.policy;
        // Keystrokes in one field make one undo step; a different field (or the On error choice) starts another.
        const changed = policyLeaves(before, policy);
        const errorOutputGone = before?.errorOutput === true && policy?.errorOutput !== true;
        commit(
          {
            nodes: s.nodes.map((n) => (n.id === nodeId ? { ...n, data: { ...n.data, policy } } : n)),
            edges: errorOutputGone
              ? s.edges.filter((e) => !(e.source === nodeId && e.sourceHandle === ERROR_PORT.id))
              : s.edges,
          },
          `policy:${nodeId}:${changed.join(',')}`,
        );
        set({ diagnostics: get().diagnostics.filter((d) => !(d.nodeId === nodeId && d.path?.includes('policy'))) });
      },

      renameNode(nodeId, name) {
        updateNode(nodeId, (n) => ({ ...n, data: { ...n.data, name } }), `name:${nodeId}`);
      },

      setName(name) {
        if (get().readOnly) return;
        const s = get();
        set({ name, changeSeq: s.changeSeq + 1, saveStatus: s.saveStatus === 'saving' ? 'saving' : 'dirty' });
      },

      selectNode(nodeId) {
        set({
          selectedNodeId: nodeId,
          nodes: get().nodes.map((n) => (n.selected === (n.id === nodeId) ? n : { ...n, selected: n.id === nodeId })),
        });
      },

      undo() {
        const s = get();
        const previous = s.past[s.past.length - 1];
        if (!previous || s.readOnly) return;
        set({
          ...previous,
          selectedNodeId: previous.nodes.find((n) => n.selected)?.id ?? null,
          past: s.past.slice(0, -1),
          future: [{ nodes: s.nodes, edges: s.edges }, ...s.future],
          lastEditKey: null,
          changeSeq: s.changeSeq + 1,
          saveStatus: 'dirty',
        });
      },

      redo() {
        const s = get();
        const next = s.future[0];
        if (!next || s.readOnly) return;
        set({
          ...next,
          selectedNodeId: next.nodes.find((n) => n.selected)?.id ?? null,
          future: s.future.slice(1),
          past: [...s.past, { nodes: s.nodes, edges: s.edges }],
          lastEditKey: null,
          changeSeq: s.changeSeq + 1,
          saveStatus: 'dirty',
        });
      },

      document: () => toDocument(get().nodes, get().edges, get().settings),

      saveStarted() {
        set({ saveStatus: 'saving', lastEditKey: null });
        return get().changeSeq;
      },

      saveSucceeded(seq, revision, diagnostics) {
        const s = get();
        set({ revision, savedSeq: seq, diagnostics, saveStatus: s.changeSeq === seq ? 'saved' : 'dirty' });
      },

      saveFailed(diagnostics) {
        set({ saveStatus: 'error', ...(diagnostics ? { diagnostics } : {}) });
      },

      setDiagnostics: (diagnostics) => set({ diagnostics }),

      showRun(run, steps = []) {
        let state: RunState = { run, steps: {} };
        for (const step of steps) state = mergeStep(state, step);
        set({ run: state });
      },

      applyRunEvent(event) {
        const run = get().run;
        if (run) set({ run: applyRunEvent(run, event) });
      },

      mergeRunDetails(info, steps) {
        let run = get().run;
        if (!run || run.run.runId !== info.runId) return;
        run = mergeRun(run, info);
        for (const step of steps) run = mergeStep(run, step);
        set({ run, ...(isFinished(run.run.status) ? { lastRun: run } : {}) });
      },

      // The run just closed stays the last run when it has finished: it carries what the panel loaded (its loops).
      clearRun: () => set((s) => ({ run: null, ...(s.run && isFinished(s.run.run.status) ? { lastRun: s.run } : {}) })),
    };
  });
}

/** The policy fields whose values differ between two overrides, e.g. ['retry.maximumAttempts']. */
function policyLeaves(a: BatonNodeData['policy'], b: BatonNodeData['policy']): string[] {
  const leaves = (p: BatonNodeData['policy']): Record<string, unknown> => ({
    ...Object.fromEntries(Object.entries(p?.retry ?? {}).map(([k, v]) => [`retry.${k}`, v])),
    timeoutMs: p?.timeoutMs,
    continueOnFail: p?.continueOnFail,
    errorOutput: p?.errorOutput,
  });
  const x = leaves(a);
  const y = leaves(b);
  return [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => x[k] !== y[k]).sort();
}

export type WorkflowStore = ReturnType<typeof createWorkflowStore>;
