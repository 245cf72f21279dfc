// What a run's Temporal history says about how its nodes ran, for tests: activities scheduled on the server,
// local activities (recorded as markers), timers, and workflow tasks a dead worker never finished.
import proto from '@temporalio/proto';

const { EventType, TimeoutType } = proto.temporal.api.enums.v1;

export type HistoryEntry =
  | { eventId: number; kind: 'activity'; type: string }
  | { eventId: number; kind: 'local-activity'; type: string }
  | { eventId: number; kind: 'timer' }
  /** A workflow task a worker had started timed out: the worker died while running it. */
  | { eventId: number; kind: 'task-lost' };

export function historyEntries(history: proto.temporal.api.history.v1.IHistory): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (const event of history.events ?? []) {
    const eventId = Number(event.eventId);
    const marker = event.markerRecordedEventAttributes;
    if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
      entries.push({
        eventId,
        kind: 'activity',
        type: event.activityTaskScheduledEventAttributes?.activityType?.name ?? '',
      });
    } else if (
      event.eventType === EventType.EVENT_TYPE_MARKER_RECORDED &&
      marker?.markerName === 'core_local_activity'
    ) {
      // The marker's `data` holds the local activity's metadata as JSON: { activity_type, attempt, … }.
      const meta = marker.details?.data?.payloads?.[0]?.data;
      const { activity_type } = JSON.parse(meta ? new TextDecoder().decode(meta) : '{}') as { activity_type?: string };
      entries.push({ eventId, kind: 'local-activity', type: activity_type ?? '' });
    } else if (event.eventType === EventType.EVENT_TYPE_TIMER_STARTED) {
      entries.push({ eventId, kind: 'timer' });
    } else if (
      event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT &&
      event.workflowTaskTimedOutEventAttributes?.timeoutType === TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE
    ) {
      entries.push({ eventId, kind: 'task-lost' });
    }
  }
  return entries;
}

/** How many entries are of `kind` (and of `type`, for activities). */
export function countEntries(entries: HistoryEntry[], kind: HistoryEntry['kind'], type?: string): number {
  return entries.filter((e) => e.kind === kind && (type === undefined || ('type' in e && e.type === type))).length;
}
