// The editor bar's "Publish to marketplace" button and its dialog (docs/decisions/068).
import { useState } from 'react';
import { PublishListingDialog } from './PublishListingDialog';

export function PublishToMarketplaceButton({ workflowId }: { workflowId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        className="btn"
        type="button"
        onClick={() => setOpen(true)}
        title="List the published version in the marketplace"
      >
        Publish to marketplace
      </button>
      <PublishListingDialog open={open} workflowId={workflowId} onClose={() => setOpen(false)} />
    </>
  );
}
