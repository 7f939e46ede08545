// The waitlist's words (the seed guide's «Как встать в очередь…», «Как подтвердить время…»,
// «Для отказа…», «Как выйти из очереди») and small helpers shared by its pages.
import type { WaitlistEntry, WaitlistOffer } from '../../../shared/api/index.js';
import { formatLocalDateTime, plural } from '../../ui/format.js';

/** Who the entry waits for: the doctor's name, or «любой врач: терапевт». */
export function entryTarget(entry: Pick<WaitlistEntry, 'kind' | 'doctor' | 'specialty'>): string {
  if (entry.kind === 'doctor' && entry.doctor) return entry.doctor.name;
  return `любой врач: ${entry.specialty.name.toLowerCase()}`;
}

/** «3 предложения», «1 предложение», «0 предложений». */
export function offersCount(n: number): string {
  return `${n} ${plural(n, ['предложение', 'предложения', 'предложений'])}`;
}

/** What declining this offer leads to, as the confirmation step says it. */
export function declineConsequence(offer: Pick<WaitlistOffer, 'offersLeftAfter'>): string {
  return offer.offersLeftAfter <= 0
    ? 'Это последнее предложение: вы будете исключены из очереди.'
    : `Вы вернётесь в очередь на своё место. Предложений после этого останется: ${offer.offersLeftAfter}.`;
}

export const DECLINE_QUESTION = 'Отказаться от предложенного времени?';

/** The sentence after a decline, from the server's answer. */
export function declinedMessage(removed: boolean, offersLeft: number): string {
  if (removed) {
    return 'Вы отказались от последнего предложенного времени и исключены из очереди. Чтобы снова ждать свободное время, встаньте в очередь ещё раз.';
  }
  return `Вы отказались от предложенного времени и остаётесь в очереди на своём месте. Когда появится другое свободное время, мы предложим его вам (осталось ${offersCount(offersLeft)}).`;
}

/** «Ответьте до 27 ноября 2026, 09:30». */
export function answerBy(offer: Pick<WaitlistOffer, 'localDeadline'>): string {
  return `Ответьте до ${formatLocalDateTime(offer.localDeadline)}`;
}

/** Whether the offer can still be answered (pending and before its deadline). */
export function isOpen(offer: Pick<WaitlistOffer, 'status' | 'deadline'>, now: number = Date.now()): boolean {
  return offer.status === 'pending' && Date.parse(offer.deadline) > now;
}

/**
 * Why an offer can no longer be answered, for people. What became of the queue entry since
 * is told by the card file, not guessed here.
 */
export function closedOfferText(offer: Pick<WaitlistOffer, 'status'>): { title: string; text: string } {
  switch (offer.status) {
    case 'accepted':
      return {
        title: 'Вы уже подтвердили это время',
        text: 'Запись на это время создана. Она есть в «Моей картотеке» среди будущих визитов.',
      };
    case 'declined':
      return {
        title: 'Вы отказались от этого времени',
        text: 'Ответить на это предложение ещё раз нельзя. Очередь и новые предложения видны в «Моей картотеке».',
      };
    case 'withdrawn':
      return {
        title: 'Предложение больше не действует',
        text: 'Человек вышел из очереди, и предложенное время освободилось для других пациентов.',
      };
    default:
      // expired, or pending with the deadline already passed (the server has not closed it yet)
      return {
        title: 'Время ответа истекло',
        text: 'На предложение не ответили вовремя, поэтому оно считается отклонённым и время предложено другим пациентам. Очередь и новые предложения видны в «Моей картотеке».',
      };
  }
}
