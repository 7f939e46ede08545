// Response shapes of the endpoints the patient pages call, as types from the shared contract.
import type { DoctorSummary, SessionAccount, Specialty } from '../../../shared/api/index.js';

export interface LoginResponse {
  account: SessionAccount;
  csrfToken: string;
}
export interface SpecialtiesResponse {
  specialties: Specialty[];
}
export interface DoctorsResponse {
  doctors: DoctorSummary[];
}
export interface CreatedAppointment {
  id: string;
}
