// «Визит перенесён» (SPEC section 8a): what the account that moved its visit is told — the
// in-portal entry, the e-mail and the push text, with the old time and the new one. Pure: the
// move records it with the booking write, in its transaction. As for every booking event
// (booking.emails.ts), the subject, the title and the lock-screen text never name the person,
// the doctor or the specialty.
import { formatVisitTimeRu, untilRu } from '../booking/booking.rules.js';
import type { VisitFacts } from '../booking/booking.emails.js';
import { capitalise, type NotifyEvent } from '../notify/notify.rules.js';

export const BOOKING_MOVED_SUBJECT = 'Визит перенесён';

function details(v: VisitFacts): string {
  return [
    `Пациент: ${v.personName}`,
    `Дата и время: ${formatVisitTimeRu(v.startAt, v.timeZone)} (местное время)`,
    `Врач: ${v.doctorName}, ${v.specialty}`,
    `Кабинет: ${v.room}`,
    `Адрес: ${v.organisationName}, ${v.address}`,
    `Номер записи: ${v.reference}`,
  ].join('\n');
}

/** To the account that moved the visit `old` to `moved` (the new visit: its reference and link). */
export function bookingMovedEvent(accountId: string, old: VisitFacts, moved: VisitFacts): NotifyEvent {
  const was = formatVisitTimeRu(old.startAt, old.timeZone);
  const when = formatVisitTimeRu(moved.startAt, moved.timeZone);
  return {
    accountId,
    kind: 'booking_moved',
    dedupKey: `booking_moved:${moved.appointmentId}`,
    title: BOOKING_MOVED_SUBJECT,
    body: `Запись перенесена: ${when} (местное время) вместо ${was}, кабинет ${moved.room}. Номер записи ${moved.reference}.`,
    link: `/appointments/${moved.appointmentId}`,
    push: {
      title: BOOKING_MOVED_SUBJECT,
      body: `Запись перенесена: ${when} (местное время) вместо ${was}. Подробности — на портале.`,
    },
    email: {
      subject: BOOKING_MOVED_SUBJECT,
      paragraphs: [
        'Здравствуйте!',
        `Запись на приём к врачу перенесена через Региональный портал медицинских услуг. ${capitalise(when)} (местное время) вместо ${was}. Прежнее время освободилось, и его сможет занять другой пациент.`,
        details(moved),
        `Прежний номер записи ${old.reference} больше не действует.`,
        `Если планы изменятся, перенесите или отмените запись в разделе «Моя картотека» ${untilRu(moved.cancelUntil, moved.timeZone)}. Позже — только по телефону регистратуры ${moved.phone}.`,
        `Если вы не переносили запись, позвоните в регистратуру по телефону ${moved.phone}.`,
      ],
      actionLabel: 'Открыть запись',
    },
  };
}
