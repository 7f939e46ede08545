// Who may see the patient pages, and where people go after signing in.
import { Navigate, Outlet, useLocation } from 'react-router';
import type { SessionAccount } from '../../../shared/api/index.js';
import { useSession } from '../../session.js';
import { Loading } from '../../ui/Loading.js';

/** Only local paths are accepted as `next` (no other sites, no protocol-relative URLs). */
export function safeNext(next: string | null): string | null {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  if (next.startsWith('/login') || next.startsWith('/signup')) return null;
  return next;
}

export function loginPath(next: string): string {
  return `/login?next=${encodeURIComponent(next)}`;
}

/** Where an account lands after signing in when no `next` was asked for. */
export function homeFor(account: SessionAccount): string {
  if (account.role === 'moderator') return '/moderation';
  if (account.role === 'operator') return '/operator';
  if (account.role === 'registrar') return '/desk';
  if (account.role === 'doctor') return '/doctor';
  if (account.role === 'clinic_admin') return '/clinic';
  return account.mainPersonStatus === null ? '/profile' : '/cardfile';
}

/** Layout route: signed-out visitors are sent to the login page and come back afterwards. */
export function RequireAccount() {
  const { account, loading } = useSession();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!account) return <Navigate replace to={loginPath(location.pathname + location.search)} />;
  return <Outlet />;
}
