// Routes of staff pages: moderation, operator settings, the development mailbox.
import type { ReactNode } from 'react';
import { Route } from 'react-router';
import { RequireRole } from './ui/staff/Access.js';
import { page } from './lazy.js';

const DevMailPage = page(() => import('./pages/staff/DevMailPage.js'), 'DevMailPage');
const ModerationPersonPage = page(() => import('./pages/staff/ModerationPersonPage.js'), 'ModerationPersonPage');
const ModerationQueuePage = page(() => import('./pages/staff/ModerationQueuePage.js'), 'ModerationQueuePage');
const OperatorPage = page(() => import('./pages/staff/OperatorPage.js'), 'OperatorPage');

// biome-ignore lint/a11y/useValidAriaRole: `role` here is the account's role (Access.tsx), not an ARIA role
const moderator = (element: ReactNode) => <RequireRole role="moderator">{element}</RequireRole>;
// biome-ignore lint/a11y/useValidAriaRole: `role` here is the account's role (Access.tsx), not an ARIA role
const operator = (element: ReactNode) => <RequireRole role="operator">{element}</RequireRole>;

export const staffRoutes = (
  <>
    <Route path="/moderation" element={moderator(<ModerationQueuePage />)} />
    <Route path="/moderation/:personId" element={moderator(<ModerationPersonPage />)} />
    <Route path="/operator" element={operator(<OperatorPage />)} />
    <Route path="/dev/mail" element={<DevMailPage />} />
  </>
);
