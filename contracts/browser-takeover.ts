// Human takeover of a Browser step (docs/decisions/059): the inbox task a failed step opens, and the socket messages
// that carry its live page from the worker that holds it, through the web server, to the person finishing the step.
// Pure: the activity, the store, the API, the socket server and the page all read these.
import type { FileRef } from './file-ref';
import type { LiveInput } from './browser-live';

export type TakeoverStatus = 'open' | 'done' | 'gave-up' | 'timed-out' | 'cancelled' | 'superseded';

/** A takeover task as people and the API see it: never the relay's address or token. */
export interface TakeoverTask {
  id: string;
  workspaceId: string;
  workflowId: string;
  workflowName: string;
  runId: string;
  nodeId: string;
  nodeName: string;
  /** "Step 3 (click text=Verify)". */
  step: string;
  /** Why the step failed. */
  reason: string;
  /** The page's URL when the step failed, secrets scrubbed. */
  url: string;
  screenshot?: FileRef;
  /** Users who may finish it (ids), and what they were resolved from ("role admin", "ada@acme.test"). */
  eligible: string[];
  from: string[];
  status: TakeoverStatus;
  /** The activity attempt holding the page; a retry on another worker opens a new task. */
  attempt: number;
  createdAt: string;
  deadlineAt: string;
  closedAt?: string;
  decidedBy?: { id: string; name?: string };
  note?: string;
}

/** What a person decides: the step is done (the run goes on), or they give up (the step fails with their note). */
export type TakeoverDecision = 'done' | 'give-up';

export const TAKEOVER_STATUS_TEXT: Record<TakeoverStatus, string> = {
  open: 'Waiting for a person',
  done: 'Done by a person',
  'gave-up': 'Given up',
  'timed-out': 'Nobody came in time',
  cancelled: 'Cancelled with the run',
  superseded: 'Replaced by a retry',
};

/** Browser ↔ web socket messages (app/lib/browser-takeover.server.ts). */
export const TAKEOVER_JOIN = 'takeover:join';
export const TAKEOVER_LEAVE = 'takeover:leave';
export const TAKEOVER_INPUT = 'takeover:input';
export const TAKEOVER_FRAME = 'takeover:frame';
export const TAKEOVER_STATE = 'takeover:state';

export const takeoverRoom = (id: string) => `takeover:${id}`;

export type TakeoverJoinAck = { ok: true } | { ok: false; error: string };

export interface TakeoverInputMessage {
  id: string;
  input: LiveInput;
}

/** Where the live view stands: reaching the worker, showing the page, or over (with why). */
export interface TakeoverState {
  id: string;
  live: 'connecting' | 'live' | 'unreachable' | 'closed';
  url?: string;
  message?: string;
}

/** Worker relay ↔ web messages: the web authenticates with the task's relay token (activities/browser-takeover.ts). */
export const RELAY_FRAME = 'frame';
export const RELAY_INPUT = 'input';
export const RELAY_PAGE = 'page';
