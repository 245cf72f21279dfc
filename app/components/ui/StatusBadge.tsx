const LABELS: Record<string, string> = {
  queued: 'Queued',
  pending: 'Pending',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
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
