// Routes of the patient's journeys: sign-up and login, the card file, booking, schedules.
// Pages inside <RequireAccount> send signed-out visitors to /login?next=<path>.
import { Route } from 'react-router';
import { RequireAccount } from './pages/patient/auth.js';
import { esiaRoutes } from './routes.esia.js';
import { page } from './lazy.js';

const AddPersonPage = page(() => import('./pages/patient/AddPersonPage.js'), 'AddPersonPage');
const AppointmentPage = page(() => import('./pages/patient/AppointmentPage.js'), 'AppointmentPage');
const BookCheckPage = page(() => import('./pages/patient/BookCheckPage.js'), 'BookCheckPage');
const BookDoctorPage = page(() => import('./pages/patient/BookDoctorPage.js'), 'BookDoctorPage');
const BookPersonPage = page(() => import('./pages/patient/BookPersonPage.js'), 'BookPersonPage');
const BookSpecialtyPage = page(() => import('./pages/patient/BookSpecialtyPage.js'), 'BookSpecialtyPage');
const BookTimePage = page(() => import('./pages/patient/BookTimePage.js'), 'BookTimePage');
const CardFilePage = page(() => import('./pages/patient/CardFilePage.js'), 'CardFilePage');
const ConfirmEmailPage = page(() => import('./pages/patient/ConfirmEmailPage.js'), 'ConfirmEmailPage');
const DoctorSchedulePage = page(() => import('./pages/patient/DoctorSchedulePage.js'), 'DoctorSchedulePage');
const DoctorsPage = page(() => import('./pages/patient/DoctorsPage.js'), 'DoctorsPage');
const EditPersonPage = page(() => import('./pages/patient/EditPersonPage.js'), 'EditPersonPage');
const PersonHistoryPage = page(() => import('./pages/patient/PersonHistoryPage.js'), 'PersonHistoryPage');
const ForgotPasswordPage = page(() => import('./pages/patient/ForgotPasswordPage.js'), 'ForgotPasswordPage');
const LoginPage = page(() => import('./pages/patient/LoginPage.js'), 'LoginPage');
const MoveCheckPage = page(() => import('./pages/patient/MovePages.js'), 'MoveCheckPage');
const MoveDoctorPage = page(() => import('./pages/patient/MovePages.js'), 'MoveDoctorPage');
const MoveTimePage = page(() => import('./pages/patient/MovePages.js'), 'MoveTimePage');
const ProfilePage = page(() => import('./pages/patient/ProfilePage.js'), 'ProfilePage');
const ResetPasswordPage = page(() => import('./pages/patient/ResetPasswordPage.js'), 'ResetPasswordPage');
const SignupPage = page(() => import('./pages/patient/SignupPage.js'), 'SignupPage');

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
      <Route path="/cardfile/:personId/history" element={<PersonHistoryPage />} />
      <Route path="/book" element={<BookPersonPage />} />
      <Route path="/book/:personId/specialty" element={<BookSpecialtyPage />} />
      <Route path="/book/:personId/specialty/:specialtyId" element={<BookDoctorPage />} />
      <Route path="/book/:personId/doctor/:doctorId" element={<BookTimePage />} />
      <Route path="/book/:personId/check/:slotId" element={<BookCheckPage />} />
      <Route path="/appointments/:id" element={<AppointmentPage />} />
      <Route path="/appointments/:id/move" element={<MoveDoctorPage />} />
      <Route path="/appointments/:id/move/doctor/:doctorId" element={<MoveTimePage />} />
      <Route path="/appointments/:id/move/check/:slotId" element={<MoveCheckPage />} />
    </Route>
  </>
);
