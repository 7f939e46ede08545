// The waitlist events announced to the account (SPEC sections 4 and 5): joined, an offer
// (with its deadline and the link to the confirm/decline page), the offer about to expire,
// expired, removed from the waitlist, left. Pure: the caller records them with notify() in
// its transaction. Subjects, titles and lock-screen texts never name the person, the doctor
// or the specialty (medical secrecy); e-mail bodies carry only what the account's own card
// file holds. Dedup keys are per event, so nothing is announced twice.
import type { NotifyEvent } from '../notify/notify.service.js';
import { formatVisitTimeRu, untilRu } from '../booking/booking.rules.js';

export const OFFER_SUBJECT = 'Для вас освободилось время приёма';
export const OFFER_EXPIRING_SUBJECT = 'Скоро истечёт срок ответа на предложенное время';
export const OFFER_EXPIRED_SUBJECT = 'Срок ответа на предложенное время истёк';
export const REMOVED_SUBJECT = 'Вы исключены из очереди на приём';
export const JOINED_SUBJECT = 'Вы в очереди на приём';
export const LEFT_SUBJECT = 'Вы вышли из очереди на приём';
export const OFFER_ACTION = 'Подтвердить или отказаться';

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "1 предложение", "2 предложения", "5 предложений". */
export function offersWord(n: number): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return `${n} предложение`;
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return `${n} предложения`;
  return `${n} предложений`;
}

export interface OfferFacts {
  offerId: string;
  entryId: string;
  personName: string;
  startAt: Date;
  timeZone: string;
  doctorName: string;
  specialty: string;
  room: string;
  organisationName: string;
  address: string;
  phone: string;
  deadline: Date;
  /** Offers made to the entry so far, this one included. */
  offerNumber: number;
  maxOffers: number;
}

function offerDetails(f: OfferFacts): string {
  return [
    `Пациент: ${f.personName}`,
    `Дата и время: ${formatVisitTimeRu(f.startAt, f.timeZone)} (местное время)`,
    `Врач: ${f.doctorName}, ${f.specialty}`,
    `Кабинет: ${f.room}`,
    `Адрес: ${f.organisationName}, ${f.address}`,
  ].join('\n');
}

/** «Для вас освободилось время приёма»: the offer, its deadline and the one link to answer it. */
export function offerMadeEvent(accountId: string, f: OfferFacts): NotifyEvent {
  const when = capitalise(formatVisitTimeRu(f.startAt, f.timeZone));
  const until = untilRu(f.deadline, f.timeZone);
  const after = f.maxOffers - f.offerNumber;
  return {
    accountId,
    kind: 'waitlist_offer',
    dedupKey: `waitlist_offer:${f.offerId}`,
    title: OFFER_SUBJECT,
    body: `${when} (местное время), кабинет ${f.room}. Подтвердите запись или откажитесь ${until}.`,
    link: `/offers/${f.offerId}`,
    push: { title: OFFER_SUBJECT, body: `${when} (местное время). Ответьте ${until}.` },
    email: {
      subject: OFFER_SUBJECT,
      paragraphs: [
        'Здравствуйте!',
        'Вы стоите в очереди на приём к врачу, и для вас освободилось время. Оно закреплено за вами до срока ответа.',
        offerDetails(f),
        `Подтвердите запись или откажитесь ${until} (местное время). Если не ответить до этого срока, время будет предложено следующему в очереди, а предложение будет считаться отклонённым.`,
        `Это предложение ${f.offerNumber} из ${f.maxOffers}. ${
          after > 0
            ? `Если вы откажетесь, вы останетесь в очереди на прежнем месте; впереди ещё ${offersWord(after)}.`
            : 'Это последнее предложение: после отказа вы будете исключены из очереди.'
        }`,
      ],
      actionLabel: OFFER_ACTION,
    },
  };
}

/** Two hours or less left to answer. */
export function offerExpiringEvent(accountId: string, f: OfferFacts): NotifyEvent {
  const when = capitalise(formatVisitTimeRu(f.startAt, f.timeZone));
  const until = untilRu(f.deadline, f.timeZone);
  return {
    accountId,
    kind: 'offer_expiring',
    dedupKey: `offer_expiring:${f.offerId}`,
    title: OFFER_EXPIRING_SUBJECT,
    body: `${when} (местное время). Ответьте ${until}, иначе время будет предложено следующему в очереди.`,
    link: `/offers/${f.offerId}`,
    email: {
      subject: OFFER_EXPIRING_SUBJECT,
      paragraphs: [
        'Здравствуйте!',
        `Вам предложено время приёма, и срок ответа скоро истечёт: ответьте ${until} (местное время).`,
        offerDetails(f),
        'Если не ответить до этого срока, время будет предложено следующему в очереди, а предложение будет считаться отклонённым.',
      ],
      actionLabel: OFFER_ACTION,
    },
  };
}

/** The offer expired unanswered; the person stays in the waitlist at the same place. */
export function offerExpiredEvent(accountId: string, f: OfferFacts, offersLeft: number): NotifyEvent {
  const when = capitalise(formatVisitTimeRu(f.startAt, f.timeZone));
  return {
    accountId,
    kind: 'offer_expired',
    dedupKey: `offer_expired:${f.offerId}`,
    title: OFFER_EXPIRED_SUBJECT,
    body: `${when} (местное время): время предложено следующему в очереди. Вы остаётесь в очереди на прежнем месте.`,
    link: '/cardfile',
    email: {
      subject: OFFER_EXPIRED_SUBJECT,
      paragraphs: [
        'Здравствуйте!',
        'Вы не ответили на предложенное время приёма до срока, поэтому оно предложено следующему в очереди. Предложение считается отклонённым.',
        offerDetails(f),
        `Вы остаётесь в очереди на прежнем месте. Осталось ${offersWord(offersLeft)}.`,
      ],
      actionLabel: 'Моя картотека',
    },
  };
}

export interface EntryFacts {
  entryId: string;
  personName: string;
  /** The doctor's name for an entry to a doctor, null for "any doctor of the specialty". */
  doctorName: string | null;
  specialty: string;
  organisationName: string;
  address: string;
  phone: string;
  maxOffers: number;
}

function entryDetails(f: EntryFacts): string {
  return [
    `Пациент: ${f.personName}`,
    f.doctorName ? `Врач: ${f.doctorName}, ${f.specialty}` : `Любой врач специальности «${f.specialty}»`,
    `Медицинская организация: ${f.organisationName}, ${f.address}`,
  ].join('\n');
}

/** The last allowed offer was declined or expired: out of the waitlist. */
export function removedEvent(accountId: string, f: EntryFacts, lastOffer: 'declined' | 'expired'): NotifyEvent {
  const reason =
    lastOffer === 'declined'
      ? 'Вы отказались от последнего предложенного времени приёма.'
      : 'Срок ответа на последнее предложенное время приёма истёк.';
  return {
    accountId,
    kind: 'waitlist_removed',
    dedupKey: `waitlist_removed:${f.entryId}`,
    title: REMOVED_SUBJECT,
    body: `${reason} Запись в очередь завершена.`,
    link: '/cardfile',
    email: {
      subject: REMOVED_SUBJECT,
      paragraphs: [
        'Здравствуйте!',
        `${reason} Больше предложений по этой очереди не будет: запись в очередь завершена.`,
        entryDetails(f),
        `Записаться можно на свободное время в расписании врача на портале, снова встать в очередь, если свободного времени нет, или позвонить в регистратуру по телефону ${f.phone}.`,
      ],
      actionLabel: 'Моя картотека',
    },
  };
}

/** «Вы в очереди на приём». */
export function joinedEvent(accountId: string, f: EntryFacts): NotifyEvent {
  return {
    accountId,
    kind: 'waitlist_joined',
    dedupKey: `waitlist_joined:${f.entryId}`,
    title: JOINED_SUBJECT,
    body: 'Когда освободится время, мы пришлём уведомление с предложением.',
    link: '/cardfile',
    email: {
      subject: JOINED_SUBJECT,
      paragraphs: [
        'Здравствуйте!',
        'Вы встали в очередь на приём к врачу через Региональный портал медицинских услуг.',
        entryDetails(f),
        `Когда освободится время, мы пришлём уведомление: время будет закреплено за вами до срока ответа — подтвердите запись или откажитесь. Предложения приходят одно за другим, всего не больше ${f.maxOffers}; после отказа вы остаётесь в очереди на прежнем месте, после последнего — выходите из очереди.`,
        'Выйти из очереди можно в разделе «Моя картотека»: кнопка «Отменить визит» в строке очереди.',
      ],
      actionLabel: 'Моя картотека',
    },
  };
}

/** «Вы вышли из очереди на приём». */
export function leftEvent(accountId: string, f: EntryFacts): NotifyEvent {
  return {
    accountId,
    kind: 'waitlist_left',
    dedupKey: `waitlist_left:${f.entryId}`,
    title: LEFT_SUBJECT,
    body: 'Запись в очередь отменена из вашей учётной записи на портале.',
    link: '/cardfile',
    email: {
      subject: LEFT_SUBJECT,
      paragraphs: [
        'Здравствуйте!',
        'Запись в очередь на приём отменена из вашей учётной записи на портале.',
        entryDetails(f),
        `Если вы не отменяли запись в очередь, позвоните в регистратуру по телефону ${f.phone}.`,
      ],
      actionLabel: 'Моя картотека',
    },
  };
}
