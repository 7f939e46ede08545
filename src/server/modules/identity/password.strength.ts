// Refuses common and easily guessed passwords wherever a password is set (NIST SP 800-63B
// 5.1.1.2: check new passwords against lists of common, expected and breached values).
// zxcvbn-ts with its common-password and diceware lists and keyboard patterns, the account's
// e-mail and names as user inputs. Server only: the dictionaries stay out of the web app.
import { ZxcvbnFactory, type ZxcvbnResult } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/**
 * zxcvbn's score 3 means an attacker needs more than 10^8 guesses with the lists and
 * patterns; below it the password is a listed common one, a word or name with a year, a
 * keyboard walk or a sequence. With Argon2 (~180 ms a try) and the login rate limit, 10^8
 * guesses are out of reach online and costly offline. A listed common password scores 0-2,
 * so "score below 3" also covers "found in the common-passwords list" as a whole; a common
 * word as one part of a longer password (Secret-phrase-42) is allowed.
 */
export const MIN_PASSWORD_SCORE = 3;

export type PasswordRefusal = 'PASSWORD_TOO_COMMON' | 'PASSWORD_HAS_PERSONAL_DATA' | 'PASSWORD_TOO_GUESSABLE';

// Building the matchers takes ~100 ms: once, on first use.
let factory: ZxcvbnFactory | null = null;
function zxcvbn(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  return factory;
}

/**
 * What the account gives away about itself: the e-mail, its local part and the words in it,
 * the names. Lower-cased, at least 3 characters (shorter parts match too much).
 */
export function passwordUserInputs(facts: {
  email?: string | null;
  names?: Array<string | null | undefined>;
}): string[] {
  const out = new Set<string>();
  const add = (v: string | null | undefined) => {
    const s = (v ?? '').trim().toLowerCase();
    if (s.length >= 3) out.add(s);
  };
  if (facts.email) {
    add(facts.email);
    const local = facts.email.split('@')[0] ?? '';
    add(local);
    for (const part of local.split(/[._+-]+/)) add(part);
  }
  for (const name of facts.names ?? []) {
    add(name);
    for (const part of (name ?? '').split(/[\s-]+/)) add(part);
  }
  return [...out];
}

const COMMON_WARNINGS = new Set(['topTen', 'topHundred', 'common', 'similarToCommon']);

function isCommon(result: ZxcvbnResult): boolean {
  if (result.feedback.warning !== null && COMMON_WARNINGS.has(result.feedback.warning)) return true;
  return result.sequence.some(
    (m) =>
      m.pattern === 'dictionary' &&
      m.dictionaryName === 'passwords-common' &&
      m.token.length === result.password.length,
  );
}

/** Why the password must not be used, or null when it is strong enough. Pure: no I/O. */
export function passwordRefusal(password: string, userInputs: string[] = []): PasswordRefusal | null {
  const result = zxcvbn().check(password, userInputs);
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  if (result.sequence.some((m) => m.pattern === 'dictionary' && m.dictionaryName === 'userInputs'))
    return 'PASSWORD_HAS_PERSONAL_DATA';
  if (isCommon(result)) return 'PASSWORD_TOO_COMMON';
  return 'PASSWORD_TOO_GUESSABLE';
}
