// The node model: a spec declares params once, and the zod schema, the form's UI hints and the
// runner's param type all derive from it (the Activepieces property-builder idea).
import { z } from 'zod';

export type Widget = 'text' | 'textarea' | 'number' | 'select' | 'boolean' | 'json' | 'code' | 'keyValue';

export interface ParamUi {
  widget: Widget;
  label: string;
  description?: string;
  placeholder?: string;
  options?: ReadonlyArray<{ value: string; label: string }>;
  language?: 'javascript' | 'json';
  /** Whether the field may hold `{{ … }}` expressions, resolved per run before validation. */
  expression: boolean;
  required: boolean;
}

export interface ParamDef<T = unknown> {
  schema: z.ZodType<T>;
  ui: ParamUi;
  default?: T;
}

type Common<T> = { label: string; description?: string; placeholder?: string; default?: T; expression?: boolean };
type Req = { required?: boolean };

function def<T>(schema: z.ZodType<T>, widget: Widget, o: Common<T> & Req, extra: Partial<ParamUi> = {}): ParamDef<T> {
  return {
    schema,
    default: o.default,
    ui: {
      widget,
      label: o.label,
      description: o.description,
      placeholder: o.placeholder,
      expression: o.expression ?? true,
      required: o.required ?? false,
      ...extra,
    },
  };
}

/** Property builders: each yields a zod schema, UI hints and (through `ParamsOf`) the runner's type. */
export const param = {
  text: (o: Common<string> & Req & { maxLength?: number }) =>
    def(z.string().max(o.maxLength ?? 1_000_000), 'text', o),
  textarea: (o: Common<string> & Req & { maxLength?: number }) =>
    def(z.string().max(o.maxLength ?? 1_000_000), 'textarea', o),
  number: (o: Common<number> & Req & { min?: number; max?: number; int?: boolean }) => {
    let s = z.number().finite();
    if (o.int) s = s.int();
    if (o.min !== undefined) s = s.min(o.min);
    if (o.max !== undefined) s = s.max(o.max);
    return def(s, 'number', o);
  },
  boolean: (o: Common<boolean> & Req) => def(z.boolean(), 'boolean', o),
  select: <const V extends readonly [string, ...string[]]>(
    o: Common<V[number]> & Req & { options: ReadonlyArray<{ value: V[number]; label: string }>; values: V },
  ) => def(z.enum(o.values) as unknown as z.ZodType<V[number]>, 'select', o, { options: o.options }),
  json: (o: Common<unknown> & Req) => def(z.unknown(), 'json', o, { language: 'json' }),
  code: (o: Common<string> & Req & { maxLength?: number }) =>
    def(z.string().max(o.maxLength ?? 200_000), 'code', { ...o, expression: false }, { language: 'javascript' }),
  keyValue: (o: Common<Record<string, string>> & Req) =>
    def(z.record(z.string()), 'keyValue', o),
};

export type ParamDefs = Record<string, ParamDef<any>>;
export type ParamsOf<P extends ParamDefs> = { [K in keyof P]: P[K] extends ParamDef<infer T> ? T : never };

export interface PortSpec {
  id: string;
  label: string;
}

export type TaskQueue = 'default' | 'browser' | 'gpu';

/**
 * How the interpreter treats a node. `activity` nodes run on workers through `run.ts`;
 * the others are interpreted inside the workflow using the pure functions on their spec.
 */
export type Runtime =
  | { kind: 'trigger' }
  | { kind: 'activity'; taskQueue: TaskQueue }
  | { kind: 'branch'; route: (params: any, input: unknown) => string } // returns the output port id
  | { kind: 'merge'; combine: (params: any, inputs: unknown[]) => unknown }
  | { kind: 'delay'; durationMs: (params: any) => number };

export interface RetryPolicy {
  maximumAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
}

export interface NodePolicy {
  retry: RetryPolicy;
  timeoutMs: number;
  continueOnFail: boolean;
}

export interface NodeSpec<P extends ParamDefs = ParamDefs> {
  type: string; // equals the folder name under nodes/
  version: number;
  title: string;
  description: string;
  category: 'trigger' | 'core' | 'flow' | 'integration' | 'ai' | 'human' | 'browser';
  icon: string;
  inputs: PortSpec[];
  outputs: PortSpec[];
  params: P;
  runtime: Runtime;
  policy?: Partial<NodePolicy>;
}

export function defineNode<P extends ParamDefs>(spec: NodeSpec<P>): NodeSpec<P> {
  return spec;
}

export const defaultPolicy: NodePolicy = {
  retry: { maximumAttempts: 3, initialIntervalMs: 1000, backoffCoefficient: 2 },
  timeoutMs: 60_000,
  continueOnFail: false,
};

/** What `run.ts` receives besides params and input. Built by the activity, server-side only. */
export interface RunContext {
  runId: string;
  workflowId: string;
  nodeId: string;
  nodeName: string;
  /** `${runId}:${nodeId}:${iteration}` — stable across retries, passed on to integrations. */
  idempotencyKey: string;
  attempt: number;
  signal: AbortSignal;
  heartbeat: (details?: unknown) => void;
  log: { info: (msg: string, meta?: Record<string, unknown>) => void; warn: (msg: string, meta?: Record<string, unknown>) => void };
}

export type NodeRunner<P extends ParamDefs> = (ctx: RunContext, params: ParamsOf<P>, input: unknown) => Promise<unknown>;
