const LABELS: Record<string, string> = {
  queued: 'Queued',
  pending: 'Pending',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  terminated: 'Terminated',
  'timed-out': 'Timed out',
  skipped: 'Skipped',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge ${status}`} data-status={status}>
      <span className="dot" />
      {LABELS[status] ?? status}
    </span>
  );
}
