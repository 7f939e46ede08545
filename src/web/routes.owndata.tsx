// Routes of the printable талон and of the holder's own data (152-ФЗ, issue 19).
import { Route } from 'react-router';
import { page } from './lazy.js';
import { RequireAccount } from './pages/patient/auth.js';

const TalonPage = page(() => import('./pages/owndata/TalonPage.js'), 'TalonPage');
const OwnDataPage = page(() => import('./pages/owndata/OwnDataPage.js'), 'OwnDataPage');
const DeleteAccountPage = page(() => import('./pages/owndata/DeleteAccountPage.js'), 'DeleteAccountPage');
const AccountDeletedPage = page(() => import('./pages/owndata/DeleteAccountPage.js'), 'AccountDeletedPage');
const RemovePersonPage = page(() => import('./pages/owndata/RemovePersonPage.js'), 'RemovePersonPage');

export const ownDataRoutes = (
  <>
    <Route path="/account-deleted" element={<AccountDeletedPage />} />
    <Route element={<RequireAccount />}>
      <Route path="/appointments/:id/print" element={<TalonPage />} />
      <Route path="/profile/data" element={<OwnDataPage />} />
      <Route path="/profile/delete" element={<DeleteAccountPage />} />
      <Route path="/cardfile/:personId/remove" element={<RemovePersonPage />} />
    </Route>
  </>
);
