// "Publisher keys" on the workspace settings page (docs/decisions/061, 070): the ed25519 keys that sign this
// workspace's marketplace listings, with rotation (a new key signs from now on; the old one still verifies) and
// revocation (everything the key signed stops verifying), each behind a confirmation that says so. Owners and admins.
import { useEffect, useState } from 'react';
import type { PublisherKeyView } from '../../../contracts/marketplace';
import type { ImportedKeyView } from '../../../contracts/marketplace-bundle';
import { dateTime } from '../../lib/format';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import '../marketplace/listing-trust.css';

type Load =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; keys: PublisherKeyView[]; importedKeys: ImportedKeyView[] };
/** `distrust`: revoke a key kept from an imported bundle. */
type Pending = { kind: 'rotate' } | { kind: 'revoke' | 'distrust'; keyId: string } | null;

const TONE: Record<PublisherKeyView['status'], string> = { active: 'succeeded', retired: '', revoked: 'failed' };

async function call(method: 'GET' | 'POST', url: string): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, { method, credentials: 'same-origin' });
  } catch (err) {
    throw new Error(`Cannot reach the Baton server (${(err as Error).message}).`);
  }
  const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok)
    throw new Error((data.error as { message?: string } | undefined)?.message ?? `The server answered ${res.status}.`);
  return data;
}

export function PublisherKeys() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [pending, setPending] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const refresh = async () => {
    try {
      const data = await call('GET', '/api/marketplace/keys');
      setLoad({
        state: 'ready',
        keys: data.keys as PublisherKeyView[],
        importedKeys: (data.importedKeys as ImportedKeyView[] | undefined) ?? [],
      });
    } catch (err) {
      setLoad({ state: 'error', message: (err as Error).message });
    }
  };
  useEffect(() => {
    void refresh();
  }, []);

  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    setError(null);
    try {
      await call(
        'POST',
        pending.kind === 'rotate'
          ? '/api/marketplace/keys/rotate'
          : `/api/marketplace/keys/${encodeURIComponent(pending.keyId)}/revoke`,
      );
      setPending(null);
      await refresh();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="settings-section publisher-keys" aria-labelledby="publisher-keys-heading">
      <header>
        <div>
          <h2 id="publisher-keys-heading">Publisher keys</h2>
          <p className="muted">
            The keys that sign this workspace’s marketplace listings. Installs and bundle imports check these
            signatures.
          </p>
        </div>
        <button
          className="btn"
          type="button"
          disabled={load.state !== 'ready'}
          onClick={() => {
            setError(null);
            setPending({ kind: 'rotate' });
          }}
        >
          Rotate key
        </button>
      </header>
      {load.state === 'loading' && (
        <p className="muted" role="status">
          <span className="spinner" /> Loading the signing keys…
        </p>
      )}
      {load.state === 'error' && (
        <div className="banner error" role="alert">
          Could not load the signing keys: {load.message}{' '}
          <button type="button" className="btn small" onClick={() => void refresh()}>
            Try again
          </button>
        </div>
      )}
      {load.state === 'ready' && (
        <div className="card table-card">
          <table className="table">
            <thead>
              <tr>
                <th>Fingerprint</th>
                <th>Status</th>
                <th>Created</th>
                <th>Retired or revoked</th>
                <th className="actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {load.keys.map((key) => (
                <tr key={key.keyId}>
                  <td className="mono">{key.keyId}</td>
                  <td>
                    <span className={`badge ${TONE[key.status]}`}>{key.status}</span>
                  </td>
                  <td>{dateTime(key.createdAt)}</td>
                  <td>{key.revokedAt ? dateTime(key.revokedAt) : key.retiredAt ? dateTime(key.retiredAt) : '—'}</td>
                  <td className="actions">
                    {key.status !== 'revoked' && (
                      <button
                        type="button"
                        className="btn small danger"
                        aria-label={`Revoke key ${key.keyId}`}
                        onClick={() => {
                          setError(null);
                          setPending({ kind: 'revoke', keyId: key.keyId });
                        }}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {load.state === 'ready' && load.importedKeys.length > 0 && (
        <ImportedSigners
          keys={load.importedKeys}
          onRevoke={(keyId) => {
            setError(null);
            setPending({ kind: 'distrust', keyId });
          }}
        />
      )}
      <ConfirmDialog
        open={pending?.kind === 'rotate'}
        title="Rotate the signing key?"
        confirmLabel="Rotate key"
        pending={busy}
        error={error}
        onConfirm={() => void confirm()}
        onCancel={() => setPending(null)}
      >
        <p>
          A new key signs the versions you publish from now on. The current key is retired: what it signed keeps
          verifying.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={pending?.kind === 'revoke'}
        title={`Revoke key ${pending?.kind === 'revoke' ? pending.keyId : ''}?`}
        confirmLabel="Revoke key"
        danger
        pending={busy}
        error={error}
        onConfirm={() => void confirm()}
        onCancel={() => setPending(null)}
      >
        <p>
          Every listing version this key signed stops verifying on this Baton, in this workspace and in every workspace
          that imported it: installs show it as not verified, and bundles it signed are refused. Other Batons are not
          told. This cannot be undone; publish a new version to sign it with the active key.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={pending?.kind === 'distrust'}
        title={`Stop trusting key ${pending?.kind === 'distrust' ? pending.keyId : ''}?`}
        confirmLabel="Stop trusting"
        danger
        pending={busy}
        error={error}
        onConfirm={() => void confirm()}
        onCancel={() => setPending(null)}
      >
        <p>
          The listings this workspace imported with this key stop verifying, and bundles it signed are refused here.
          This cannot be undone.
        </p>
      </ConfirmDialog>
    </section>
  );
}

/** Keys kept from bundles this workspace imported: who they claim to be, and a way to stop trusting one. */
function ImportedSigners({ keys, onRevoke }: { keys: ImportedKeyView[]; onRevoke(keyId: string): void }) {
  return (
    <>
      <h3 id="imported-signers-heading">Imported signers</h3>
      <p className="muted">Keys that signed bundles imported into this workspace. They verify only those listings.</p>
      <div className="card table-card">
        <table className="table" aria-labelledby="imported-signers-heading">
          <thead>
            <tr>
              <th>Signer</th>
              <th>Fingerprint</th>
              <th>Status</th>
              <th>Imported</th>
              <th className="actions">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.keyId}>
                <td>{key.signerName || '—'}</td>
                <td className="mono">{key.keyId}</td>
                <td>
                  <span className={`badge ${key.status === 'revoked' ? 'failed' : 'succeeded'}`}>
                    {key.status === 'revoked' ? 'revoked' : 'trusted'}
                  </span>
                </td>
                <td>{dateTime(key.importedAt)}</td>
                <td className="actions">
                  {key.status !== 'revoked' && (
                    <button
                      type="button"
                      className="btn small danger"
                      aria-label={`Stop trusting key ${key.keyId}`}
                      onClick={() => onRevoke(key.keyId)}
                    >
                      Stop trusting
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
