// Shared by the registry desk's and the doctor's pages: where each one's pages and API live,
// and the words for a visit's source and status.
import type { AppointmentSource, ChannelVisit } from '../../../shared/api/index.js';
import { type Sex, visitStatusWord } from '../../../shared/agreement.js';
import { formatLocalDateTime } from '../../ui/format.js';

/** Which staff pages: the registry desk (/desk, /api/desk) or the doctor's office (/doctor, /api/doctor). */
export type StaffKind = 'desk' | 'doctor';

export const staffRole = { desk: 'registrar', doctor: 'doctor' } as const;

export function staffApi(kind: StaffKind): string {
  return kind === 'desk' ? '/api/desk' : '/api/doctor';
}

/** The booking journey's pages for a patient: /desk/patients/:id/book/… or /doctor/patients/:id/book/… */
export const bookPaths = {
  start: (kind: StaffKind, patientId: string) => `/${kind}/patients/${encodeURIComponent(patientId)}/book`,
  doctor: (kind: StaffKind, patientId: string, doctorId: number | string) =>
    `/${kind}/patients/${encodeURIComponent(patientId)}/book/doctor/${encodeURIComponent(String(doctorId))}`,
  slot: (kind: StaffKind, patientId: string, doctorId: number | string, slotId: number | string) =>
    `/${kind}/patients/${encodeURIComponent(patientId)}/book/doctor/${encodeURIComponent(String(doctorId))}/slot/${encodeURIComponent(String(slotId))}`,
};

/** Where a booking ends: the patient's page at the desk, the list of patients for a doctor. */
export function donePath(kind: StaffKind, patientId: string): string {
  return kind === 'desk' ? `/desk/patients/${encodeURIComponent(patientId)}` : '/doctor';
}

export const staffSourceLabel: Record<AppointmentSource, string> = {
  portal: 'портал',
  electronic_queue: 'электронная очередь',
  doctor: 'врач',
  registry: 'регистратура',
  infomat: 'инфомат',
};

/** A visit's status for staff, agreeing with the patient's sex («Записана», «Не пришёл»). */
export function staffStatusLabel(status: ChannelVisit['status'], sex: Sex | null): string {
  return status === 'visited' ? 'Приём состоялся' : visitStatusWord(status, sex);
}

/** What the done page passes to the page it returns to (router state, never the URL). */
export interface BookedNotice {
  booked: ChannelVisit;
  patientName: string;
}

export function isBookedNotice(v: unknown): v is BookedNotice {
  return typeof v === 'object' && v !== null && 'booked' in v && 'patientName' in v;
}

export function visitLine(v: Pick<ChannelVisit, 'localStart' | 'doctor'>): string {
  return `${formatLocalDateTime(v.localStart)}, ${v.doctor.specialty.toLowerCase()} ${v.doctor.name}, кабинет ${v.doctor.room}`;
}
