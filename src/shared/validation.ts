// Pure validators shared by the server and the web app.

/** СНИЛС checksum (Pension Fund of Russia rules). Input: 11 digits, no separators. */
export function isValidSnils(snils: string): boolean {
  if (!/^\d{11}$/.test(snils)) return false;
  const digits = snils.slice(0, 9);
  const control = Number(snils.slice(9));
  // Numbers up to 001-001-998 are issued without a checksum rule.
  if (Number(digits) <= 1_001_998) return true;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (9 - i);
  let expected: number;
  if (sum < 100) expected = sum;
  else if (sum === 100 || sum === 101) expected = 0;
  else {
    const rest = sum % 101;
    expected = rest === 100 ? 0 : rest;
  }
  return expected === control;
}

/** Normalises "123-456-789 01" to "12345678901". */
export function normaliseDigits(value: string): string {
  return value.replace(/[\s\-–]/g, '');
}

/** Makes a valid СНИЛС from 9 digits (for demo and test data). */
export function snilsWithChecksum(nine: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (9 - i);
  let control: number;
  if (sum < 100) control = sum;
  else if (sum === 100 || sum === 101) control = 0;
  else {
    const rest = sum % 101;
    control = rest === 100 ? 0 : rest;
  }
  return nine + String(control).padStart(2, '0');
}

/** Formats 11 digits as 123-456-789 01. */
export function formatSnils(snils: string): string {
  return `${snils.slice(0, 3)}-${snils.slice(3, 6)}-${snils.slice(6, 9)} ${snils.slice(9)}`;
}

/** Password policy: at least 10 characters with a letter and a digit. */
export function isStrongPassword(password: string): boolean {
  return password.length >= 10 && password.length <= 200 && /\p{L}/u.test(password) && /\d/.test(password);
}
