// The node model: a spec declares params once, and the zod schema, the form's UI hints and the
// runner's param type all derive from it (the Activepieces property-builder idea).
import type { TagRule } from '../contracts/run-tags';
import { z } from 'zod';
import { formatSize, inspectJson } from './json-value';
import type { TriggerRuntime } from './triggers';
import type { ApprovalFormField, ApprovalRule } from '../contracts/approvals';
import { isFileRef, type FileRef } from '../contracts/file-ref';
import { TABLE_ID, type RunTables } from '../contracts/data-tables';
import type { LiveFrame, LiveInput } from '../contracts/browser-live';

export type Widget =
  | 'text'
  | 'textarea'
  | 'number'
  | 'select'
  | 'boolean'
  | 'json'
  | 'code'
  | 'keyValue'
  | 'secret'
  | 'list'
  /** The id of another workflow of this Baton, picked from a list. */
  | 'workflow'
  /** The id of a credential of the run's workspace, of the types in `credentialTypes`, picked from a list. */
  | 'credential'
  /** A file value (contracts/file-ref): uploaded in the form, or an expression naming an upstream file. */
  | 'file'
  /** The id of a data table of the workspace (contracts/data-tables), picked from a list. */
  | 'dataTable'
  /** The id of a model of the workspace's model registry (db/models.ts), picked from a list. */
  | 'model';

/** One column of a `list` param's rows (each row is an object; this edits its `key`). */
export interface ListField {
  key: string;
  label: string;
  widget: 'text' | 'number' | 'select' | 'boolean';
  placeholder?: string;
  options?: ReadonlyArray<{ value: string; label: string }>;
  /** Whether the cell may hold `{{ … }}` expressions. */
  expression: boolean;
  /** The value a new row starts with. */
  default?: unknown;
  /** A placeholder that follows another cell of the row (a Browser step's Target per action): its value → text. */
  placeholderBy?: { field: string; placeholders: Readonly<Record<string, string>> };
}

export interface ParamUi {
  widget: Widget;
  label: string;
  description?: string;
  placeholder?: string;
  options?: ReadonlyArray<{ value: string; label: string }>;
  language?: 'javascript' | 'json';
  /** `code` widget: declarations (a .d.ts text) the editor offers as typed hints, e.g. the Browser script's `page`. */
  typings?: string;
  /** Whether the field may hold `{{ … }}` expressions, resolved per run before validation. */
  expression: boolean;
  required: boolean;
  /** Longest accepted value in characters (strings) or serialized characters (JSON), for the form's counter. */
  maxLength?: number;
  /** The form shows the field only while another param (a select) has one of these values. */
  showWhen?: ShowWhen;
  /** `list` widget: the columns of each row, what a row is called ("rule") and how many rows are allowed. */
  fields?: readonly ListField[];
  itemLabel?: string;
  maxItems?: number;
  /** `credential` widget: the credential types (nodes/credentials) the param accepts. */
  credentialTypes?: readonly string[];
}

export interface ShowWhen {
  param: string;
  oneOf: readonly string[];
}

/** What a secret param's value becomes in a compiled plan: secrets never travel in plans or Temporal history. */
export const SECRET_IN_PLAN = '[secret]';

export interface ParamDef<T = unknown> {
  schema: z.ZodType<T>;
  ui: ParamUi;
  default?: T;
  /**
   * Size cap in serialized characters. The compiler checks it even on values that still hold `{{ … }}`
   * (everything else about those is checked after resolution, at run time).
   */
  maxChars?: number;
}

/** Default size caps, in characters. */
export const PARAM_LIMITS = {
  text: 64 * 1024,
  long: 256 * 1024,
  url: 8 * 1024,
  key: 256,
  entries: 500,
} as const;

type Common<T> = {
  label: string;
  description?: string;
  placeholder?: string;
  default?: T;
  expression?: boolean;
  showWhen?: ShowWhen;
};
type Req = { required?: boolean };

function def<T>(
  schema: z.ZodType<T>,
  widget: Widget,
  o: Common<T> & Req,
  extra: Partial<ParamUi> = {},
  maxChars?: number,
): ParamDef<T> {
  return {
    schema,
    default: o.default,
    maxChars,
    ui: {
      widget,
      label: o.label,
      description: o.description,
      placeholder: o.placeholder,
      expression: o.expression ?? true,
      required: o.required ?? false,
      ...(o.showWhen ? { showWhen: o.showWhen } : {}),
      ...extra,
    },
  };
}

function tooLong(length: number, max: number): string {
  return max < 1024
    ? `is too long (${length} characters; the limit is ${max})`
    : `is too long (${formatSize(length)}; the limit is ${formatSize(max)})`;
}

/** A string schema whose length error states the actual and allowed size, optionally with a format rule. */
export function boundedString(max: number, pattern?: { regex: RegExp; message: string }): z.ZodType<string> {
  return z.string().superRefine((s, ctx) => {
    if (s.length > max) ctx.addIssue({ code: z.ZodIssueCode.custom, message: tooLong(s.length, max) });
    else if (pattern && !pattern.regex.test(s)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: pattern.message });
  });
}

/** Any JSON value up to `maxChars` serialized characters. */
export function jsonValue(maxChars: number): z.ZodType<unknown> {
  return z.unknown().superRefine((v, ctx) => {
    const seen = inspectJson(v, { maxChars });
    if (!seen.ok) ctx.addIssue({ code: z.ZodIssueCode.custom, message: seen.message, path: seen.path });
  });
}

function boundedRecord<V>(value: z.ZodType<V>, maxEntries: number, maxChars: number): z.ZodType<Record<string, V>> {
  return z.record(boundedString(PARAM_LIMITS.key), value).superRefine((rec, ctx) => {
    const count = Object.keys(rec).length;
    if (count > maxEntries) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `has ${count} entries; the limit is ${maxEntries}` });
      return;
    }
    const seen = inspectJson(rec, { maxChars });
    if (!seen.ok) ctx.addIssue({ code: z.ZodIssueCode.custom, message: seen.message, path: seen.path });
  });
}

function httpUrl(max: number): z.ZodType<string> {
  return boundedString(max).superRefine((s, ctx) => {
    if (s.length > max) return;
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'Invalid url' });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `Invalid url: only http and https are allowed, not ${url.protocol}`,
      });
    }
  });
}

type Sized = { maxLength?: number };

/** Property builders: each yields a zod schema, UI hints and (through `ParamsOf`) the runner's type. */
export const param = {
  text: (o: Common<string> & Req & Sized & { pattern?: { regex: RegExp; message: string } }) => {
    const max = o.maxLength ?? PARAM_LIMITS.text;
    return def(boundedString(max, o.pattern), 'text', o, { maxLength: max }, max + 2);
  },
  textarea: (o: Common<string> & Req & Sized) => {
    const max = o.maxLength ?? PARAM_LIMITS.long;
    return def(boundedString(max), 'textarea', o, { maxLength: max }, max + 2);
  },
  /**
   * A password, shared secret or key: masked in the form, kept out of compiled plans (and so out of Temporal
   * history); the server reads it from the saved document where it needs it.
   */
  secret: (o: Omit<Common<string>, 'expression'> & Req & Sized) => {
    const max = o.maxLength ?? 1024;
    return def(boundedString(max), 'secret', { ...o, expression: false }, { maxLength: max }, max + 2);
  },
  /** Another workflow of this Baton, by id (a 24-character hexadecimal id); the form offers a picker. */
  workflow: (o: Common<string> & Req) =>
    def(
      boundedString(24, {
        regex: /^[a-f0-9]{24}$/,
        message: 'must be the id of a workflow (24 hexadecimal characters)',
      }),
      'workflow',
      { ...o, expression: false },
      {},
      64,
    ),
  /**
   * A credential of the run's workspace, by id (`cred_<uuid>`): the plan and Temporal history hold only the id,
   * and the runner reads its fields through `ctx.credential` inside the activity (docs/decisions/037).
   */
  credential: (o: Omit<Common<string>, 'expression'> & Req & { types: readonly [string, ...string[]] }) =>
    def(
      boundedString(64, { regex: /^cred_[0-9a-f-]{36}$/, message: 'must be the id of a credential (cred_…)' }),
      'credential',
      { ...o, expression: false },
      { credentialTypes: o.types },
      72,
    ),
  /** A model of the run's workspace registry, by id (`mdl_<uuid>`, db/models.ts); the form offers a picker. */
  model: (o: Omit<Common<string>, 'expression'> & Req) =>
    def(
      boundedString(64, { regex: /^mdl_[0-9a-f-]{36}$/, message: 'must be the id of a model (mdl_…): pick one' }),
      'model',
      { ...o, expression: false },
      {},
      72,
    ),
  /** An absolute http(s) URL. */
  url: (o: Common<string> & Req & Sized) => {
    const max = o.maxLength ?? PARAM_LIMITS.url;
    return def(httpUrl(max), 'text', o, { maxLength: max }, max + 2);
  },
  number: (o: Common<number> & Req & { min?: number; max?: number; int?: boolean }) => {
    let s = z.number().finite();
    if (o.int) s = s.int();
    if (o.min !== undefined) s = s.min(o.min);
    if (o.max !== undefined) s = s.max(o.max);
    return def(s, 'number', o, {}, 64);
  },
  boolean: (o: Common<boolean> & Req) => def(z.boolean(), 'boolean', o, {}, 64),
  select: <const V extends readonly [string, ...string[]]>(
    o: Common<V[number]> & Req & { options: ReadonlyArray<{ value: V[number]; label: string }>; values: V },
  ) => def(z.enum(o.values) as unknown as z.ZodType<V[number]>, 'select', o, { options: o.options }, 1024),
  json: (o: Common<unknown> & Req & Sized) => {
    const max = o.maxLength ?? PARAM_LIMITS.long;
    return def(jsonValue(max), 'json', o, { language: 'json', maxLength: max }, max);
  },
  code: (o: Common<string> & Req & Sized & { typings?: string }) => {
    const max = o.maxLength ?? PARAM_LIMITS.long;
    return def(
      boundedString(max),
      'code',
      { ...o, expression: false },
      { language: 'javascript', maxLength: max, ...(o.typings ? { typings: o.typings } : {}) },
      max + 2,
    );
  },
  keyValue: (o: Common<Record<string, string>> & Req & Sized & { maxEntries?: number }) => {
    const max = o.maxLength ?? PARAM_LIMITS.long;
    const schema = boundedRecord(boundedString(PARAM_LIMITS.text), o.maxEntries ?? PARAM_LIMITS.entries, max);
    return def(schema, 'keyValue', o, { maxLength: max }, max);
  },
  /** Key → value pairs edited like `keyValue`, whose values may resolve to any JSON (numbers, objects…). */
  jsonMap: (o: Common<Record<string, unknown>> & Req & Sized & { maxEntries?: number }) => {
    const max = o.maxLength ?? PARAM_LIMITS.long;
    const schema = boundedRecord(z.unknown(), o.maxEntries ?? PARAM_LIMITS.entries, max);
    return def(schema, 'keyValue', o, { maxLength: max }, max);
  },
  /**
   * Rows of fields (a Switch's rules), edited as a table. Cells marked `expression` may hold `{{ … }}`; the item
   * schema must accept such strings there, since the compiler validates the rows as written (ir/params.ts).
   */
  list: <T>(
    o: Common<T[]> & Req & { item: z.ZodType<T>; fields: readonly ListField[]; itemLabel: string; maxItems: number },
  ) => {
    const max = PARAM_LIMITS.long;
    const schema = z.array(o.item).superRefine((rows, ctx) => {
      if (rows.length > o.maxItems)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `has ${rows.length} ${o.itemLabel}s; the limit is ${o.maxItems}`,
        });
      const seen = inspectJson(rows, { maxChars: max });
      if (!seen.ok) ctx.addIssue({ code: z.ZodIssueCode.custom, message: seen.message, path: seen.path });
    }) as unknown as z.ZodType<T[]>;
    return def(schema, 'list', o, { fields: o.fields, itemLabel: o.itemLabel, maxItems: o.maxItems }, max);
  },
  /**
   * A file (contracts/file-ref): one uploaded in the form, or an expression such as `{{ $node("Form").cv }}`. The
   * runner reads its bytes through `ctx.files.read`, which checks its signature and size.
   */
  file: (o: Common<FileRef> & Req) =>
    def(
      z.custom<FileRef>(isFileRef, {
        message: 'must be a file: upload one, or write an expression such as {{ $node("Offer letter").file }}',
      }),
      'file',
      o,
      {},
      4096,
    ),
  /** A data table of the run's workspace, by id (`dt_<uuid>`); the form offers a picker. */
  dataTable: (o: Omit<Common<string>, 'expression'> & Req) =>
    def(
      boundedString(64, { regex: TABLE_ID, message: 'must be the id of a data table (dt_…): pick one' }),
      'dataTable',
      { ...o, expression: false },
      {},
      72,
    ),
  /** A single-line field whose value, typically an expression, may resolve to any JSON value. */
  anyValue: (o: Common<unknown> & Req & Sized) => {
    const max = o.maxLength ?? PARAM_LIMITS.long;
    return def(jsonValue(max), 'text', o, { maxLength: max }, max);
  },
};

export type ParamDefs = Record<string, ParamDef<any>>;
export type ParamsOf<P extends ParamDefs> = { [K in keyof P]: P[K] extends ParamDef<infer T> ? T : never };

export interface PortSpec {
  id: string;
  label: string;
}

/**
 * Outputs that follow a list param (a Switch's rules): one per element, whose id is its index and whose label is
 * the element's `labelKey` field, or `${labelPrefix} ${index + 1}`. They come after the spec's static outputs.
 * Declarative, so the browser draws the same handles the compiler checks (nodes/ports.ts).
 */
export interface ListOutputs {
  param: string;
  labelKey: string;
  labelPrefix: string;
  /** One more output after the list's, present while the boolean `param` is true. */
  fallback?: { param: string; port: PortSpec };
}

export type TaskQueue = 'default' | 'browser' | 'gpu';

/**
 * How the interpreter treats a node. `activity` nodes run on workers through `run.ts`;
 * the others are interpreted inside the workflow using the pure functions on their spec.
 */
export type Runtime =
  | TriggerRuntime // the web starts runs through its binding (nodes/triggers.ts)
  | {
      kind: 'activity';
      taskQueue: TaskQueue;
      /**
       * The runner only computes its output from params and input: no I/O, no credentials, no clock or
       * randomness, and its work is bounded (expressions run under the activity evaluation budget). Linear
       * chains of pure nodes then run together as one local activity on the workflow's own worker
       * (docs/decisions/027-pure-chains.md), so `taskQueue` must be `default`. Failures are not retried:
       * the same params and input fail the same way. Turning this on for a published version changes how
       * running workflows replay: it needs a new patch id in the interpreter, or a new node version.
       */
      pure?: boolean;
      /**
       * For runners that are not pure only because their work can be heavy (the Code sandbox): no I/O, no
       * credentials, no effect outside the worker, so running them again is harmless. When this returns true for
       * a node's params (its time limit is short enough to hold a workflow task), the node joins chains of pure
       * nodes and runs as a local activity like them, with failures final at once. Reads params as written in
       * the plan: only params that cannot be expressions.
       */
      localWhen?: (params: Record<string, unknown>) => boolean;
      /**
       * How long the runner may wait for a person besides its own work (a Browser node's human takeover), read from
       * the params as written in the plan (no expressions): the compiler adds it to the node's timeout, so the
       * activity's deadlines cover the wait.
       */
      peopleTimeMs?: (params: Record<string, unknown>) => number;
    }
  /** Returns the output port (or ports) the input goes down; none means every outgoing edge dies. */
  | { kind: 'branch'; route: (params: any, input: unknown) => string | string[] }
  | { kind: 'merge'; combine: (params: any, inputs: unknown[]) => unknown }
  | { kind: 'delay'; durationMs: (params: any) => number }
  /**
   * Runs a body sub-graph drawn on the canvas once per item, or until a condition holds (nodes/loop-over-items,
   * nodes/repeat-until). The body hangs off the `body` output and its results come back into the `loopEnd` input
   * (ir/loops.ts); the loop's own output is `{ done, failed }`, each going down the output of that name.
   */
  | { kind: 'loop'; plan: (params: any) => LoopPlan; until?: (params: any) => boolean }
  /** Runs another workflow's published version as a child workflow (nodes/execute-workflow). */
  | { kind: 'subworkflow'; target: (params: any) => SubworkflowTarget }
  /** Waits inside the workflow: on a durable timer, or for a resume by webhook, API or form page (nodes/wait, nodes/form). */
  | {
      kind: 'wait';
      plan: (params: any, nowMs: number) => WaitPlan;
      /**
       * What resumes the node, read from its params as written in the plan (no expressions): the run refuses a
       * resume from anything else (workflows/waits.ts). Undefined: it waits for a time, and nothing resumes it.
       */
      awaits: (params: Record<string, unknown>) => WaitSource | undefined;
    }
  /**
   * Waits inside the workflow for people to decide, on durable timers for its deadline and reminders
   * (nodes/approval, workflows/approvals.ts). `plan` reads the resolved params and the node's input.
   */
  | { kind: 'approval'; plan: (params: any, input: unknown, nowMs: number) => ApprovalPlan }
  /**
   * Calls models in a durable loop inside the workflow (nodes/llm, nodes/agent, workflows/agents.ts): each model
   * call and each tool call is an activity of its own, so a crash repeats neither. `tools` says whether the node
   * offers tools (an Agent) or only asks (an LLM node).
   */
  | { kind: 'agent'; tools: boolean };

/**
 * What a Wait node waits for. `event` waits end when the run's resume link is called (`webhook`) or the API resumes
 * the node (`signal`), or after `timeoutMs` (absent: no limit), when the input goes down the `timeout` output.
 */
export type WaitPlan = { kind: 'timer'; ms: number } | { kind: 'event'; source: WaitSource; timeoutMs?: number };

/** `form`: a Form node's page, submitted by the person filling in the form (nodes/form, app/routes/form.*). */
export type WaitSource = 'webhook' | 'signal' | 'form';

/** Who an approval level is addressed to, as written: user ids or emails, group slugs, workspace roles. */
export interface ApproverSources {
  users: string[];
  groups: string[];
  roles: string[];
}

/** What an Approval node asks for, its params resolved; the interpreter and its activities do the rest. */
export interface ApprovalPlan {
  title: string;
  summary?: string;
  data: unknown;
  approvers: ApproverSources;
  rule: ApprovalRule;
  barStarter: boolean;
  barPublisher: boolean;
  form: ApprovalFormField[];
  /** Epoch ms; absent: no deadline. */
  deadlineAt?: number;
  onDeadline: 'reject' | 'approve' | 'timed-out' | 'escalate';
  /** With `escalate`: the levels opened one after the other, each with its own deadline (after the last: timed out). */
  escalations: Array<{ approvers: ApproverSources; durationMs: number }>;
  /** Reminders to those who have not decided, this long before each level's deadline. */
  remindersMs: number[];
  smtpCredentialId?: string;
}

export interface SubworkflowTarget {
  workflowId: string;
  version: number | 'latest';
  /** Wait for the child run and output its output; otherwise output its run id at once. */
  wait: boolean;
  /** The child's trigger payload. */
  input: unknown;
}

/**
 * How a loop node iterates. `items`: once per batch of `batchSize` items of its input (an array; anything else is
 * one item), up to `concurrency` at a time; a failed iteration fails the run, or with `continueOnItemFailure` sends
 * its items down `failed`. `repeat`: the body runs with the loop's input, then with each iteration's result, until
 * `until` holds for a result (`done`) or `maxIterations` ran (`maxReached`), `delayMs` apart.
 */
export type LoopPlan =
  | { kind: 'items'; batchSize: number; concurrency: number; continueOnItemFailure: boolean }
  | { kind: 'repeat'; maxIterations: number; delayMs: number };

export interface RetryPolicy {
  maximumAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
}

export interface NodePolicy {
  retry: RetryPolicy;
  timeoutMs: number;
  /** After its last attempt fails, the node's output becomes `{ error }` and the run goes on down its outputs. */
  continueOnFail: boolean;
  /**
   * After its last attempt fails, the node's `{ error }` output goes down an extra `error` output only
   * (nodes/ports.ts ERROR_PORT), and its other outputs die. Present only when true, so plans compiled before
   * it existed keep their hashes.
   */
  errorOutput?: boolean;
  /**
   * "Tag run": after the node succeeds, each rule's value template is evaluated on its output and set as a tag of
   * the run (contracts/run-tags.ts). Present only when set, so plans compiled before it keep their hashes.
   */
  tags?: TagRule[];
}

export interface NodeSpec<P extends ParamDefs = ParamDefs> {
  type: string; // equals the folder name under nodes/
  version: number;
  title: string;
  description: string;
  category: 'trigger' | 'core' | 'flow' | 'integration' | 'ai' | 'human' | 'browser';
  icon: string;
  /** Left out of the palette: the node only arrives through an import (the n8n placeholder). */
  hiddenFromPalette?: true;
  inputs: PortSpec[];
  outputs: PortSpec[];
  /** More outputs, from a list param (see `ListOutputs`). */
  listOutputs?: ListOutputs;
  /** Outputs that exist only while a select param has one of some values (a Wait's `timeout`, for events only). */
  conditionalOutputs?: ReadonlyArray<{ port: PortSpec; when: ShowWhen }>;
  params: P;
  runtime: Runtime;
  policy?: Partial<NodePolicy>;
  /**
   * Checks across params the compiler runs on the params as written (defaults applied; expression values unresolved):
   * each problem names the param path. `incomplete` ones still let the draft save.
   */
  check?: (params: Record<string, unknown>) => ParamProblem[];
}

export interface ParamProblem {
  path: Array<string | number>;
  message: string;
  incomplete?: boolean;
}

export function defineNode<P extends ParamDefs>(spec: NodeSpec<P>): NodeSpec<P> {
  return spec;
}

export const defaultPolicy: NodePolicy = {
  retry: { maximumAttempts: 3, initialIntervalMs: 1000, backoffCoefficient: 2 },
  timeoutMs: 60_000,
  continueOnFail: false,
};

/** A credential as a runner sees it. */
export interface CredentialForStep {
  type: string;
  values: Record<string, unknown>;
  /** A value derived from the secrets (a Basic auth header, an issued access token) to scrub like them. */
  markSecret(value: string): void;
}

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
  log: {
    info: (msg: string, meta?: Record<string, unknown>) => void;
    warn: (msg: string, meta?: Record<string, unknown>) => void;
  };
  /**
   * The fields of a credential of the run's workspace, secrets in clear, when its type is one of `types`. The
   * values must not be returned, logged or stored: whatever the runner returns or throws has every secret value
   * replaced by `[secret]` before it leaves the activity. Absent where credentials cannot be used.
   */
  credential?: (id: string, types: readonly string[]) => Promise<CredentialForStep>;
  /**
   * Runs a side effect (sending an email) once per step: a retried attempt finds the mark the first one left after
   * the effect and gets its result back without doing it again (db/effect-marks.ts). `key` tells effects of one step
   * apart; the result is stored as JSON, so it must hold no secret. Absent where no store is reachable (pure chains).
   */
  once?: <T>(key: string, effect: () => Promise<T>) => Promise<{ result: T; repeated: boolean }>;
  /** Files of the run's workspace (db/files.ts, docs/decisions/046). Absent where no store is reachable (pure chains). */
  files?: RunFiles;
  /** Data tables of the run's workspace (db/data-table-rows.ts, docs/decisions/050). Absent where no store is reachable. */
  tables?: RunTables;
  /**
   * The run's workspace, from its workflow's record (never from the plan, as for credentials: decision 037);
   * undefined when the workflow is gone. Absent where no store is reachable (pure chains).
   */
  workspaceId?: () => Promise<string | undefined>;
  /**
   * Saved browser sessions (cookies and local storage) of the run's workspace, by name, encrypted at rest
   * (db/browser-sessions.ts, docs/decisions/060). The state is a secret: never output, log or record it. Absent where
   * no store is reachable (pure chains).
   */
  browserSessions?: RunBrowserSessions;
  /**
   * Hands a live page to a person and waits for them (a Browser step hit a CAPTCHA or 2FA; docs/decisions/059):
   * opens an inbox task for the run's workspace, relays the page while someone has it open, and resolves when they
   * mark it done or give up, or when `timeoutMs` passes. Absent where no store is reachable (pure chains).
   */
  takeover?: (request: TakeoverRequest) => Promise<TakeoverOutcome>;
}

/** A page a person can watch and drive from the web, whichever process holds it (contracts/browser-live.ts). */
export interface LiveSurface {
  /** Starts streaming frames to `onFrame`; the returned function stops. */
  watch(onFrame: (frame: LiveFrame) => void): Promise<() => Promise<void>>;
  /** Applies one pointer or keyboard input (already validated). */
  apply(input: LiveInput): Promise<void>;
  /** The page's URL now, secrets scrubbed. */
  url(): string;
}

/** What a runner asks a person to finish, and the page they finish it on. */
export interface TakeoverRequest {
  /** "Step 3 (click text=Verify)". */
  step: string;
  /** Why the step failed, for people to read. */
  reason: string;
  /** As written in the node: emails or user ids, group slugs and roles, separated by commas; empty: owners and admins. */
  approvers?: string;
  timeoutMs: number;
  screenshot?: FileRef;
  surface: LiveSurface;
}

/** How the person left it: done (the runner goes on), gave up, or nobody came in time. */
export interface TakeoverOutcome {
  outcome: 'done' | 'gave-up' | 'timed-out';
  /** Who decided, by name or email. */
  by?: string;
  note?: string;
}

/** How a runner stores and reads files: values travel as signed `FileRef`s, bytes stay in the store. */
export interface RunFiles {
  /** Stores `data` as a file of this step; the reference is what the runner outputs. */
  save(file: { name: string; mimeType: string; data: Buffer }): Promise<FileRef>;
  /**
   * Stores chunks as they arrive (a download): nothing is kept whole in memory. When `data` throws, what was written
   * is deleted and the error passes on, so a reader's own limit is its own error.
   */
  saveStream(file: { name: string; mimeType: string; data: AsyncIterable<Buffer> }): Promise<FileRef>;
  /**
   * The bytes of the file `value` refers to, once its reference is known to be one this Baton made for the run's
   * workspace and its size is at most `maxBytes` (checked before reading). Anything else throws a NodeError whose
   * message starts with `field` (the param's label) and says what to fix.
   */
  read(value: unknown, field: string, maxBytes: number): Promise<{ ref: FileRef; data: Buffer }>;
}

/** A saved session's name: what the Browser node's Session param and the credentials page show. */
export const BROWSER_SESSION_NAME = /^[A-Za-z0-9 _.-]{1,64}$/;

/** Playwright's storage state (`context.storageState()`): cookies, and each origin's local storage. */
export interface BrowserStorageState {
  cookies: Array<{
    name: string;
    value: string;
    domain: string;
    path: string;
    /** Unix time in seconds; -1 for a session cookie. */
    expires: number;
    httpOnly: boolean;
    secure: boolean;
    sameSite: 'Strict' | 'Lax' | 'None';
  }>;
  origins: Array<{
    origin: string;
    localStorage: Array<{ name: string; value: string }>;
    /**
     * The origin's IndexedDB databases as Playwright's `storageState({ indexedDB: true })` writes them (opaque to
     * Baton). Absent in sessions saved before IndexedDB was kept, and from engines that cannot read it.
     */
    indexedDB?: unknown[];
  }>;
}

/** How a runner loads and saves the workspace's browser sessions. */
export interface RunBrowserSessions {
  /** The state saved under `name`, or undefined when there is none (or it expired). */
  load(name: string): Promise<BrowserStorageState | undefined>;
  /** Saves (replaces) the state under `name`, recording this run as who saved it; `expiresAt` forgets it then. */
  save(name: string, state: BrowserStorageState, opts?: { expiresAt?: Date }): Promise<void>;
}

export type NodeRunner<P extends ParamDefs> = (
  ctx: RunContext,
  params: ParamsOf<P>,
  input: unknown,
) => Promise<unknown>;
