// Live events are best effort: the step and run records are the source of truth, so a lost event only
// delays the canvas until its next refresh, and must never fail the node that emitted it.
import type { RunEvent } from '../contracts/live-events';
import type { ActivityDeps } from './deps';

export async function emitEvent(deps: ActivityDeps, event: RunEvent): Promise<void> {
  try {
    await deps.store.events.appendEvent(event);
  } catch (err) {
    console.warn(`Live event for run ${event.runId} was not stored: ${(err as Error).message}`);
  }
}
