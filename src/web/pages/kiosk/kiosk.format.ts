// Pure helpers of the kiosk screens: what the digit pad has typed, shown and checked.

export const POLICY_DIGITS = 16;
export const BIRTH_DIGITS = 8;

/** '1851004400000013' -> '1851 0044 0000 0013' (groups of four as typed so far). */
export function formatPolicy(digits: string): string {
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** The ДД.ММ.ГГГГ mask filled with the digits typed so far: typed part and the rest of the mask. */
export function birthMask(digits: string): { typed: string; rest: string } {
  const mask = 'ДД.ММ.ГГГГ';
  let typed = '';
  let i = 0;
  let pos = 0;
  for (; pos < mask.length && i < digits.length; pos++) {
    if (mask[pos] === '.') typed += '.';
    else typed += digits[i++];
  }
  // A finished group is followed by its dot.
  if (pos < mask.length && mask[pos] === '.' && i > 0) {
    typed += '.';
    pos++;
  }
  return { typed, rest: mask.slice(pos) };
}

/** 'DDMMYYYY' digits -> 'YYYY-MM-DD', or null when not 8 digits. */
export function birthDateOf(digits: string): string | null {
  if (!/^\d{8}$/.test(digits)) return null;
  return `${digits.slice(4, 8)}-${digits.slice(2, 4)}-${digits.slice(0, 2)}`;
}

/** Why the typed date of birth cannot be right (Russian), or null. `today` is 'YYYY-MM-DD'. */
export function birthDateProblem(digits: string, today: string): string | null {
  const iso = birthDateOf(digits);
  if (!iso) return 'Введите дату рождения полностью: день, месяц и год — 8 цифр.';
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso)
    return 'Такой даты нет. Проверьте день и месяц.';
  if (iso < '1900-01-01') return 'Проверьте год рождения.';
  if (iso > today) return 'Дата рождения не может быть позже сегодняшнего дня.';
  return null;
}

/** Spoken progress of an entry: «введено 8 из 16 цифр». */
export function digitsProgress(count: number, total: number): string {
  return `введено ${count} из ${total} ${pluralDigits(total)}`;
}

function pluralDigits(n: number): string {
  const r = new Intl.PluralRules('ru-RU').select(n);
  return r === 'one' ? 'цифры' : 'цифр';
}
