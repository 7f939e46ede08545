// The words of referrals (направления) on the patient's and the doctor's pages: a referral's
// state and its dates. Pure, with a table test beside it.
import type { ReferralStateValue } from '../../../shared/api/index.js';
import { formatDate } from '../../ui/format.js';

const STATE_TEXT: Record<ReferralStateValue, string> = {
  valid: 'Действует',
  not_yet_valid: 'Ещё не действует',
  used: 'Использовано: по нему есть запись',
  expired: 'Срок истёк',
  revoked: 'Отозвано',
};

export function referralStateText(state: ReferralStateValue): string {
  return STATE_TEXT[state];
}

/** '2026-12-24' -> '24 декабря 2026 г.' */
export function formatReferralDate(localDate: string): string {
  return `${formatDate(localDate)} г.`;
}

/** Whether «Записаться по направлению» is offered: it is unused and not expired. */
export function referralBookable(state: ReferralStateValue): boolean {
  return state === 'valid' || state === 'not_yet_valid';
}

/** How to get a referral, for the public doctors' page when a specialty «по направлению» is chosen. */
export const HOW_TO_GET_REFERRAL =
  'К этому специалисту записывают только по направлению. Его выдаёт лечащий врач или участковый терапевт (для детей — участковый педиатр); выданное направление появится в личном кабинете, в картотеке, с кнопкой «Записаться по направлению».';

/**
 * What the specialty list says of a specialty «по направлению»: the person's referral, or how
 * to get one (then the specialty is not offered). Null for a specialty booked without one.
 */
export function specialtyReferralHint(s: { byReferral: boolean; referralValidUntil: string | null }): string | null {
  if (!s.byReferral) return null;
  if (s.referralValidUntil)
    return `По направлению. У вас есть направление, оно действует по ${formatReferralDate(s.referralValidUntil)}`;
  return 'Только по направлению. Его выдаёт лечащий врач или участковый терапевт (для детей — участковый педиатр); выданное направление появится в картотеке с кнопкой «Записаться по направлению»';
}
