// Shapes shared by the n8n importer's parts: a checked n8n node, and what a node mapper returns.
import type { ExpressionNote } from './expressions';

/** An n8n node after its shape was checked (ir/n8n/parse.ts). */
export interface N8nNode {
  index: number;
  id?: string;
  name: string;
  type: string;
  typeVersion: number;
  position: { x: number; y: number };
  parameters: Record<string, unknown>;
  credentials: Record<string, { id?: string; name?: string }>;
  disabled: boolean;
  notes?: string;
}

/** A Baton node made from an n8n node, and how n8n's numbered outputs and inputs become its ports. */
export interface Mapped {
  type: string;
  version: number;
  params: Record<string, unknown>;
  /** Baton output port of each n8n output index. */
  outputs: string[];
  /** Baton input port (every n8n input index lands on it); absent for triggers. */
  input?: string;
  /** What differs from n8n's behaviour, for the summary. */
  notes: string[];
}

/** Helpers a mapper gets: expression translation that records its notes against the node. */
export interface MapContext {
  text: (value: unknown, field: string) => unknown;
  notes: ExpressionNote[];
}
