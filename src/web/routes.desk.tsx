// Routes of the clinic staff pages: the registry desk (/desk, role registrar), the doctor's
// office (/doctor, role doctor) and the schedule editor (/clinic/schedules, clinic_admin or registrar).
import type { ReactNode } from 'react';
import { Route } from 'react-router';
import { RequireRole } from './ui/staff/Access.js';
import { page } from './lazy.js';

const ClinicScheduleDoctorsPage = page(
  () => import('./pages/clinic/ClinicSchedulePage.js'),
  'ClinicScheduleDoctorsPage',
);
const ClinicSchedulePage = page(() => import('./pages/clinic/ClinicSchedulePage.js'), 'ClinicSchedulePage');
const RequireScheduleStaff = page(() => import('./pages/clinic/ClinicSchedulePage.js'), 'RequireScheduleStaff');
const DeskPatientPage = page(() => import('./pages/desk/DeskPatientPage.js'), 'DeskPatientPage');
const DeskRegisterPage = page(() => import('./pages/desk/DeskRegisterPage.js'), 'DeskRegisterPage');
const DeskDoctorSchedulePage = page(() => import('./pages/desk/DeskSchedulesPage.js'), 'DeskDoctorSchedulePage');
const DeskDoctorsPage = page(() => import('./pages/desk/DeskSchedulesPage.js'), 'DeskDoctorsPage');
const DeskSearchPage = page(() => import('./pages/desk/DeskSearchPage.js'), 'DeskSearchPage');
const DeskBookSpecialtyPage = page(() => import('./pages/desk/StaffBooking.js'), 'DeskBookSpecialtyPage');
const StaffBookDoctorPage = page(() => import('./pages/desk/StaffBooking.js'), 'StaffBookDoctorPage');
const StaffCheckPage = page(() => import('./pages/desk/StaffBooking.js'), 'StaffCheckPage');
const StaffSchedulePage = page(() => import('./pages/desk/StaffBooking.js'), 'StaffSchedulePage');
const DoctorPatientsPage = page(() => import('./pages/doctor/DoctorPatientsPage.js'), 'DoctorPatientsPage');
const DoctorReferralPage = page(() => import('./pages/doctor/DoctorReferralPage.js'), 'DoctorReferralPage');

// biome-ignore lint/a11y/useValidAriaRole: `role` here is the account's role (Access.tsx), not an ARIA role
const desk = (element: ReactNode) => <RequireRole role="registrar">{element}</RequireRole>;
// biome-ignore lint/a11y/useValidAriaRole: `role` here is the account's role (Access.tsx), not an ARIA role
const doctor = (element: ReactNode) => <RequireRole role="doctor">{element}</RequireRole>;

export const deskRoutes = (
  <>
    <Route path="/desk" element={desk(<DeskSearchPage />)} />
    <Route path="/desk/patients/new" element={desk(<DeskRegisterPage />)} />
    <Route path="/desk/patients/:patientId" element={desk(<DeskPatientPage />)} />
    <Route path="/desk/patients/:patientId/book" element={desk(<DeskBookSpecialtyPage />)} />
    <Route
      path="/desk/patients/:patientId/book/specialty/:specialtyId"
      element={desk(<StaffBookDoctorPage kind="desk" />)}
    />
    <Route path="/desk/patients/:patientId/book/doctor/:doctorId" element={desk(<StaffSchedulePage kind="desk" />)} />
    <Route
      path="/desk/patients/:patientId/book/doctor/:doctorId/slot/:slotId"
      element={desk(<StaffCheckPage kind="desk" />)}
    />
    <Route path="/desk/schedules" element={desk(<DeskDoctorsPage />)} />
    <Route path="/desk/schedules/:doctorId" element={desk(<DeskDoctorSchedulePage />)} />
    <Route
      path="/clinic/schedules"
      element={
        <RequireScheduleStaff>
          <ClinicScheduleDoctorsPage />
        </RequireScheduleStaff>
      }
    />
    <Route
      path="/clinic/schedules/:doctorId"
      element={
        <RequireScheduleStaff>
          <ClinicSchedulePage />
        </RequireScheduleStaff>
      }
    />
    <Route path="/doctor" element={doctor(<DoctorPatientsPage />)} />
    <Route path="/doctor/patients/:patientId/referral" element={doctor(<DoctorReferralPage />)} />
    <Route path="/doctor/patients/:patientId/book" element={doctor(<StaffBookDoctorPage kind="doctor" />)} />
    <Route
      path="/doctor/patients/:patientId/book/doctor/:doctorId"
      element={doctor(<StaffSchedulePage kind="doctor" />)}
    />
    <Route
      path="/doctor/patients/:patientId/book/doctor/:doctorId/slot/:slotId"
      element={doctor(<StaffCheckPage kind="doctor" />)}
    />
  </>
);
