// Relays run events from Mongo to socket.io rooms. Workers write events wherever they run and deliver them to the
// inbox of every web process (db/events.ts), so a browser sees live progress whatever the process layout is.
// Approval events go to the rooms of the users they concern, each with that user's own pending count (the badge).
import type { Server } from 'socket.io';
import { agentsRoom, runRoom, type RunEvent } from '../../contracts/live-events';
import { RUN_EVENT, workflowRoom } from '../../contracts/live-events';
import { APPROVAL_EVENT, userRoom } from '../../contracts/approvals';
import type { ApprovalDelivery, EventFeed } from '../../db/events';
import { pendingCountFor } from '../../db/approvals';

export interface LiveRelay {
  /** Events this process relayed recently for a run, replayed to late subscribers (Run clicked → room joined). */
  recent(runId: string): RunEvent[];
  /**
   * The last run-status event of each run of a workflow this process relayed recently, replayed to a late workflow
   * room subscriber (a runs list rendered before a run started, and joined after its "running" went by).
   */
  recentRunStatuses(workflowId: string): RunEvent[];
  stop(): Promise<void>;
}

const MAX_RUNS_REMEMBERED = 500;
const MAX_EVENTS_PER_RUN = 2_000;

// With no browser connected nobody needs live events; a slow poll keeps the inbox small and the reader registered.
const IDLE_INTERVAL_MS = 2_000;

export function startLiveRelay(io: Server, feed: Pick<EventFeed, 'pollLive' | 'close'>, intervalMs = 200): LiveRelay {
  const recentByRun = new Map<string, RunEvent[]>();
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
      for (const event of await feed.pollLive()) {
        if (event.kind === 'approval') {
          await relayApproval(io, event);
          continue;
        }
        remember(event);
        const rooms = [runRoom(event.runId), workflowRoom(event.workflowId)];
        if (event.kind === 'agent' && event.workspaceId) rooms.push(agentsRoom(event.workspaceId));
        io.to(rooms).emit(RUN_EVENT, event);
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

  // The first poll registers this process as a reader: history is served by the REST API, the relay only carries
  // what happens next.
  inFlight = tick().finally(schedule);

  return {
    recent: (runId) => recentByRun.get(runId) ?? [],
    recentRunStatuses: (workflowId) =>
      [...recentByRun.values()].flatMap((events) => {
        if (events[0]?.workflowId !== workflowId) return [];
        for (let i = events.length - 1; i >= 0; i--) if (events[i].kind === 'run') return [events[i]];
        return [];
      }),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
      await feed
        .close()
        .catch((err: unknown) => console.error(`[live] closing the event inbox failed: ${(err as Error).message}`));
    },
  };
}

/** Sends an approval event to each addressed user connected here, with their pending count in its workspace. */
async function relayApproval(io: Server, { event, userIds }: ApprovalDelivery): Promise<void> {
  await Promise.all(
    userIds.map(async (userId) => {
      const room = userRoom(event.workspaceId, userId);
      if (!io.sockets.adapter.rooms.get(room)?.size) return;
      const pendingCount = await pendingCountFor(event.workspaceId, userId);
      io.to(room).emit(APPROVAL_EVENT, { ...event, pendingCount });
    }),
  );
}
