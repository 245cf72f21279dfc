// The listing page's install action (docs/decisions/069): "Install" opens the wizard; when this workspace has
// installed the listing already, "Installed vX · Open" leads to that workflow (and it may be installed again). What
// the wizard needs first (the signer's workspace, this workspace's installs, why a version cannot install) comes from
// GET /api/marketplace/listings/:id/install.
import { Link } from '@remix-run/react';
import { useEffect, useState } from 'react';
import type { ListingView, ListingVersionView } from '../../../contracts/marketplace';
import type { InstallPreflight } from '../../../contracts/marketplace-install';
import { allows, type Role } from '../../../contracts/permissions';
import { apiFetch } from '../../lib/api-client';
import { errorText } from '../templates/wizard-types';
import { InstallListingDialog } from './InstallListingDialog';
import '../../styles/wizard.css';
import './install.css';

export interface InstallListingButtonProps {
  listing: ListingView;
  versions: ListingVersionView[];
  /** The viewer's workspace and role on the listing page. */
  viewer: { workspaceId: string; userId: string; role: string };
}

type Load =
  { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ready'; preflight: InstallPreflight };

export function InstallListingButton({ listing, versions, viewer }: InstallListingButtonProps) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [open, setOpen] = useState(false);
  const latest = versions.find((v) => v.version === listing.latestVersion) ?? versions[0];
  const mayInstall = allows(viewer.role as Role, 'workflow.write');

  useEffect(() => {
    let live = true;
    apiFetch<InstallPreflight>(`/api/marketplace/listings/${listing.id}/install`)
      .then((preflight) => live && setLoad({ state: 'ready', preflight }))
      .catch((err) => live && setLoad({ state: 'failed', message: errorText(err) }));
    return () => {
      live = false;
    };
  }, [listing.id]);

  if (!latest) return null;
  if (load.state === 'loading')
    return (
      <span className="muted" role="status">
        <span className="spinner" /> Checking installs…
      </span>
    );
  if (load.state === 'failed')
    return (
      <span className="error-text" role="alert">
        Install is unavailable: {load.message}
      </span>
    );
  const installed = load.preflight.installed[0];
  const blocked = (load.preflight.problems[latest.version] ?? []).length > 0;
  return (
    <div className="install-action">
      {installed && (
        <span className="install-installed">
          <span className="badge succeeded">Installed v{installed.version}</span>
          <span aria-hidden="true">·</span>
          <Link to={`/workflows/${installed.workflowId}`} aria-label={`Open ${installed.workflowName}`}>
            Open
          </Link>
        </span>
      )}
      {mayInstall ? (
        <button
          className={`btn ${installed ? '' : 'primary'}`}
          type="button"
          onClick={() => setOpen(true)}
          title={blocked ? 'This version cannot be installed: the wizard says why.' : undefined}
        >
          {installed ? 'Install again' : 'Install'}
        </button>
      ) : (
        !installed && <span className="muted">Ask an editor of this workspace to install it.</span>
      )}
      {open && (
        <InstallListingDialog
          open={open}
          listing={listing}
          version={latest}
          preflight={load.preflight}
          onClose={() => setOpen(false)}
        />
      )}
    </div>
  );
}
