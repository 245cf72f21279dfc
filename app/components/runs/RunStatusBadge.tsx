// A run's status, with "Waiting for approval" for a running run that waits on people (RunInfo.awaiting).
import { StatusBadge } from '../ui/StatusBadge';

export function RunStatusBadge({ status, awaiting }: { status: string; awaiting?: string }) {
  if (status === 'running' && awaiting === 'approval')
    return (
      <span className="badge awaiting" data-status="awaiting-approval">
        <span className="dot" />
        Waiting for approval
      </span>
    );
  return <StatusBadge status={status} />;
}
