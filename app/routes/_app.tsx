// The signed-in shell around list pages: brand, navigation, who is signed in.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, NavLink, Outlet, useLoaderData, useNavigation } from '@remix-run/react';
import { BrandMark } from '../components/ui/BrandMark';
import { requirePageUser } from '../lib/auth.server';

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePageUser(request);
  return { user: { name: user.name, email: user.email } };
}

export default function AppShell() {
  const { user } = useLoaderData<typeof loader>();
  const loading = useNavigation().state === 'loading';
  const initials = user.name
    .split(/\s+/)
    .map((part) => part[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();
  return (
    <div className="shell">
      {loading && <div className="progress-bar" role="progressbar" aria-label="Loading" />}
      <header className="topnav">
        <NavLink to="/" className="brand">
          <BrandMark /> Baton
        </NavLink>
        <nav>
          <NavLink to="/" end>
            Workflows
          </NavLink>
        </nav>
        <div className="spacer" />
        <div className="user-chip" title={user.email}>
          <span className="avatar">{initials}</span>
          {user.name}
        </div>
        <Form method="post" action="/logout">
          <button className="btn ghost small" type="submit">
            Sign out
          </button>
        </Form>
      </header>
      <Outlet />
    </div>
  );
}
