// Routes of the catalogue's management: the clinic administrator's doctors, organisation and
// change log (/clinic, role clinic_admin), the operator's organisations and specialties.
import type { ReactNode } from 'react';
import { Route } from 'react-router';
import { RequireRole } from './ui/staff/Access.js';
import { page } from './lazy.js';

const ClinicAuditPage = page(() => import('./pages/catalogue/ClinicAuditPage.js'), 'ClinicAuditPage');
const ClinicDoctorPage = page(() => import('./pages/catalogue/ClinicDoctorPage.js'), 'ClinicDoctorPage');
const ClinicDoctorsPage = page(() => import('./pages/catalogue/ClinicDoctorsPage.js'), 'ClinicDoctorsPage');
const ClinicOrganisationPage = page(
  () => import('./pages/catalogue/ClinicOrganisationPage.js'),
  'ClinicOrganisationPage',
);
const DoctorEditPage = page(() => import('./pages/catalogue/DoctorFormPage.js'), 'DoctorEditPage');
const DoctorNewPage = page(() => import('./pages/catalogue/DoctorFormPage.js'), 'DoctorNewPage');
const OperatorOrganisationsPage = page(
  () => import('./pages/catalogue/OperatorOrganisationsPages.js'),
  'OperatorOrganisationsPage',
);
const OrganisationEditPage = page(
  () => import('./pages/catalogue/OperatorOrganisationsPages.js'),
  'OrganisationEditPage',
);
const OrganisationNewPage = page(
  () => import('./pages/catalogue/OperatorOrganisationsPages.js'),
  'OrganisationNewPage',
);
const SpecialtiesPage = page(() => import('./pages/catalogue/SpecialtiesPages.js'), 'SpecialtiesPage');
const SpecialtyEditPage = page(() => import('./pages/catalogue/SpecialtiesPages.js'), 'SpecialtyEditPage');
const SpecialtyNewPage = page(() => import('./pages/catalogue/SpecialtiesPages.js'), 'SpecialtyNewPage');

// biome-ignore lint/a11y/useValidAriaRole: `role` here is the account's role (Access.tsx), not an ARIA role
const clinic = (element: ReactNode) => <RequireRole role="clinic_admin">{element}</RequireRole>;
// biome-ignore lint/a11y/useValidAriaRole: `role` here is the account's role (Access.tsx), not an ARIA role
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
