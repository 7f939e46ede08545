// Routes of staff pages: moderation, operator settings, the development mailbox.
import { Route } from 'react-router';
import { DevMailPage } from './pages/staff/DevMailPage.js';
import { ModerationPersonPage } from './pages/staff/ModerationPersonPage.js';
import { ModerationQueuePage } from './pages/staff/ModerationQueuePage.js';
import { OperatorPage } from './pages/staff/OperatorPage.js';
import { RequireRole } from './ui/staff/Access.js';

export const staffRoutes = (
  <>
    <Route
      path="/moderation"
      element={
        <RequireRole role="moderator">
          <ModerationQueuePage />
        </RequireRole>
      }
    />
    <Route
      path="/moderation/:personId"
      element={
        <RequireRole role="moderator">
          <ModerationPersonPage />
        </RequireRole>
      }
    />
    <Route
      path="/operator"
      element={
        <RequireRole role="operator">
          <OperatorPage />
        </RequireRole>
      }
    />
    <Route path="/dev/mail" element={<DevMailPage />} />
  </>
);
