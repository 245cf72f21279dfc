// Small readers of n8n's untyped parameter bags, shared by the node mappers, and the Mapper shape itself.
import type { MapContext, Mapped, N8nNode } from './types';

export type Mapper = (node: N8nNode, ctx: MapContext) => Mapped | undefined;
export type Rec = Record<string, unknown>;

export const rec = (v: unknown): Rec => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
export const list = (v: unknown): Rec[] => (Array.isArray(v) ? v.map(rec) : []);
export const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
export const UNITS = ['seconds', 'minutes', 'hours', 'days'] as const;
export const unitOf = (v: unknown, fallback: (typeof UNITS)[number]) =>
  (UNITS as readonly unknown[]).includes(v) ? (v as (typeof UNITS)[number]) : fallback;

/** A one-input, one-output Baton node. */
export const action = (type: string, params: Rec, notes: string[] = []): Mapped => ({
  type,
  version: 1,
  params,
  outputs: ['out'],
  input: 'in',
  notes,
});
