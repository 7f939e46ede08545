// Routes of the catalogue's management: the clinic administrator's doctors, organisation and
// change log (/clinic, role clinic_admin), the operator's organisations and specialties.
import type { ReactNode } from 'react';
import { Route } from 'react-router';
import { ClinicAuditPage } from './pages/catalogue/ClinicAuditPage.js';
import { ClinicDoctorPage } from './pages/catalogue/ClinicDoctorPage.js';
import { ClinicDoctorsPage } from './pages/catalogue/ClinicDoctorsPage.js';
import { ClinicOrganisationPage } from './pages/catalogue/ClinicOrganisationPage.js';
import { DoctorEditPage, DoctorNewPage } from './pages/catalogue/DoctorFormPage.js';
import {
  OperatorOrganisationsPage,
  OrganisationEditPage,
  OrganisationNewPage,
} from './pages/catalogue/OperatorOrganisationsPages.js';
import { SpecialtiesPage, SpecialtyEditPage, SpecialtyNewPage } from './pages/catalogue/SpecialtiesPages.js';
import { RequireRole } from './ui/staff/Access.js';

const clinic = (element: ReactNode) => <RequireRole role="clinic_admin">{element}</RequireRole>;
const operator = (element: ReactNode) => <RequireRole role="operator">{element}</RequireRole>;

export const catalogueRoutes = (
  <>
    <Route path="/clinic" element={clinic(<ClinicDoctorsPage />)} />
    <Route path="/clinic/doctors/new" element={clinic(<DoctorNewPage />)} />
    <Route path="/clinic/doctors/:doctorId" element={clinic(<ClinicDoctorPage />)} />
    <Route path="/clinic/doctors/:doctorId/edit" element={clinic(<DoctorEditPage />)} />
    <Route path="/clinic/organisation" element={clinic(<ClinicOrganisationPage />)} />
    <Route path="/clinic/audit" element={clinic(<ClinicAuditPage />)} />
    <Route path="/operator/organisations" element={operator(<OperatorOrganisationsPage />)} />
    <Route path="/operator/organisations/new" element={operator(<OrganisationNewPage />)} />
    <Route path="/operator/organisations/:organisationId" element={operator(<OrganisationEditPage />)} />
    <Route path="/operator/specialties" element={operator(<SpecialtiesPage />)} />
    <Route path="/operator/specialties/new" element={operator(<SpecialtyNewPage />)} />
    <Route path="/operator/specialties/:specialtyId" element={operator(<SpecialtyEditPage />)} />
  </>
);
