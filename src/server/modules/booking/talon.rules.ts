// The printable талон (issue 19): what it says and its QR code, and how a scanned or typed
// reference is read back at the desk and the kiosk. Pure functions; talon.rules.test.ts.
import { RUSSIAN_TIME_ZONES } from '../../../shared/api/catalogue-admin.js';
import { REFERENCE_ALPHABET, REFERENCE_PREFIX } from './booking.rules.js';

/**
 * The patient on a talon that may be lost: initials only, surname first («И. А. С.»), never
 * the full name. A missing patronymic is left out.
 */
export function patientInitials(p: { lastName: string; firstName: string; middleName: string | null }): string {
  return [p.lastName, p.firstName, p.middleName ?? '']
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => `${part[0]?.toLocaleUpperCase('ru-RU')}.`)
    .join(' ');
}

/**
 * What the QR code holds: the reference in Latin letters («PR-7K3M92QD»). A barcode scanner
 * types what it reads as key presses, and most cannot type Cyrillic: «ПР-» would arrive as
 * garbage. The code part is Latin letters and digits already.
 */
export function qrTextOf(reference: string): string {
  return reference.startsWith(REFERENCE_PREFIX) ? `PR-${reference.slice(REFERENCE_PREFIX.length)}` : reference;
}

/** «по времени: Самара, Ижевск (МСК+1)» — the organisation's zone by what a person recognises it. */
export function zoneLabelRu(timeZone: string): string {
  const known = RUSSIAN_TIME_ZONES.find((z) => z.zone === timeZone);
  return `время местное: ${known ? known.label : timeZone}`;
}

/**
 * The SVG path of a QR matrix (`size` × `size`, row by row, 1 = dark): one rectangle per
 * horizontal run of dark modules, in module units. The caller adds the quiet zone.
 */
export function qrPath(size: number, dark: (x: number, y: number) => boolean): string {
  const parts: string[] = [];
  for (let y = 0; y < size; y++) {
    let x = 0;
    while (x < size) {
      if (!dark(x, y)) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && dark(x, y)) x++;
      const run = x - start;
      parts.push(`M${start} ${y}h${run}v1h-${run}z`);
    }
  }
  return parts.join('');
}

// Russian ЙЦУКЕН keys -> the Latin letter on the same key (a scanner typing «PR-7K3M» while the
// computer's layout is Russian sends «ЗК-7Л3Ь»).
const LAYOUT_RU = 'ЙЦУКЕНГШЩЗФЫВАПРОЛДЯЧСМИТЬ';
const LAYOUT_EN = 'QWERTYUIOPASDFGHJKLZXCVBNM';
// Cyrillic letters that look like Latin ones (someone retyping the talon by eye in a Russian layout).
const LOOKALIKE_RU = 'АВЕКМНОРСТХУ';
const LOOKALIKE_EN = 'ABEKMHOPCTXY';

function mapLetters(text: string, from: string, to: string): string {
  let out = '';
  for (const ch of text) {
    const i = from.indexOf(ch);
    out += i >= 0 ? to[i] : ch;
  }
  return out;
}

const CODE = new RegExp(`^[${REFERENCE_ALPHABET}]{8}$`);

/**
 * The references a scanned or typed text may stand for (a few at most), or none when it cannot be
 * one: case, spaces and the prefix («ПР-», «PR-», «ЗК-» — PR in a Russian layout — with or
 * without the hyphen) do not matter; Cyrillic letters are read both as the keys of a Russian
 * layout and as look-alike Latin letters, since either can have happened.
 */
export function referenceCandidates(input: string): string[] {
  const text = input.replace(/\s+/g, '').toLocaleUpperCase('ru-RU').replace(/Ё/g, 'Е');
  if (text.length === 0 || text.length > 16) return [];
  const bodies = [text.replace(/^(ПР|PR|ЗК|GH)-?/, '')];
  // Eight characters alone are the code without its prefix, even one starting with «PR».
  if (text.length === 8) bodies.push(text);
  const readings = bodies.flatMap((body) => [
    mapLetters(body, LAYOUT_RU, LAYOUT_EN),
    mapLetters(body, LOOKALIKE_RU, LOOKALIKE_EN),
  ]);
  const found: string[] = [];
  for (const code of readings) {
    const reference = REFERENCE_PREFIX + code;
    if (CODE.test(code) && !found.includes(reference)) found.push(reference);
  }
  return found;
}
