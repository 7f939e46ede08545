// Routes of the waitlist (SPEC §4): «Встать в очередь» (the person, then the type of entry),
// its done page, and the offered-time page that e-mails and notifications link to. All need
// an account: signed-out visitors sign in first and come back (RequireAccount).
import { Route } from 'react-router';
import { RequireAccount } from './pages/patient/auth.js';
import { page } from './lazy.js';

const JoinedPage = page(() => import('./pages/waitlist/JoinedPage.js'), 'JoinedPage');
const JoinKindPage = page(() => import('./pages/waitlist/JoinKindPage.js'), 'JoinKindPage');
const JoinPersonPage = page(() => import('./pages/waitlist/JoinPersonPage.js'), 'JoinPersonPage');
const OfferPage = page(() => import('./pages/waitlist/OfferPage.js'), 'OfferPage');

export const waitlistRoutes = (
  <Route element={<RequireAccount />}>
    <Route path="/waitlist/join" element={<JoinPersonPage />} />
    <Route path="/waitlist/join/kind" element={<JoinKindPage />} />
    <Route path="/waitlist/joined/:id" element={<JoinedPage />} />
    <Route path="/offers/:id" element={<OfferPage />} />
  </Route>
);
