// Integer ids as clients send them. In a path or a query string an id is decimal digits only
// (no sign, no leading zero, no exponent, hex, spaces or fraction) and within PostgreSQL's
// integer range; in a JSON body it is a JSON integer in the same range (never a string).
import { z } from 'zod';

/** Ids are PostgreSQL integers (bigint slot ids included): larger numbers are refused as bad input, never a database error. */
export const MAX_ID = 2_147_483_647;

const DECIMAL_ID = /^[1-9][0-9]{0,9}$/;
const DEFAULT_MESSAGE = 'Неверный идентификатор';

/** The id written in `text` (decimal digits, 1..MAX_ID), or null. */
export function parseDecimalId(text: string): number | null {
  if (!DECIMAL_ID.test(text)) return null;
  const n = Number(text);
  return n <= MAX_ID ? n : null;
}

/** An id in a path or a query string: decimal digits only, 1..MAX_ID; read as a number. */
export function decimalId(message: string = DEFAULT_MESSAGE) {
  return z
    .string()
    .regex(DECIMAL_ID, message)
    .refine((v) => Number(v) <= MAX_ID, message)
    .transform(Number);
}

/** An id in a JSON body: an integer, 1..MAX_ID; `missing` is the message for an absent or non-number value. */
export function idNumber(message: string = DEFAULT_MESSAGE, missing?: string) {
  return z
    .number(missing === undefined ? undefined : { message: missing })
    .int(message)
    .positive(message)
    .max(MAX_ID, message);
}
