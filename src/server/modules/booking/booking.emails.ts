// The booking events announced to the account (SPEC section 5): the in-portal entry, the
// e-mail and the push text. Pure: the caller records them with notify() in its
// transaction. Subjects, titles and the lock-screen text never name the person, the doctor
// or the specialty (medical secrecy); e-mail bodies carry only what the recipient's own
// card file holds.
import { capitalise, type NotifyEvent } from '../notify/notify.rules.js';
import { formatVisitTimeRu, untilRu } from './booking.rules.js';

export interface VisitFacts {
  appointmentId: string;
  reference: string;
  personName: string;
  startAt: Date;
  timeZone: string;
  doctorName: string;
  specialty: string;
  room: string;
  organisationName: string;
  address: string;
  phone: string;
  /** The cancellation cut-off instant. */
  cancelUntil: Date;
}

export const BOOKING_MADE_SUBJECT = 'Вы записаны на приём';
export const BOOKING_CANCELLED_SUBJECT = 'Запись на приём отменена';

/** Who cancelled an appointment: this account on the portal, or a channel of the clinic. */
export type CancelledBy = 'account' | 'registry' | 'doctor' | 'infomat' | 'electronic_queue' | 'clinic';

const CANCELLED_BY_TEXT: Record<CancelledBy, string> = {
  account: 'Запись отменена из вашей учётной записи на портале.',
  registry: 'Запись отменила регистратура медицинской организации.',
  doctor: 'Запись отменил врач медицинской организации.',
  infomat: 'Запись отменена через инфомат в медицинской организации.',
  electronic_queue: 'Запись отменена через электронную очередь медицинской организации.',
  clinic: 'Запись отменила медицинская организация.',
};

export function cancelledByText(by: CancelledBy): string {
  return CANCELLED_BY_TEXT[by];
}

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

/** «Вы записаны на приём»: to the account that booked. */
export function bookingMadeEvent(accountId: string, v: VisitFacts): NotifyEvent {
  const when = capitalise(formatVisitTimeRu(v.startAt, v.timeZone));
  return {
    accountId,
    kind: 'booking_made',
    dedupKey: `booking_made:${v.appointmentId}`,
    title: BOOKING_MADE_SUBJECT,
    body: `${when} (местное время), кабинет ${v.room}. Номер записи ${v.reference}.`,
    link: `/appointments/${v.appointmentId}`,
    push: { title: BOOKING_MADE_SUBJECT, body: `${when} (местное время). Подробности — на портале.` },
    email: {
      subject: BOOKING_MADE_SUBJECT,
      paragraphs: [
        'Здравствуйте!',
        'Запись на приём к врачу оформлена через Региональный портал медицинских услуг.',
        details(v),
        'Возьмите с собой паспорт, полис ОМС, СНИЛС, направление (если оно есть) и результаты предыдущих обследований; для ребёнка — его свидетельство о рождении или паспорт и паспорт родителя.',
        `Если планы изменятся, отмените запись в разделе «Моя картотека» ${untilRu(v.cancelUntil, v.timeZone)}. Позже отменить запись можно только по телефону регистратуры ${v.phone}.`,
      ],
      actionLabel: 'Открыть запись',
    },
  };
}

/** «Запись на приём отменена», saying who cancelled: to the account that booked. */
export function bookingCancelledEvent(accountId: string, v: VisitFacts, by: CancelledBy): NotifyEvent {
  const when = capitalise(formatVisitTimeRu(v.startAt, v.timeZone));
  const byText = cancelledByText(by);
  return {
    accountId,
    kind: 'booking_cancelled',
    dedupKey: `booking_cancelled:${v.appointmentId}`,
    title: BOOKING_CANCELLED_SUBJECT,
    body: `${when} (местное время). ${byText}`,
    link: `/appointments/${v.appointmentId}`,
    email: {
      subject: BOOKING_CANCELLED_SUBJECT,
      paragraphs: [
        'Здравствуйте!',
        `Запись на приём к врачу отменена. ${byText}`,
        details(v),
        by === 'account'
          ? 'Время освободилось, и его сможет занять другой пациент. Чтобы записаться снова, выберите врача и время на портале.'
          : `Чтобы записаться снова, выберите врача и время на портале. Узнать причину отмены можно в регистратуре по телефону ${v.phone}.`,
        ...(by === 'account' ? [`Если вы не отменяли запись, позвоните в регистратуру по телефону ${v.phone}.`] : []),
      ],
      actionLabel: 'Открыть запись',
    },
  };
}

export const RELEASED_TAKEN_SUBJECT = 'Ваше время заняли, визит отменён';

/**
 * «Не смогу прийти» (SPEC 8a): someone from the waitlist took the time of the released visit,
 * which is now cancelled as released by the patient. To the account that booked and released it.
 */
export function releasedTakenEvent(accountId: string, v: VisitFacts): NotifyEvent {
  const when = capitalise(formatVisitTimeRu(v.startAt, v.timeZone));
  const what = 'Вы сообщили, что не сможете прийти, и это время занял другой пациент из очереди.';
  return {
    accountId,
    kind: 'booking_cancelled',
    dedupKey: `booking_cancelled:${v.appointmentId}`,
    title: RELEASED_TAKEN_SUBJECT,
    body: `${when} (местное время). ${what} Визит отменён.`,
    link: `/appointments/${v.appointmentId}`,
    email: {
      subject: RELEASED_TAKEN_SUBJECT,
      paragraphs: [
        'Здравствуйте!',
        `${what} Запись отменена — приходить не нужно. Спасибо, что предупредили.`,
        details(v),
        'Чтобы записаться снова, выберите врача и время на портале.',
      ],
      actionLabel: 'Открыть запись',
    },
  };
}
