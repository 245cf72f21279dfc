// The React Flow canvas bound to the document store: drop from the palette, connect ports, delete, live colours.
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Edge,
  type FitViewOptions,
  type IsValidConnection,
  type Node,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useEditor, useWorkflowStore } from '../../stores/workflow-store-context';
import { loopOfNode } from '../../lib/run-view';
import { useIterations } from '../runs/iteration-store';
import { WorkflowNode } from './WorkflowNode';

export const PALETTE_MIME = 'application/x-baton-node-type';
export const NODE_SIZE = { width: 220, height: 64 };

// Module scope: a new object per render would make React Flow remount every node.
const nodeTypes = { baton: WorkflowNode };

// Also module scope: React Flow copies these props into its store when their identity changes, and a new
// edge-options object re-renders every edge.
// A fitted graph stays above the minimap (150 px high, 15 px from the bottom-right corner): when the run panel makes
// the canvas short, a node fitted into that corner would sit under the minimap, out of reach of a click.
const FIT_VIEW_OPTIONS: FitViewOptions = { maxZoom: 1, padding: { x: '12%', top: '12%', bottom: '180px' } };
/** A preview (a template's graph) has no minimap, and the whole graph may use the short box. */
const PREVIEW_FIT_OPTIONS: FitViewOptions = { maxZoom: 1, padding: 0.08 };
const DEFAULT_EDGE_OPTIONS = { type: 'smoothstep' };
const DELETE_KEYS = ['Delete', 'Backspace'];

const MINIMAP_COLORS: Record<string, string> = {
  running: '#2e90fa',
  succeeded: '#12a150',
  failed: '#f04438',
  skipped: '#667085',
};

/** `preview`: a small read-only view of a graph (the template gallery): no minimap, fitted edge to edge. */
export function Canvas({ preview = false }: { preview?: boolean } = {}) {
  const fitOptions = preview ? PREVIEW_FIT_OPTIONS : FIT_VIEW_OPTIONS;
  const { nodes, edges, onNodesChange, onEdgesChange, onConnect, addNode, readOnly, steps } = useEditor(
    useShallow((s) => ({
      nodes: s.nodes,
      edges: s.edges,
      onNodesChange: s.onNodesChange,
      onEdgesChange: s.onEdgesChange,
      onConnect: s.onConnect,
      addNode: s.addNode,
      readOnly: s.readOnly,
      steps: s.run?.steps,
    })),
  );
  const runId = useEditor((s) => s.run?.run.runId);
  const loops = useEditor((s) => s.run?.loops);
  const loaded = useIterations((s) => (s.runId === runId ? s.loaded : undefined));
  // Body nodes take their status from the iteration the run panel shows, like their cards.
  const statusOf = useMemo(() => {
    if (!steps) return undefined;
    return (nodeId: string) => {
      const loopId = loopOfNode(loops, nodeId)?.nodeId;
      return loopId !== undefined && loopId !== nodeId
        ? loaded?.[loopId]?.steps[nodeId]?.status
        : steps[nodeId]?.status;
    };
  }, [steps, loops, loaded]);
  const store = useWorkflowStore();
  const { screenToFlowPosition, fitView } = useReactFlow();
  const runPanelOpen = steps !== undefined;
  // The run panel takes height from the canvas when it opens (and gives it back): keep the graph in view.
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const timer = setTimeout(() => void fitView({ ...fitOptions, duration: 250 }), 60);
    return () => clearTimeout(timer);
  }, [runPanelOpen, fitView, fitOptions]);
  // Fit an opened document once; fitting an empty canvas would re-centre on the first dropped node instead.
  const [fitOnOpen] = useState(() => nodes.length > 0);

  // Edges show the run flowing: animated into a running node, green once both ends are done.
  const shownEdges = useMemo<Edge[]>(() => {
    if (!statusOf) return edges;
    return edges.map((e) => {
      const to = statusOf(e.target);
      const from = statusOf(e.source);
      const className =
        to === 'running'
          ? 'edge-active'
          : from === 'succeeded' && (to === 'succeeded' || to === 'failed')
            ? 'edge-done'
            : undefined;
      return className ? { ...e, className, animated: to === 'running' } : e;
    });
  }, [edges, statusOf]);

  // Stable between runs: a new colour function re-renders every minimap node.
  const minimapColor = useCallback((n: Node) => MINIMAP_COLORS[statusOf?.(n.id) ?? ''] ?? '#4b5268', [statusOf]);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_MIME);
      if (!type) return;
      event.preventDefault();
      const at = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addNode(type, { x: at.x - NODE_SIZE.width / 2, y: at.y - NODE_SIZE.height / 2 });
    },
    [addNode, screenToFlowPosition],
  );

  // An input port takes one edge unless its node merges branches (the spec says so).
  const isValidConnection = useCallback<IsValidConnection>(
    (c) => {
      // A loop's body may end with the loop itself only through "Each item" → "Loop end" (an empty body).
      if (c.source === c.target && c.targetHandle !== 'loopEnd') return false;
      const s = store.getState();
      const target = s.nodes.find((n) => n.id === c.target);
      const spec = target && s.specs[target.data.type];
      if (spec && (spec.multipleInputs || spec.multiInputPorts?.includes(c.targetHandle ?? ''))) return true;
      return !s.edges.some((e) => e.target === c.target && e.targetHandle === c.targetHandle);
    },
    [store],
  );

  return (
    <div className="canvas" data-canvas onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow
        nodes={nodes}
        edges={shownEdges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={readOnly ? null : DELETE_KEYS}
        colorMode="dark"
        fitView={fitOnOpen}
        fitViewOptions={fitOptions}
        minZoom={0.2}
        maxZoom={2}
        defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.4} color="#343a4a" />
        {!preview && <MiniMap pannable zoomable nodeColor={minimapColor} maskColor="rgba(10, 12, 18, 0.65)" />}
        <Controls showInteractive={false} fitViewOptions={fitOptions} />
      </ReactFlow>
      {nodes.length === 0 && (
        <div className="canvas-empty">
          <strong>Start with a trigger</strong>
          <span>
            Drag <em>Manual trigger</em> from the palette onto the canvas, or focus it and press <kbd>Enter</kbd>.
          </span>
        </div>
      )}
    </div>
  );
}
