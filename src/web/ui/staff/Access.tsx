// Access to staff pages: a signed-out visitor goes to the login page (and comes back
// after it); a signed-in account without the role is told so. The server decides in the
// end: pages show the same refusal when the API answers 401 or 403.
import type { ReactNode } from 'react';
import { Link, Navigate, useLocation } from 'react-router';
import type { Role } from '../../../shared/api/index.js';
import type { ApiError } from '../../api.js';
import { useSession } from '../../session.js';
import { ErrorSummary } from '../ErrorSummary.js';
import { Page } from '../Page.js';

const roleNames: Record<Role, string> = {
  patient: 'пациентов',
  moderator: 'модераторов',
  operator: 'операторов системы',
  registrar: 'сотрудников регистратуры',
  doctor: 'врачей',
  clinic_admin: 'администраторов медицинской организации',
};

export function Loading({ label = 'Загрузка…' }: { label?: string }) {
  return (
    <p className="staff-loading" role="status">
      {label}
    </p>
  );
}

/** Sends the visitor to the login page with a way back here. */
export function ToLogin() {
  const location = useLocation();
  const next = `${location.pathname}${location.search}`;
  return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
}

export function Forbidden({ role }: { role?: Role }) {
  return (
    <Page title="Недостаточно прав">
      <p>
        {role
          ? `Эта страница доступна только сотрудникам: для ${roleNames[role]}.`
          : 'Эта страница доступна только сотрудникам с особыми правами.'}{' '}
        Если вы считаете, что это ошибка, обратитесь к администратору портала.
      </p>
      <p>
        <Link to="/">На главную</Link>
      </p>
    </Page>
  );
}

export function RequireRole({ role, children }: { role: Role; children: ReactNode }) {
  const { account, loading } = useSession();
  if (loading) return <Loading />;
  if (!account) return <ToLogin />;
  if (account.role !== role) return <Forbidden role={role} />;
  return <>{children}</>;
}

/**
 * What a page shows when loading its data failed: the login page for 401, the refusal
 * for 403, otherwise the message in an error summary with a way to try again.
 */
export function LoadProblem({
  title,
  error,
  role,
  onRetry,
  back,
}: {
  title: string;
  error: ApiError;
  role?: Role;
  onRetry?: () => void;
  back?: { to: string; label?: string };
}) {
  if (error.status === 401) return <ToLogin />;
  if (error.status === 403 && error.code !== 'CSRF_FAILED') return <Forbidden role={role} />;
  return (
    <Page title={title} back={back}>
      <ErrorSummary message={error.message} />
      {onRetry && (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          Попробовать снова
        </button>
      )}
    </Page>
  );
}
