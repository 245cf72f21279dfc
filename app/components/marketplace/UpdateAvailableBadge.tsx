// "Update available: v1.1.0" beside a workflow installed from the marketplace, in the workflow list
// (docs/decisions/069). It links to the editor, whose update notice reviews the three-way diff and applies it.
import { Link } from '@remix-run/react';
import './update-badge.css';

export function UpdateAvailableBadge({ workflowId, version }: { workflowId: string; version: string }) {
  return (
    <Link
      to={`/workflows/${workflowId}`}
      className="badge update-available"
      title={`Version ${version} of its marketplace listing is out: open the workflow to review the update`}
    >
      <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true">
        <path
          d="M8 13V3M3.5 7.5 8 3l4.5 4.5"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.8"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      Update available: v{version}
    </Link>
  );
}
