// Words for statuses and sources, and small shared bits of the patient pages.
import type { AppointmentSource, PersonStatus, Visit } from '../../../shared/api/index.js';
import { personStatusWord, type Sex, visitStatusWord } from '../../../shared/agreement.js';

export const sourceLabel: Record<AppointmentSource, string> = {
  portal: 'Региональный портал',
  electronic_queue: 'Электронная очередь',
  doctor: 'Врач медицинской организации',
  registry: 'Регистратура',
  infomat: 'Инфомат',
};

/** A visit's status, agreeing with the patient's sex («Записана», «Не пришёл»). */
export function visitStatusText(status: Visit['status'], sex: Sex | null): string {
  return visitStatusWord(status, sex);
}

/** A visit's status where the page does not know the patient's sex: words that do not depend on it. */
export const visitStatusLabel: Record<Visit['status'], string> = {
  booked: visitStatusWord('booked', null),
  cancelled: visitStatusWord('cancelled', null),
  visited: visitStatusWord('visited', null),
  no_show: visitStatusWord('no_show', null),
};

/** A status tag: the word carries the meaning and agrees with the person's sex, the colour only repeats it. */
export function StatusTag({ status, sex }: { status: PersonStatus; sex?: Sex }) {
  return (
    <span className={`tag tag-${status}`}>
      <span className="visually-hidden">Статус данных: </span>
      {personStatusWord(status, sex)}
    </span>
  );
}

export function personName(p: { lastName: string; firstName: string; middleName: string | null }): string {
  return [p.lastName, p.firstName, p.middleName].filter(Boolean).join(' ');
}

/** Why a person cannot be booked yet, or null when they can. */
export function notBookableReason(status: PersonStatus): string | null {
  if (status === 'pending')
    return 'Данные на проверке у модератора. Запись к врачу станет доступна после подтверждения.';
  if (status === 'rejected') return 'Данные отклонены модератором. Исправьте их в картотеке, чтобы записаться к врачу.';
  return null;
}

/** 'терапевт' -> 'Терапевт' (specialty names are stored in lower case). */
export function capitalise(s: string): string {
  return s ? s[0].toLocaleUpperCase('ru-RU') + s.slice(1) : s;
}
