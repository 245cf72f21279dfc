// Live events are best effort: the step and run records are the source of truth, so a lost event only
// delays the canvas until its next refresh, and must never fail the node that emitted it.
import type { RunEvent } from '../contracts/live-events';
import { appendEvent } from '../db/events';
import type { ActivityDeps } from './deps';

export async function emitEvent(deps: ActivityDeps, event: RunEvent): Promise<void> {
  try {
    await deps.store.events.appendEvent(event);
  } catch (err) {
    console.warn(`Live event for run ${event.runId} was not stored: ${(err as Error).message}`);
  }
}

/**
 * A model or tool call's event (contracts/live-events.ts, kind `agent`): to the web processes' inboxes only, never the
 * run's log, since the call records are what a late reader reads. Best effort, as every live event.
 */
export async function emitAgentEvent(event: Extract<RunEvent, { kind: 'agent' }>): Promise<void> {
  try {
    await appendEvent(event, { log: false });
  } catch (err) {
    console.warn(`Live agent event for run ${event.runId} was not stored: ${(err as Error).message}`);
  }
}
