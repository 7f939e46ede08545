// Routes of the clinic staff pages: the registry desk (/desk, role registrar), the doctor's
// office (/doctor, role doctor) and the schedule editor (/clinic/schedules, clinic_admin or registrar).
import type { ReactNode } from 'react';
import { Route } from 'react-router';
import {
  ClinicScheduleDoctorsPage,
  ClinicSchedulePage,
  RequireScheduleStaff,
} from './pages/clinic/ClinicSchedulePage.js';
import { DeskPatientPage } from './pages/desk/DeskPatientPage.js';
import { DeskRegisterPage } from './pages/desk/DeskRegisterPage.js';
import { DeskDoctorSchedulePage, DeskDoctorsPage } from './pages/desk/DeskSchedulesPage.js';
import { DeskSearchPage } from './pages/desk/DeskSearchPage.js';
import {
  DeskBookSpecialtyPage,
  StaffBookDoctorPage,
  StaffCheckPage,
  StaffSchedulePage,
} from './pages/desk/StaffBooking.js';
import { DoctorPatientsPage } from './pages/doctor/DoctorPatientsPage.js';
import { RequireRole } from './ui/staff/Access.js';

const desk = (element: ReactNode) => <RequireRole role="registrar">{element}</RequireRole>;
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
