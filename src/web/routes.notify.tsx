// Routes of the notification pages: the in-portal list and the channel settings.
import { Route } from 'react-router';
import { RequireAccount } from './pages/patient/auth.js';
import { NotificationsPage } from './pages/notify/NotificationsPage.js';
import { SettingsPage } from './pages/notify/SettingsPage.js';

export const notifyRoutes = (
  <Route element={<RequireAccount />}>
    <Route path="/notifications" element={<NotificationsPage />} />
    <Route path="/settings" element={<SettingsPage />} />
  </Route>
);
