// The shape of one open document's editor state; the actions are implemented in workflow-store.ts.
import type { Connection, EdgeChange, NodeChange, XYPosition } from '@xyflow/react';
import type { RunEvent } from '../../contracts/live-events';
import type { Diagnostic, WorkflowSettings } from '../../ir/types';
import type { NodeDescription } from '../lib/node-description';
import type { RunInfo } from '../../contracts/run-record';
import type { StepInfo } from '../../contracts/step-record';
import type { RunState } from '../lib/run-view';
import type { BatonEdge, BatonNode, toDocument } from './flow-document';
import type { ListChange } from './list-edges';

export type SaveStatus = 'saved' | 'dirty' | 'saving' | 'error';
export interface Snapshot {
  nodes: BatonNode[];
  edges: BatonEdge[];
}

export interface EditorInit {
  workflowId: string;
  name: string;
  revision: number;
  document: unknown;
  specs: NodeDescription[];
  diagnostics: Diagnostic[];
  run?: RunState;
  /** The most recent finished run, used for expression previews. */
  lastRun?: RunState;
  readOnly?: boolean;
}

export interface EditorState {
  workflowId: string;
  name: string;
  revision: number;
  nodes: BatonNode[];
  edges: BatonEdge[];
  settings: WorkflowSettings;
  specs: Record<string, NodeDescription>;
  diagnostics: Diagnostic[];
  selectedNodeId: string | null;
  /** Bumped by every change to what gets saved; `savedSeq` is the value the last successful save covered. */
  changeSeq: number;
  savedSeq: number;
  saveStatus: SaveStatus;
  readOnly: boolean;
  run: RunState | null;
  lastRun: RunState | null;
  past: Snapshot[];
  future: Snapshot[];
  /** Coalesces keystrokes in one field into a single undo step. */
  lastEditKey: string | null;

  onNodesChange(changes: NodeChange<BatonNode>[]): void;
  onEdgesChange(changes: EdgeChange<BatonEdge>[]): void;
  onConnect(connection: Connection): void;
  addNode(type: string, position: XYPosition): string | undefined;
  removeNode(nodeId: string): void;
  setParam(nodeId: string, key: string, value: unknown): void;
  /**
   * Sets a list param after a structural edit of its rows (`change`: a row moved or removed; none for a cell edit).
   * When the list drives the node's outputs (a Switch's rules), edges on a row's port follow the row and those of a
   * removed row go, in the same undo step as the rows.
   */
  setListParam(nodeId: string, key: string, rows: unknown[], change?: ListChange): void;
  /** Replaces the workflow's settings (a setting left unset is absent, not empty). */
  setSettings(settings: WorkflowSettings): void;
  renameNode(nodeId: string, name: string): void;
  setName(name: string): void;
  selectNode(nodeId: string | null): void;
  undo(): void;
  redo(): void;
  document(): ReturnType<typeof toDocument>;
  saveStarted(): number;
  saveSucceeded(seq: number, revision: number, diagnostics: Diagnostic[]): void;
  saveFailed(diagnostics?: Diagnostic[]): void;
  setDiagnostics(diagnostics: Diagnostic[]): void;
  showRun(run: RunInfo, steps?: StepInfo[]): void;
  applyRunEvent(event: RunEvent): void;
  mergeRunDetails(run: RunInfo, steps: StepInfo[]): void;
  clearRun(): void;
}
