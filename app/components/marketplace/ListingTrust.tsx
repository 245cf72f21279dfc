// Who signed a listing and whether its signature verifies now (docs/decisions/061, 070): the signer (a workspace
// here, or the name a bundle carried), the key fingerprint and its status, the reason a version does not verify,
// the tests badge, and the signed bundle of the latest version to take to another Baton.
import type { ListingVersionView, ListingView } from '../../../contracts/marketplace';
import { allows, ROLES, type Role } from '../../../contracts/permissions';
import { VerifiedTestsBadge } from './VerifiedTestsBadge';
import './listing-trust.css';

export interface ListingTrustProps {
  listing: ListingView;
  versions: ListingVersionView[];
  /** The viewer's workspace and role on the listing page. */
  viewer: { workspaceId: string; userId: string; role: string };
}

const KEY_STATUS: Record<ListingVersionView['keyStatus'], { label: string; tone: string; hint: string }> = {
  active: { label: 'Active key', tone: 'succeeded', hint: 'The publisher signs new versions with this key.' },
  retired: { label: 'Retired key', tone: '', hint: 'Replaced by a newer key; what it signed still verifies.' },
  revoked: { label: 'Revoked key', tone: 'failed', hint: 'The publisher revoked it: nothing it signed verifies.' },
  missing: { label: 'Unknown key', tone: 'failed', hint: 'This Baton does not have the key that signed it.' },
};

function SignatureBadge({ version }: { version: ListingVersionView }) {
  return version.verified ? (
    <span className="badge succeeded">
      <span className="dot" /> Signature verified
    </span>
  ) : (
    <span className="badge failed">
      <span className="dot" /> Not verified
    </span>
  );
}

function bundleUrl(listingId: string, version: string) {
  return `/api/marketplace/listings/${encodeURIComponent(listingId)}/versions/${encodeURIComponent(version)}/bundle`;
}

export function ListingTrust({ listing, versions, viewer }: ListingTrustProps) {
  const latest = versions[0];
  if (!latest)
    return (
      <section className="card listing-trust" aria-labelledby="trust-title">
        <h2 id="trust-title">Signature</h2>
        <p className="muted">No version is published yet, so nothing is signed.</p>
      </section>
    );
  const status = KEY_STATUS[latest.keyStatus];
  // An imported version's key may be another Baton's: whether its publisher still signs with it is not known here.
  const hint =
    latest.imported && latest.keyStatus === 'active' ? 'The key that signed the bundle; trusted here.' : status.hint;
  const signer = latest.signerName ?? latest.signerWorkspaceId;
  const unverifiedOlder = versions.slice(1).filter((v) => !v.verified);
  return (
    <section className="card listing-trust" aria-labelledby="trust-title">
      <div className="trust-head">
        <h2 id="trust-title">Signature</h2>
        <SignatureBadge version={latest} />
      </div>
      <p className="trust-signer">
        Signed by <strong>{signer}</strong> (<span className="mono">{latest.keyId}</span>)
        {latest.imported ? ', imported from a bundle' : ''}
      </p>
      {!latest.verified && latest.problem && (
        <p className="banner error trust-problem" role="status">
          v{latest.version} does not verify: {latest.problem}
        </p>
      )}
      <dl className="trust-facts">
        <dt>Key</dt>
        <dd>
          <span className={`badge ${status.tone}`}>{status.label}</span>
          <span className="muted trust-hint">{hint}</span>
        </dd>
        <dt>Signed content</dt>
        <dd>
          <span className="mono trust-hash" title={latest.payloadHash}>
            sha256 {latest.payloadHash.slice(0, 16)}…
          </span>
        </dd>
      </dl>
      <VerifiedTestsBadge
        listingId={listing.id}
        version={latest.version}
        canRun={ROLES.includes(viewer.role as Role) && allows(viewer.role as Role, 'workflow.write')}
      />
      {unverifiedOlder.length > 0 && (
        <ul className="trust-older" aria-label="Older versions that do not verify">
          {unverifiedOlder.map((v) => (
            <li key={v.version}>
              <strong>v{v.version}</strong> does not verify: {v.problem || 'its signature does not hold.'}
            </li>
          ))}
        </ul>
      )}
      {latest.verified ? (
        <>
          <a className="btn" href={bundleUrl(listing.id, latest.version)} download>
            Download signed bundle
          </a>
          <p className="muted trust-note">
            A bundle file carries v{latest.version} and its signature to another Baton, which refuses it if any byte
            changed.
          </p>
        </>
      ) : (
        <p className="muted trust-note">A version that does not verify cannot be exported as a signed bundle.</p>
      )}
    </section>
  );
}
