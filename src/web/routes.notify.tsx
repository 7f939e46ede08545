// Routes of the notification pages: the in-portal list and the channel settings.
import { Route } from 'react-router';
import { RequireAccount } from './pages/patient/auth.js';
import { page } from './lazy.js';

const NotificationsPage = page(() => import('./pages/notify/NotificationsPage.js'), 'NotificationsPage');
const SettingsPage = page(() => import('./pages/notify/SettingsPage.js'), 'SettingsPage');

export const notifyRoutes = (
  <Route element={<RequireAccount />}>
    <Route path="/notifications" element={<NotificationsPage />} />
    <Route path="/settings" element={<SettingsPage />} />
  </Route>
);
