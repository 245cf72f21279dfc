// The Browser node recorder's socket contract (app/lib/browser-recorder.server.ts ↔ app/components/browser/). A
// recording session lives on the socket that started it: only that socket can drive it, see its frames and steps,
// and the session ends when the socket goes. Frames and input are contracts/browser-live.ts's.
import type { LiveFrame } from './browser-live';

export const RECORDER_START = 'recorder:start';
export const RECORDER_INPUT = 'recorder:input';
export const RECORDER_GOTO = 'recorder:goto';
export const RECORDER_PICK = 'recorder:pick';
export const RECORDER_STOP = 'recorder:stop';
/** Server → client; acknowledged, and the next frame waits for the acknowledgement (a slow client gets fewer). */
export const RECORDER_FRAME = 'recorder:frame';
export const RECORDER_STEP = 'recorder:step';
export const RECORDER_STATUS = 'recorder:status';

/** The actions the recorder writes; a subset of the Browser node's (nodes/browser/spec.ts). */
export type RecordedAction =
  | 'goto'
  | 'click'
  | 'fill'
  | 'press'
  | 'select'
  | 'check'
  | 'uncheck'
  | 'extractText'
  | 'extractTable'
  | 'extractAttribute'
  | 'extractMany'
  | 'switchPage';

/** One recorded step, as the Browser node's `steps` rows hold it. */
export interface RecordedStep {
  id: string;
  action: RecordedAction;
  target: string;
  value?: string;
  name?: string;
  /** Shown beside the step: why a value is not what was typed (a password). */
  note?: string;
  /** For a picked element: what the extraction can switch to. */
  pick?: { locator: string; table?: string; text: string; attributes: Array<[string, string]> };
  /** For a picked list (extractMany, whose value is the field map): how many items match, and the picked one's values. */
  list?: { count: number; sample: Record<string, string | null> };
}

/** Client → server: open a recording of pages for a workflow's Browser node (acknowledged with RecorderAck). */
export interface RecorderStart {
  workflowId: string;
  url: string;
  /** The node's Allowed domains, so the recorder is held to what its runs will be. */
  allowedDomains?: string;
  viewport?: { width: number; height: number };
}

/** Client → server: pick mode on or off; `list` picks a repeated element for an extractMany step. */
export interface RecorderPick {
  sessionId: string;
  on: boolean;
  list?: boolean;
}

export type RecorderAck = { ok: true; sessionId: string } | { ok: false; error: string };
export type RecorderFrameMessage = { sessionId: string; frame: LiveFrame };
export type RecorderStepMessage = { sessionId: string; step: RecordedStep };
export interface RecorderStatusMessage {
  sessionId: string;
  url?: string;
  title?: string;
  picking?: boolean;
  /** With `picking`: the pick is of a list (extractMany). */
  pickingList?: boolean;
  /** Something the person should know (a refused host, a failed navigation); the session goes on. */
  error?: string;
  /** Why the session ended (closed, idle, the browser went away); nothing more will come. */
  ended?: string;
}
