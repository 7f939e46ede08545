// The reminder the day before a visit: when it is due and what it says. Pure: the caller
// passes the clock and the organisation's time zone.
import { addDays, localDateOf, zonedToInstant } from '../../../shared/time.js';
import type { VisitFacts } from '../booking/booking.emails.js';
import { formatVisitTimeRu, untilRu } from '../booking/booking.rules.js';
import { capitalise, type NotifyEvent } from '../notify/notify.rules.js';

/** Reminders go out from this wall-clock time of the day before the visit (organisation's zone). */
export const REMINDER_FROM_TIME = '12:00';

/** From 12:00 local on the day before the visit until the visit starts. */
export function reminderWindow(
  startAt: Date,
  timeZone: string,
  fromTime = REMINDER_FROM_TIME,
): { from: Date; until: Date } {
  const dayBefore = addDays(localDateOf(startAt, timeZone), -1);
  return { from: zonedToInstant(dayBefore, fromTime, timeZone), until: startAt };
}

/**
 * Whether the reminder of a visit is due now. A visit booked after the window opened
 * gets none: its booking confirmation has just said everything.
 */
export function isReminderDue(visit: { startAt: Date; createdAt: Date; timeZone: string }, now: Date): boolean {
  const { from, until } = reminderWindow(visit.startAt, visit.timeZone);
  return (
    from.getTime() <= now.getTime() && now.getTime() < until.getTime() && visit.createdAt.getTime() < from.getTime()
  );
}

/** The longest a window can be (12:00 the day before to 23:59 on the day, plus a DST hour): the query's bound. */
export const REMINDER_LOOKAHEAD_MS = 38 * 3_600_000;

/** The visit's facts (as the booking e-mails have them) and the account that booked it. */
export type ReminderFacts = VisitFacts & { accountId: string };

export const VISIT_REMINDER_TITLE = 'Напоминание о приёме у врача';
export const VISIT_REMINDER_SUBJECT = 'Напоминание о записи на приём';

/**
 * The reminder event. The in-portal text carries the time, room and address; the lock
 * screen only the time; the e-mail body everything the booking e-mail did. The subject
 * and titles never name the person, the doctor or the specialty.
 */
export function visitReminderEvent(v: ReminderFacts, now: Date): NotifyEvent {
  const when = formatVisitTimeRu(v.startAt, v.timeZone);
  const cancelOpen = now.getTime() < v.cancelUntil.getTime();
  const cancelText = cancelOpen
    ? `Если вы не сможете прийти, отмените запись в разделе «Моя картотека» ${untilRu(v.cancelUntil, v.timeZone)} — время достанется другому пациенту.`
    : `Если вы не сможете прийти, позвоните в регистратуру по телефону ${v.phone}.`;
  return {
    accountId: v.accountId,
    kind: 'visit_reminder',
    dedupKey: `visit_reminder:${v.appointmentId}`,
    title: VISIT_REMINDER_TITLE,
    body: `${capitalise(when)} (местное время). Кабинет ${v.room}, ${v.organisationName}, ${v.address}.`,
    link: `/appointments/${v.appointmentId}`,
    push: { title: VISIT_REMINDER_TITLE, body: `${capitalise(when)} (местное время). Подробности — на портале.` },
    email: {
      subject: VISIT_REMINDER_SUBJECT,
      paragraphs: [
        'Здравствуйте!',
        'Напоминаем о записи на приём к врачу.',
        [
          `Пациент: ${v.personName}`,
          `Дата и время: ${when} (местное время)`,
          `Врач: ${v.doctorName}, ${v.specialty}`,
          `Кабинет: ${v.room}`,
          `Адрес: ${v.organisationName}, ${v.address}`,
          `Номер записи: ${v.reference}`,
        ].join('\n'),
        'Возьмите с собой паспорт, полис ОМС, СНИЛС, направление (если оно есть) и результаты предыдущих обследований.',
        cancelText,
      ],
      actionLabel: 'Открыть запись',
    },
  };
}
