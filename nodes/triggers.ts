// How triggers start runs. A trigger's spec names its binding (where its runs come from) and builds its own
// payloads, so the web serves every trigger of a binding through the registry without naming trigger types.
import type { FormTriggerPage } from '../contracts/form-page';
import { registry } from './index';

/** An HTTP request to /hooks/<workflowId>/<path>, as a webhook-bound trigger sees it. Header names are lower-case. */
export interface WebhookRequest {
  method: string;
  /** The part after /hooks/<workflowId>/. */
  path: string;
  headers: Record<string, string>;
  query: unknown;
  body: unknown;
}

/** How a caller proves it may start the run. Every secret is compared in constant time by the web. */
export type WebhookAuth =
  | { kind: 'none' }
  | { kind: 'header'; header: string; secret: string }
  | {
      kind: 'hmac';
      /** Hex HMAC of `${timestamp}.${raw body}`, optionally prefixed `<algorithm>=`. */
      signatureHeader: string;
      /** Unix time in seconds when the caller signed. */
      timestampHeader: string;
      secret: string;
      algorithm: 'sha256' | 'sha512';
      /** How far the timestamp may be from the server clock; a signature is accepted once within it. */
      toleranceSeconds: number;
    }
  | { kind: 'basic'; user: string; password: string };

/** What the webhook server needs to know about one live webhook. */
export interface WebhookSettings {
  auth: WebhookAuth;
  /** Requests per minute accepted (counted before auth); absent means no limit. */
  rateLimitPerMinute?: number;
  /** Answer with the run's output once it finishes, instead of 202 and the run id right away. */
  respondWithOutput: boolean;
}

export interface WebhookBinding {
  matches(params: any, method: string, path: string): boolean;
  settings(params: any): WebhookSettings;
  /** The run's trigger payload. It is stored and shown, so it must hold no secret. */
  payload(params: any, request: WebhookRequest): unknown;
}

/** The values each field of a cron expression matches: month 1–12, day of week 0–6 with 0 for Sunday. */
export interface CronFields {
  second: number[];
  minute: number[];
  hour: number[];
  dayOfMonth: number[];
  month: number[];
  dayOfWeek: number[];
}

/** When a schedule fires: wall-clock fields read in its time zone, or a fixed interval counted from the Unix epoch. */
export type ScheduleTiming =
  { kind: 'cron'; expression: string; fields: CronFields } | { kind: 'interval'; everySeconds: number };

/** What happens when a fire time comes while the schedule's last run is still running. */
export type ScheduleOverlap = 'skip' | 'bufferOne' | 'allowAll';

/** What the schedule server (temporal/schedules.ts) needs to know about one live schedule. */
export interface ScheduleSettings {
  timing: ScheduleTiming;
  /** IANA name; cron fields and start/end dates without an offset are read in it. */
  timeZone: string;
  /** Each fire time is delayed by a random amount up to this. */
  jitterMs: number;
  overlap: ScheduleOverlap;
  /** Fire times before it or after `endAt` are skipped. */
  startAt?: Date;
  endAt?: Date;
}

export interface ScheduleBinding {
  /** Throws ParamError naming the param when the params make no schedule. */
  settings(params: any): ScheduleSettings;
  /** Fire times strictly after `after`, in order and without jitter: for previews and to count a backfill. */
  fireTimes(settings: ScheduleSettings, after: Date): Iterable<Date>;
}

/** What the form server (app/lib/forms-*.server.ts) needs to know about one live hosted form. */
export interface FormBinding {
  /** The page visitors see, who may open it and how it ends, from the trigger's params as saved. */
  page(params: any): FormTriggerPage;
  /** The run's trigger payload from the submitted values, checked against the page's fields (files as references). */
  payload(params: any, values: Record<string, unknown>): unknown;
}

/** Who may chat: signed-in members of the workflow's workspace (no public chats yet). */
export type ChatAccess = 'members';

/** What the chat page (app/routes/chat.$workflowId.tsx) shows above a conversation, and who may hold one. */
export interface ChatPage {
  title: string;
  /** Shown above every conversation, before the first message. */
  welcome: string;
  access: ChatAccess;
}

/** What the chat server (app/lib/chat.server.ts) needs to know about one live chat. */
export interface ChatBinding {
  page(params: any): ChatPage;
  /** The run's trigger payload: the first message, and who wrote it. */
  payload(params: any, message: string, user: { id: string; name: string }): unknown;
}

interface TriggerCommon {
  kind: 'trigger';
  /** The payload of a run started by hand (editor Run button, POST /api/runs), from the caller's optional input. */
  manualPayload(params: any, provided: unknown): unknown;
}

/**
 * Where a trigger's runs come from. Every trigger can be run by hand; `manual` triggers only that way.
 * `webhook` triggers also from HTTP requests, served by app/lib/webhooks.server.ts; `schedule` triggers from a
 * Temporal Schedule that publishing creates (temporal/schedules.ts); `form` triggers from their hosted page
 * (app/routes/form.$workflowId.tsx); `chat` triggers from their chat page (app/routes/chat.$workflowId.tsx), each
 * conversation one run whose later messages are signals to it. Another source is a new variant carrying what its
 * server needs, like these.
 */
export type TriggerRuntime =
  | (TriggerCommon & { binding: 'manual' })
  | (TriggerCommon & { binding: 'webhook'; webhook: WebhookBinding })
  | (TriggerCommon & { binding: 'schedule'; schedule: ScheduleBinding })
  | (TriggerCommon & { binding: 'form'; form: FormBinding })
  | (TriggerCommon & { binding: 'chat'; chat: ChatBinding });

type NodeRef = { type: string; version: number };

export function triggerRuntimeOf(node: NodeRef): TriggerRuntime | undefined {
  const runtime = registry.get(node.type, node.version)?.runtime;
  return runtime?.kind === 'trigger' ? runtime : undefined;
}

/** The webhook binding of a node, when it is a webhook-bound trigger. */
export function webhookBindingOf(node: NodeRef): WebhookBinding | undefined {
  const runtime = triggerRuntimeOf(node);
  return runtime?.binding === 'webhook' ? runtime.webhook : undefined;
}

/** The form binding of a node, when it is a form-bound trigger. */
export function formBindingOf(node: NodeRef): FormBinding | undefined {
  const runtime = triggerRuntimeOf(node);
  return runtime?.binding === 'form' ? runtime.form : undefined;
}

/** The chat binding of a node, when it is a chat-bound trigger. */
export function chatBindingOf(node: NodeRef): ChatBinding | undefined {
  const runtime = triggerRuntimeOf(node);
  return runtime?.binding === 'chat' ? runtime.chat : undefined;
}

/** The schedule binding of a node, when it is a schedule-bound trigger. */
export function scheduleBindingOf(node: NodeRef): ScheduleBinding | undefined {
  const runtime = triggerRuntimeOf(node);
  return runtime?.binding === 'schedule' ? runtime.schedule : undefined;
}

/**
 * The trigger payload of a run a schedule started: the slot it was started for (`scheduledAt`, earlier than
 * `firedAt` for a backfilled slot) and when it actually started. Built in workflow code, from Temporal's own record.
 */
export function scheduledRunPayload(scheduledAt: Date, firedAt: Date): { scheduledAt: string; firedAt: string } {
  return { scheduledAt: scheduledAt.toISOString(), firedAt: firedAt.toISOString() };
}

/** The trigger payload of a run started by hand; `trigger` is the plan's trigger node. */
export function manualRunPayload(trigger: NodeRef & { params: Record<string, unknown> }, provided: unknown): unknown {
  const runtime = triggerRuntimeOf(trigger);
  if (!runtime)
    throw new Error(
      `Plan trigger ${trigger.type}@${trigger.version} is not a trigger type in this Baton; recompile the workflow.`,
    );
  return runtime.manualPayload(trigger.params, provided);
}
