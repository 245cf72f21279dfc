// Relays run events from Mongo to socket.io rooms. Workers write events wherever they run; every web process
// polls the same collection, so a browser sees live progress whatever the process layout is.
import type { Server } from 'socket.io';
import { runRoom, type RunEvent } from '../../contracts/live-events';
import { RUN_EVENT, workflowRoom } from '../../contracts/live-events';

export type PollEvents = (cursor?: string) => Promise<{ events: RunEvent[]; cursor: string }>;

export interface LiveRelay {
  /** Events this process relayed recently for a run, replayed to late subscribers (Run clicked → room joined). */
  recent(runId: string): RunEvent[];
  stop(): Promise<void>;
}

const MAX_RUNS_REMEMBERED = 500;
const MAX_EVENTS_PER_RUN = 2_000;

// With no browser connected nobody needs live events; a slow poll keeps the cursor current without scanning
// the events collection five times a second (a full scan on FerretDB).
const IDLE_INTERVAL_MS = 2_000;

export function startLiveRelay(io: Server, poll: PollEvents, intervalMs = 200): LiveRelay {
  const recentByRun = new Map<string, RunEvent[]>();
  let cursor: string | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let failures = 0;

  const remember = (event: RunEvent) => {
    let list = recentByRun.get(event.runId);
    if (!list) {
      if (recentByRun.size >= MAX_RUNS_REMEMBERED) recentByRun.delete(recentByRun.keys().next().value as string);
      recentByRun.set(event.runId, (list = []));
    }
    if (list.length < MAX_EVENTS_PER_RUN) list.push(event);
  };

  const tick = async () => {
    try {
      const page = await poll(cursor);
      cursor = page.cursor;
      for (const event of page.events) {
        remember(event);
        io.to([runRoom(event.runId), workflowRoom(event.workflowId)]).emit(RUN_EVENT, event);
      }
      failures = 0;
    } catch (err) {
      // Keep relaying after a database blip, but do not flood the log while it lasts.
      if (failures++ % 50 === 0) console.error(`[live] polling run events failed: ${(err as Error).message}`);
    }
  };

  const schedule = () => {
    if (stopped) return;
    const delay = io.engine.clientsCount > 0 ? intervalMs : IDLE_INTERVAL_MS;
    timer = setTimeout(() => {
      inFlight = tick().finally(schedule);
    }, delay);
  };

  // Start from "now": history is served by the REST API, the relay only carries what happens next.
  inFlight = poll()
    .then((page) => {
      cursor = page.cursor;
    })
    .catch((err: unknown) => console.error(`[live] initial events cursor failed: ${(err as Error).message}`))
    .finally(schedule);

  return {
    recent: (runId) => recentByRun.get(runId) ?? [],
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
