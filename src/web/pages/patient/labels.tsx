// Words for statuses and sources, and small shared bits of the patient pages.
import type { AppointmentSource, PersonStatus, Visit } from '../../../shared/api/index.js';

export const sourceLabel: Record<AppointmentSource, string> = {
  portal: 'Региональный портал',
  electronic_queue: 'Электронная очередь',
  doctor: 'Врач медицинской организации',
  registry: 'Регистратура',
  infomat: 'Инфомат',
};

export const visitStatusLabel: Record<Visit['status'], string> = {
  booked: 'Записан',
  cancelled: 'Отменена',
  visited: 'Визит состоялся',
  no_show: 'Неявка',
};

export const personStatusLabel: Record<PersonStatus, string> = {
  pending: 'На проверке',
  confirmed: 'Подтверждён',
  rejected: 'Отклонён',
};

/** A status tag: the word carries the meaning, the colour only repeats it. */
export function StatusTag({ status }: { status: PersonStatus }) {
  return (
    <span className={`tag tag-${status}`}>
      <span className="visually-hidden">Статус данных: </span>
      {personStatusLabel[status]}
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
