// An admin's two actions on another member's sign-in, in their row of the members table: a single-use password
// reset link (POST /api/members/:userId/reset), shown once under the row, and ending all their sessions
// (DELETE /api/members/:userId/sessions) after a confirmation. Both call the JSON API directly; its refusals, such
// as 403 for a member you do not outrank, show under the row.
import { useEffect, useRef, useState } from 'react';
import { dateTime } from '../../lib/format';
import { ConfirmDialog } from '../ui/ConfirmDialog';

interface Member {
  userId: string;
  name: string;
}

async function callApi<T>(method: 'POST' | 'DELETE', path: string): Promise<T> {
  const res = await fetch(path, { method, headers: { Accept: 'application/json' } });
  const body = await res.json().catch(() => undefined);
  if (!res.ok) throw new Error(body?.error?.message ?? `The server answered ${res.status}.`);
  return body as T;
}

/** The state both halves share: the buttons in the actions cell and the outcome row under the member's row. */
export function useMemberAccess(member: Member) {
  const [busy, setBusy] = useState<'reset' | 'sessions' | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [reset, setReset] = useState<{ link: string; expiresAt: string } | null>(null);
  const [ended, setEnded] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const base = `/api/members/${encodeURIComponent(member.userId)}`;

  async function run(kind: 'reset' | 'sessions', call: () => Promise<void>) {
    setBusy(kind);
    setError(null);
    try {
      await call();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
    }
  }

  return {
    member,
    busy,
    confirming,
    reset,
    ended,
    error,
    issueResetLink: () =>
      run('reset', async () => {
        setReset(null);
        setReset(await callApi<{ link: string; expiresAt: string }>('POST', `${base}/reset`));
      }),
    askToEndSessions: () => {
      setError(null);
      setConfirming(true);
    },
    cancelEndSessions: () => setConfirming(false),
    endSessions: () =>
      run('sessions', async () => {
        const answer = await callApi<{ ended: number }>('DELETE', `${base}/sessions`);
        setEnded(answer.ended);
        setConfirming(false);
      }),
    dismiss: () => {
      setReset(null);
      setEnded(null);
      setError(null);
    },
  };
}

export type MemberAccess = ReturnType<typeof useMemberAccess>;

export const hasOutcome = (access: MemberAccess) =>
  Boolean(access.reset || access.ended !== null || (access.error && !access.confirming));

export function MemberAccessButtons({ access }: { access: MemberAccess }) {
  const { member, busy } = access;
  return (
    <>
      <button
        className="btn small ghost"
        type="button"
        onClick={access.issueResetLink}
        disabled={busy !== null}
        aria-busy={busy === 'reset' || undefined}
        aria-label={`Issue a reset link for ${member.name}`}
      >
        {busy === 'reset' && <span className="spinner" />} Reset link
      </button>
      <button
        className="btn small ghost"
        type="button"
        onClick={access.askToEndSessions}
        disabled={busy !== null}
        aria-label={`End sessions of ${member.name}`}
      >
        End sessions
      </button>
      <ConfirmDialog
        open={access.confirming}
        title={`End every session of ${member.name}?`}
        confirmLabel="End sessions"
        danger
        pending={busy === 'sessions'}
        error={access.confirming ? access.error : null}
        onCancel={access.cancelEndSessions}
        onConfirm={access.endSessions}
      >
        <p>
          {member.name} is signed out in every browser and must sign in again. Their password, API tokens and role stay
          as they are.
        </p>
      </ConfirmDialog>
    </>
  );
}

/** What the last action gave: the reset link (once), how many sessions ended, or why it was refused. */
export function MemberAccessOutcome({ access }: { access: MemberAccess }) {
  const { member, reset, ended, error } = access;
  const linkField = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  const fieldId = `reset-link-${member.userId}`;

  useEffect(() => {
    setCopied(false);
    if (reset) linkField.current?.focus();
  }, [reset]);

  return (
    <div className="member-access-outcome">
      {error && !access.confirming && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}
      {reset && (
        <div className="banner info reset-link" role="status">
          <span>
            Password reset link for <strong>{member.name}</strong>, valid once until {dateTime(reset.expiresAt)}. Copy
            it now and hand it over privately; it will not be shown again.
          </span>
          <div className="invite-link">
            <label className="visually-hidden" htmlFor={fieldId}>
              Password reset link for {member.name}
            </label>
            <input
              id={fieldId}
              ref={linkField}
              className="input"
              readOnly
              value={reset.link}
              onFocus={(e) => e.currentTarget.select()}
            />
            <button
              className="btn small"
              type="button"
              onClick={() => navigator.clipboard?.writeText(reset.link).then(() => setCopied(true))}
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
        </div>
      )}
      {ended !== null && (
        <div className="banner info" role="status">
          {ended === 0
            ? `${member.name} had no open sessions.`
            : `Ended ${ended} ${ended === 1 ? 'session' : 'sessions'} of ${member.name}; they must sign in again.`}
        </div>
      )}
      <button
        className="btn small ghost"
        type="button"
        onClick={access.dismiss}
        aria-label={`Dismiss these notices about ${member.name}`}
      >
        Dismiss
      </button>
    </div>
  );
}
