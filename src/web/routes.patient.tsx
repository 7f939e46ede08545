// Routes of the patient's journeys: sign-up and login, the card file, booking, schedules.
// Pages inside <RequireAccount> send signed-out visitors to /login?next=<path>.
import { Route } from 'react-router';
import { AddPersonPage } from './pages/patient/AddPersonPage.js';
import { AppointmentPage } from './pages/patient/AppointmentPage.js';
import { RequireAccount } from './pages/patient/auth.js';
import { BookCheckPage } from './pages/patient/BookCheckPage.js';
import { BookDoctorPage } from './pages/patient/BookDoctorPage.js';
import { BookPersonPage } from './pages/patient/BookPersonPage.js';
import { BookSpecialtyPage } from './pages/patient/BookSpecialtyPage.js';
import { BookTimePage } from './pages/patient/BookTimePage.js';
import { CardFilePage } from './pages/patient/CardFilePage.js';
import { ConfirmEmailPage } from './pages/patient/ConfirmEmailPage.js';
import { DoctorSchedulePage } from './pages/patient/DoctorSchedulePage.js';
import { DoctorsPage } from './pages/patient/DoctorsPage.js';
import { EditPersonPage } from './pages/patient/EditPersonPage.js';
import { ForgotPasswordPage } from './pages/patient/ForgotPasswordPage.js';
import { LoginPage } from './pages/patient/LoginPage.js';
import { ProfilePage } from './pages/patient/ProfilePage.js';
import { ResetPasswordPage } from './pages/patient/ResetPasswordPage.js';
import { SignupPage } from './pages/patient/SignupPage.js';
import { esiaRoutes } from './routes.esia.js';

export const patientRoutes = (
  <>
    <Route path="/login" element={<LoginPage />} />
    <Route path="/signup" element={<SignupPage />} />
    <Route path="/confirm-email" element={<ConfirmEmailPage />} />
    <Route path="/forgot-password" element={<ForgotPasswordPage />} />
    <Route path="/reset-password" element={<ResetPasswordPage />} />
    {esiaRoutes}
    <Route path="/doctors" element={<DoctorsPage />} />
    <Route path="/doctors/:id" element={<DoctorSchedulePage />} />
    <Route element={<RequireAccount />}>
      <Route path="/profile" element={<ProfilePage />} />
      <Route path="/cardfile" element={<CardFilePage />} />
      <Route path="/cardfile/add" element={<AddPersonPage />} />
      <Route path="/cardfile/:personId/edit" element={<EditPersonPage />} />
      <Route path="/book" element={<BookPersonPage />} />
      <Route path="/book/:personId/specialty" element={<BookSpecialtyPage />} />
      <Route path="/book/:personId/specialty/:specialtyId" element={<BookDoctorPage />} />
      <Route path="/book/:personId/doctor/:doctorId" element={<BookTimePage />} />
      <Route path="/book/:personId/check/:slotId" element={<BookCheckPage />} />
      <Route path="/appointments/:id" element={<AppointmentPage />} />
    </Route>
  </>
);
