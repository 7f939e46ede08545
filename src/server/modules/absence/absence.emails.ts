// What a portal account is told when the doctor's days are closed (SPEC section 5 and 8): a
// move offered (confirm or decline by a deadline), or the visit cancelled by the clinic's
// decision with the way back through the waitlist. Pure: the service records them with
// notify(). Titles and push texts name neither the person nor the doctor nor the specialty.
import { formatVisitTimeRu, onRu, untilRu } from '../booking/booking.rules.js';
import { capitalise, type NotifyEvent } from '../notify/notify.rules.js';

export const MOVE_OFFER_SUBJECT = 'Врач не сможет принять: предлагаем другое время';
export const CLINIC_CANCEL_SUBJECT = 'Запись отменена по решению медицинской организации';

export interface MoveFacts {
  offerId: string;
  personName: string;
  timeZone: string;
  organisationName: string;
  address: string;
  phone: string;
  specialty: string;
  old: { startAt: Date; doctorName: string };
  offered: { startAt: Date; doctorName: string; room: string };
  deadline: Date;
}

/** «Врач не сможет принять»: a new time with another doctor, held until the deadline. */
export function moveOfferedEvent(accountId: string, f: MoveFacts): NotifyEvent {
  const oldWhen = formatVisitTimeRu(f.old.startAt, f.timeZone);
  const newWhen = formatVisitTimeRu(f.offered.startAt, f.timeZone);
  const until = untilRu(f.deadline, f.timeZone);
  return {
    accountId,
    kind: 'absence_move_offered',
    dedupKey: `absence_move_offered:${f.offerId}`,
    title: MOVE_OFFER_SUBJECT,
    body: `Врач не сможет принять ${onRu(f.old.startAt, f.timeZone)}. Предлагаем ${newWhen} (местное время), кабинет ${f.offered.room}. Ответьте ${until}.`,
    link: `/moves/${f.offerId}`,
    push: { title: MOVE_OFFER_SUBJECT, body: `Предлагаем ${newWhen} (местное время). Ответьте ${until}.` },
    email: {
      subject: MOVE_OFFER_SUBJECT,
      paragraphs: [
        'Здравствуйте!',
        `Врач не сможет принять по записи на ${oldWhen} (местное время). ${f.organisationName} предлагает перенести приём к другому врачу той же специальности.`,
        [
          `Пациент: ${f.personName}`,
          `Было: ${capitalise(oldWhen)}, ${f.old.doctorName}, ${f.specialty}`,
          `Предлагаем: ${capitalise(newWhen)}, ${f.offered.doctorName}, кабинет ${f.offered.room}`,
          `Адрес: ${f.organisationName}, ${f.address}`,
        ].join('\n'),
        `Новое время закреплено за вами ${until} (местное время). Подтвердите перенос или откажитесь. Если отказаться или не ответить до этого срока, запись будет отменена по решению медицинской организации, и вы сможете встать в очередь к врачу этой специальности.`,
        `Вопросы — по телефону регистратуры ${f.phone}.`,
      ],
      actionLabel: 'Подтвердить или отказаться',
    },
  };
}

export interface ClinicCancelFacts {
  appointmentId: string;
  personName: string;
  startAt: Date;
  timeZone: string;
  doctorName: string;
  specialty: string;
  organisationName: string;
  phone: string;
  /** Why it ended this way: the clinic cancelled, the patient declined the move, or did not answer. */
  why: 'clinic' | 'declined' | 'expired';
  /** «Встать в очередь» for this doctor's specialty (a path in the portal), or null when the clinic keeps no waitlist. */
  waitlistLink: string | null;
}

/** «Запись отменена по решению медицинской организации», with the way back. */
export function clinicCancelledEvent(accountId: string, f: ClinicCancelFacts): NotifyEvent {
  const when = formatVisitTimeRu(f.startAt, f.timeZone);
  const lead =
    f.why === 'declined'
      ? 'Вы отказались от переноса, и запись отменена по решению медицинской организации: врач не сможет принять.'
      : f.why === 'expired'
        ? 'Срок ответа на предложение о переносе истёк, и запись отменена по решению медицинской организации: врач не сможет принять.'
        : 'Запись отменена по решению медицинской организации: врач не сможет принять.';
  const next = f.waitlistLink
    ? 'Вы можете записаться к другому врачу на портале или встать в очередь к врачу этой специальности — свободное время будет предложено вам.'
    : 'Вы можете записаться к другому врачу на портале.';
  return {
    accountId,
    kind: 'absence_visit_cancelled',
    dedupKey: `absence_visit_cancelled:${f.appointmentId}`,
    title: CLINIC_CANCEL_SUBJECT,
    body: `${capitalise(when)} (местное время). ${lead} ${next}`,
    link: f.waitlistLink,
    push: { title: CLINIC_CANCEL_SUBJECT, body: `${capitalise(when)} (местное время). Врач не сможет принять.` },
    email: {
      subject: CLINIC_CANCEL_SUBJECT,
      paragraphs: [
        'Здравствуйте!',
        lead,
        [
          `Пациент: ${f.personName}`,
          `Было: ${capitalise(when)} (местное время), ${f.doctorName}, ${f.specialty}`,
          `Медицинская организация: ${f.organisationName}`,
        ].join('\n'),
        next,
        `Вопросы — по телефону регистратуры ${f.phone}.`,
      ],
      ...(f.waitlistLink ? { actionLabel: 'Встать в очередь' } : {}),
    },
  };
}
