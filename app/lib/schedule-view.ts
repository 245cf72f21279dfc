// What GET /api/workflows/:id/schedule answers (and the schedule actions answer with), shared by the routes and
// the editor's schedule bar. Times are ISO strings.

/** When a schedule fires, in words: "Cron 0 30 9 * * MON-FRI" or "Every 2 hours". */
export interface ScheduleTimingView {
  summary: string;
  timeZone: string;
  jitterMs: number;
  overlap: 'skip' | 'bufferOne' | 'allowAll';
}

/** The Temporal Schedule as Temporal has it. */
export interface LiveScheduleView {
  paused: boolean;
  /** Why it is paused, or which version it runs. */
  note?: string;
  /** The published version whose plan it starts. */
  workflowVersion?: number;
  /** Temporal's next fire times, jitter included; five at most. */
  nextFireTimes: string[];
  /** Latest first: the runs it started, when each was due (jitter included) and when it started. */
  recentActions: Array<{ runId: string; scheduledAt: string; takenAt: string }>;
  /** Runs it started that are still running. */
  running: string[];
  actionsTaken: number;
  skippedOverlap: number;
}

export interface ScheduleView {
  workflowId: string;
  publishedVersion: number | null;
  /** The published version's schedule; null when nothing is published or its trigger is not a schedule. */
  published: null | {
    version: number;
    timing?: ScheduleTimingView;
    /** Why the published trigger's params make no schedule (set when `timing` is not). */
    problem?: string;
    /** Null when Temporal has no Schedule for it: publish again to create it. */
    live: LiveScheduleView | null;
  };
  /** The saved draft's schedule and the fire times publishing it would give; null when its trigger is not one. */
  draft: null | { timing?: ScheduleTimingView; nextFireTimes: string[]; problem?: string };
}

/** The longest backfill accepted, in fire times. */
export const MAX_BACKFILL_SLOTS = 1000;
