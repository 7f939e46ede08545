// Routes of a doctor's absence: the desk's closures (registrar or clinic administrator) and
// the patient's move offer (any signed-in account; the API answers only its own).
import type { ReactNode } from 'react';
import { Route } from 'react-router';
import { RequireAccount } from './pages/patient/auth.js';
import { useSession } from './session.js';
import { Forbidden, Loading, ToLogin } from './ui/staff/Access.js';
import { page } from './lazy.js';

const AbsencePage = page(() => import('./pages/absence/AbsencePage.js'), 'AbsencePage');
const AbsencesPage = page(() => import('./pages/absence/AbsencesPage.js'), 'AbsencesPage');
const CallListPage = page(() => import('./pages/absence/CallListPage.js'), 'CallListPage');
const MovePage = page(() => import('./pages/absence/MovePage.js'), 'MovePage');

function RequireDesk({ children }: { children: ReactNode }) {
  const { account, loading } = useSession();
  if (loading) return <Loading />;
  if (!account) return <ToLogin />;
  // biome-ignore lint/a11y/useValidAriaRole: `role` here is the account's role (Access.tsx), not an ARIA role
  if (account.role !== 'registrar' && account.role !== 'clinic_admin') return <Forbidden role="registrar" />;
  return <>{children}</>;
}

export const absenceRoutes = (
  <>
    <Route
      path="/desk/absences"
      element={
        <RequireDesk>
          <AbsencesPage />
        </RequireDesk>
      }
    />
    <Route
      path="/desk/absences/:absenceId"
      element={
        <RequireDesk>
          <AbsencePage />
        </RequireDesk>
      }
    />
    <Route
      path="/desk/absences/:absenceId/calls"
      element={
        <RequireDesk>
          <CallListPage />
        </RequireDesk>
      }
    />
    <Route element={<RequireAccount />}>
      <Route path="/moves/:id" element={<MovePage />} />
    </Route>
  </>
);
