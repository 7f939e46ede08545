// Words of the absence pages: reasons, channels and decisions as the desk reads them.
import type { AbsenceVisit } from '../../../shared/api/absence.js';
import type { AppointmentSource } from '../../../shared/api/index.js';

export { ABSENCE_REASON_LABELS } from '../../../shared/api/absence.js';

export const SOURCE_LABELS: Record<AppointmentSource, string> = {
  portal: 'портал',
  registry: 'регистратура',
  doctor: 'врач',
  infomat: 'инфомат',
  electronic_queue: 'электронная очередь',
};

/** What was decided for a visit, for the desk's list and the call list. */
export function decisionText(v: AbsenceVisit, when: (instant: string) => string): string {
  const to = v.newVisit ? `${when(v.newVisit.startAt)}, ${v.newVisit.doctorName}, кабинет ${v.newVisit.room}` : '';
  switch (v.outcome) {
    case 'moved_by_clinic':
      return `Перенесена: ${to}`;
    case 'confirmed':
      return `Пациент подтвердил перенос: ${to}`;
    case 'declined':
      return 'Пациент отказался от переноса — запись отменена по решению медицинской организации';
    case 'expired':
      return 'Пациент не ответил на перенос — запись отменена по решению медицинской организации';
    case 'cancelled_by_clinic':
      return 'Отменена по решению медицинской организации';
    case 'cancelled_elsewhere':
      return 'Запись уже была отменена';
    default:
      return v.state === 'offered' ? `Предложен перенос: ${to} — ждём ответа пациента` : 'Решение не принято';
  }
}
