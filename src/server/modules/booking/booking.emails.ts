// Texts of the booking e-mails. Pure: the caller enqueues them in its transaction.
// Subjects never name the person or the specialty (medical secrecy); bodies carry only
// what the recipient's own card file holds.
import { composeEmail } from '../notify/notify.service.js';
import { formatVisitTimeRu } from './booking.rules.js';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

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

export function bookingMadeEmail(publicUrl: string, v: VisitFacts): EmailContent {
  return {
    subject: BOOKING_MADE_SUBJECT,
    ...composeEmail({
      paragraphs: [
        'Здравствуйте!',
        'Запись на приём к врачу оформлена через Региональный портал медицинских услуг.',
        details(v),
        'Возьмите с собой паспорт, полис ОМС, СНИЛС, направление (если оно есть) и результаты предыдущих обследований; для ребёнка — его свидетельство о рождении или паспорт и паспорт родителя.',
        `Если планы изменятся, отмените запись в разделе «Моя картотека» до ${formatVisitTimeRu(v.cancelUntil, v.timeZone)}. Позже отменить запись можно только по телефону регистратуры ${v.phone}.`,
      ],
      action: { label: 'Открыть запись', url: `${publicUrl}/appointments/${v.appointmentId}` },
    }),
  };
}

export function bookingCancelledEmail(publicUrl: string, v: VisitFacts): EmailContent {
  return {
    subject: BOOKING_CANCELLED_SUBJECT,
    ...composeEmail({
      paragraphs: [
        'Здравствуйте!',
        'Запись на приём к врачу отменена через Региональный портал медицинских услуг из вашей учётной записи.',
        details(v),
        'Время освободилось, и его сможет занять другой пациент. Чтобы записаться снова, выберите врача и время на портале.',
        `Если вы не отменяли запись, позвоните в регистратуру по телефону ${v.phone}.`,
      ],
      action: { label: 'Моя картотека', url: `${publicUrl}/cardfile` },
    }),
  };
}
