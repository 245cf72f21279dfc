// Your account: change your password, your API tokens (create with scopes and expiry, see last use, revoke) and
// your sign-in sessions (see where you are signed in, end any of them). The rules live in account.server.ts.
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation, useRouteError } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { PageLoadError } from '../components/ui/PageLoadError';
import { TOKEN_SCOPES, type TokenScope } from '../../contracts/permissions';
import { DEFAULT_TOKEN_DAYS } from '../../db/api-tokens';
import { workspacesOf } from '../../db/workspaces';
import accountCss from '../styles/account.css?url';
import {
  changePassword,
  endOtherSessions,
  endSession,
  mintToken,
  passwordChangeSchema,
  revokeToken,
  sessionList,
  tokenList,
  tokenSchema,
  type Acting,
} from '../lib/account.server';
import { requirePageActionCaller, requirePageCaller } from '../lib/auth.server';
import { dateTime, routeErrorMessage, timeAgo } from '../lib/format';
import { readForm } from '../lib/forms.server';
import { clearedSessionCookie, sessionIdFromCookie } from '../lib/session.server';
import { grantableScopes, SCOPE_LABELS } from '../lib/token-scopes';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: accountCss }];

export const meta: MetaFunction = () => [{ title: 'Account · Baton' }];

const EXPIRY_CHOICES = [7, 30, 90, 180, 365];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/account');
  const sessionId = await sessionIdFromCookie(request.headers.get('Cookie'));
  const acting: Acting = { caller, ip: context.clientIp, sessionId };
  const [tokens, sessions, workspaces] = await Promise.all([
    tokenList(caller),
    sessionList(acting),
    workspacesOf(caller.user.id),
  ]);
  return {
    user: { name: caller.user.name, email: caller.user.email },
    role: caller.scope.role,
    workspaceNames: Object.fromEntries(workspaces.map((w) => [w.id, w.name])),
    currentWorkspace: workspaces.find((w) => w.id === caller.scope.workspaceId)?.name ?? caller.scope.workspaceId,
    grantable: grantableScopes(caller.scope.role, caller.tokenScopes),
    defaultDays: DEFAULT_TOKEN_DAYS,
    tokens,
    sessions,
  };
}

type Intent = 'password' | 'create-token' | 'revoke-token' | 'revoke-session' | 'revoke-other-sessions';

export async function action({ request, context }: ActionFunctionArgs) {
  const caller = await requirePageActionCaller(request, '/account');
  const sessionId = await sessionIdFromCookie(request.headers.get('Cookie'));
  const acting: Acting = { caller, ip: context.clientIp, sessionId };
  const form = await readForm(request);
  const intent = String(form.get('intent')) as Intent;
  try {
    if (intent === 'password') {
      if (form.get('newPassword') !== form.get('confirmPassword'))
        return { intent, error: 'confirmPassword: the two new passwords differ.' };
      const input = passwordChangeSchema.safeParse(Object.fromEntries(form));
      if (!input.success) return { intent, error: firstIssue(input.error) };
      const ended = await changePassword(acting, input.data);
      return { intent, notice: `Password changed. ${plural(ended, 'other session')} signed out.` };
    }
    if (intent === 'create-token') {
      const days = Number(form.get('days') ?? DEFAULT_TOKEN_DAYS);
      const input = tokenSchema.safeParse({
        name: form.get('name'),
        scopes: form.getAll('scopes'),
        expiresAt: new Date(Date.now() + days * 24 * 60 * 60_000).toISOString(),
      });
      if (!input.success) return { intent, error: firstIssue(input.error) };
      const { token, apiToken } = await mintToken(acting, input.data);
      return { intent, created: { token, name: apiToken.name } };
    }
    if (intent === 'revoke-token') {
      const token = await revokeToken(acting, String(form.get('id')));
      return { intent, notice: `Token “${token.name}” revoked.` };
    }
    if (intent === 'revoke-session') {
      const id = String(form.get('id'));
      await endSession(acting, id);
      if (id === sessionId)
        throw redirect('/login', { headers: { 'Set-Cookie': await clearedSessionCookie(request) } });
      return { intent, notice: 'Session ended.' };
    }
    if (intent === 'revoke-other-sessions') {
      const ended = await endOtherSessions(acting);
      return { intent, notice: `${plural(ended, 'other session')} signed out.` };
    }
  } catch (err) {
    // account.server.ts refuses with JSON error responses; show their message next to the form.
    if (err instanceof Response && err.status >= 400 && err.status < 500) {
      const body = (await err.json()) as { error: { message: string } };
      return data({ intent, error: body.error.message }, { status: err.status });
    }
    throw err;
  }
  throw new Response(`Unknown action "${intent}".`, { status: 400 });
}

const plural = (n: number, noun: string) => `${n === 0 ? 'No' : n} ${noun}${n === 1 ? '' : 's'}`;

function firstIssue(error: { issues: Array<{ path: (string | number)[]; message: string }> }): string {
  const issue = error.issues[0];
  return `${issue.path.join('.') || 'form'}: ${issue.message}`;
}

type ActionData = {
  intent: Intent;
  error?: string;
  notice?: string;
  created?: { token: string; name: string };
};

export default function Account() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  return (
    <main className="page account">
      <div className="page-header">
        <div>
          <h1>Account</h1>
          <p className="muted">
            {loaded.user.name} · {loaded.user.email} · {loaded.role} in {loaded.currentWorkspace}
          </p>
        </div>
      </div>
      <PasswordCard result={result?.intent === 'password' ? result : undefined} />
      <TokensCard loaded={loaded} result={result} />
      <SessionsCard sessions={loaded.sessions} result={result} />
    </main>
  );
}

function Outcome({ result }: { result?: ActionData }) {
  if (result?.error)
    return (
      <div className="banner error" role="alert">
        {result.error}
      </div>
    );
  if (result?.notice)
    return (
      <div className="banner info" role="status">
        {result.notice}
      </div>
    );
  return null;
}

function useBusy(intent: Intent): boolean {
  const navigation = useNavigation();
  return navigation.state === 'submitting' && navigation.formData?.get('intent') === intent;
}

function PasswordCard({ result }: { result?: ActionData }) {
  const busy = useBusy('password');
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (result?.notice) form.current?.reset();
  }, [result]);
  return (
    <section className="card account-card" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <p className="muted">Changing it signs you out everywhere else.</p>
      <Outcome result={result} />
      <Form method="post" className="account-form" ref={form}>
        <input type="hidden" name="intent" value="password" />
        <div className="field">
          <label htmlFor="currentPassword">Current password</label>
          <input
            id="currentPassword"
            name="currentPassword"
            type="password"
            className="input"
            autoComplete="current-password"
            required
          />
        </div>
        <div className="field">
          <label htmlFor="newPassword">New password</label>
          <input
            id="newPassword"
            name="newPassword"
            type="password"
            className="input"
            autoComplete="new-password"
            minLength={8}
            required
          />
          <span className="hint">At least 8 characters.</span>
        </div>
        <div className="field">
          <label htmlFor="confirmPassword">New password again</label>
          <input
            id="confirmPassword"
            name="confirmPassword"
            type="password"
            className="input"
            autoComplete="new-password"
            minLength={8}
            required
          />
        </div>
        <div>
          <button className="btn primary" type="submit" disabled={busy}>
            {busy ? <span className="spinner" /> : null} Change password
          </button>
        </div>
      </Form>
    </section>
  );
}

function TokensCard({
  loaded,
  result,
}: {
  loaded: ReturnType<typeof useLoaderData<typeof loader>>;
  result?: ActionData;
}) {
  const creating = useBusy('create-token');
  const form = useRef<HTMLFormElement>(null);
  const mine = result?.intent === 'create-token' || result?.intent === 'revoke-token' ? result : undefined;
  useEffect(() => {
    if (mine?.created) form.current?.reset();
  }, [mine]);
  return (
    <section className="card account-card" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p className="muted">
        For scripts and other systems: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts in the
        workspace you are in now, with at most the scopes you give it.
      </p>
      {mine?.created ? (
        <div className="banner info token-reveal" role="status">
          <div>
            Copy “{mine.created.name}” now; it is not shown again.
            <code className="token-value" aria-label="New token">
              {mine.created.token}
            </code>
          </div>
          <button
            type="button"
            className="btn small"
            onClick={() => void navigator.clipboard?.writeText(mine.created!.token)}
          >
            Copy
          </button>
        </div>
      ) : (
        <Outcome result={mine} />
      )}
      <Form method="post" className="account-form token-form" ref={form}>
        <input type="hidden" name="intent" value="create-token" />
        <div className="field">
          <label htmlFor="token-name">Name</label>
          <input id="token-name" name="name" className="input" maxLength={100} required placeholder="CI deploys" />
        </div>
        <fieldset className="field scope-choices">
          <legend className="field-label">Scopes</legend>
          {TOKEN_SCOPES.map((scope: TokenScope) => {
            const allowed = loaded.grantable.includes(scope);
            return (
              <label key={scope} className={allowed ? undefined : 'muted'}>
                <input
                  type="checkbox"
                  name="scopes"
                  value={scope}
                  disabled={!allowed}
                  defaultChecked={scope === 'read'}
                />{' '}
                <strong>{scope}</strong> — {SCOPE_LABELS[scope]}
                {allowed ? '' : ' (not available to you)'}
              </label>
            );
          })}
        </fieldset>
        <div className="field expiry-field">
          <label htmlFor="token-days">Expires in</label>
          <select id="token-days" name="days" className="select" defaultValue={loaded.defaultDays}>
            {EXPIRY_CHOICES.map((days) => (
              <option key={days} value={days}>
                {days} days
              </option>
            ))}
          </select>
        </div>
        <div>
          <button className="btn primary" type="submit" disabled={creating}>
            {creating ? <span className="spinner" /> : null} Create token
          </button>
        </div>
      </Form>
      {loaded.tokens.length === 0 ? (
        <p className="muted empty-line">You have no API tokens yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Scopes</th>
              <th>Workspace</th>
              <th>Last used</th>
              <th>Expires</th>
              <th className="actions">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {loaded.tokens.map((token) => (
              <tr key={token.id} className={token.status === 'active' ? undefined : 'inactive'}>
                <td className="name-cell">{token.name}</td>
                <td>{token.scopes.join(', ')}</td>
                <td>{token.workspaceId ? (loaded.workspaceNames[token.workspaceId] ?? token.workspaceId) : 'Any'}</td>
                <td title={token.lastUsedAt ? dateTime(token.lastUsedAt) : undefined}>
                  {token.lastUsedAt ? timeAgo(token.lastUsedAt) : <span className="muted">Never</span>}
                </td>
                <td title={dateTime(token.expiresAt)}>
                  {token.status === 'revoked' ? (
                    <span className="badge failed">Revoked</span>
                  ) : token.status === 'expired' ? (
                    <span className="badge cancelled">Expired</span>
                  ) : (
                    timeAgo(token.expiresAt)
                  )}
                </td>
                <td className="actions">
                  {token.status === 'active' && (
                    <Form method="post">
                      <input type="hidden" name="intent" value="revoke-token" />
                      <input type="hidden" name="id" value={token.id} />
                      <button className="btn ghost small" type="submit" aria-label={`Revoke ${token.name}`}>
                        Revoke
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function SessionsCard({
  sessions,
  result,
}: {
  sessions: ReturnType<typeof useLoaderData<typeof loader>>['sessions'];
  result?: ActionData;
}) {
  const mine = result?.intent === 'revoke-session' || result?.intent === 'revoke-other-sessions' ? result : undefined;
  const others = sessions.filter((s) => !s.current).length;
  return (
    <section className="card account-card" aria-labelledby="sessions-title">
      <div className="card-title-row">
        <h2 id="sessions-title">Sessions</h2>
        {others > 0 && (
          <Form method="post">
            <input type="hidden" name="intent" value="revoke-other-sessions" />
            <button className="btn small" type="submit">
              Sign out everywhere else
            </button>
          </Form>
        )}
      </div>
      <p className="muted">
        Where you are signed in. A session ends after a while unused, and after two weeks at most.
      </p>
      <Outcome result={mine} />
      {sessions.length === 0 ? (
        <p className="muted empty-line">No browser is signed in; you are using an API token.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Browser</th>
              <th>Address</th>
              <th>Signed in</th>
              <th>Last active</th>
              <th className="actions">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((session) => (
              <tr key={session.id}>
                <td className="name-cell">
                  {browserName(session.userAgent)}{' '}
                  {session.current && <span className="badge accent">This browser</span>}
                </td>
                <td className="mono">{session.ip ?? '—'}</td>
                <td title={dateTime(session.createdAt)}>{timeAgo(session.createdAt)}</td>
                <td title={dateTime(session.lastSeenAt)}>{timeAgo(session.lastSeenAt)}</td>
                <td className="actions">
                  <Form method="post">
                    <input type="hidden" name="intent" value="revoke-session" />
                    <input type="hidden" name="id" value={session.id} />
                    <button className="btn ghost small" type="submit">
                      {session.current ? 'Sign out' : 'End session'}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A short name for a User-Agent string: enough to tell one's own browsers apart. */
function browserName(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown browser';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : userAgent.split(/[\s/]/)[0];
  const os = /Windows/.test(userAgent)
    ? 'Windows'
    : /Mac OS X/.test(userAgent)
      ? 'macOS'
      : /Android/.test(userAgent)
        ? 'Android'
        : /iPhone|iPad/.test(userAgent)
          ? 'iOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : '';
  return os ? `${browser} on ${os}` : browser;
}

export function ErrorBoundary() {
  const message = routeErrorMessage(useRouteError(), 'Unknown error');
  return (
    <main className="page">
      <PageLoadError what="your account" message={message} />
    </main>
  );
}
