// The new-password check (password.strength.ts), table-driven: common and breached passwords,
// passwords built from the account's own e-mail or names, guessable patterns — and the
// passwords of the demo accounts, the tests and the browser journeys, which must pass.
import { describe, expect, it } from 'vitest';
import { passwordRefusal, passwordUserInputs } from './password.strength.js';

const petrov = passwordUserInputs({ email: 'ivan.petrov@example.test', names: ['Петров', 'Иван', 'Сергеевич'] });

describe('passwordRefusal', () => {
  const cases: Array<[password: string, inputs: string[], expected: ReturnType<typeof passwordRefusal>]> = [
    // common and breached passwords (whole password in the list, or a trivial variant)
    ['qwerty1234', [], 'PASSWORD_TOO_COMMON'],
    ['password12', [], 'PASSWORD_TOO_COMMON'],
    ['Password-123', [], 'PASSWORD_TOO_COMMON'],
    ['P@ssw0rd123', [], 'PASSWORD_TOO_COMMON'],
    ['Zaq1xsw2cde3', [], 'PASSWORD_TOO_COMMON'],
    ['1q2w3e4r5t', [], 'PASSWORD_TOO_COMMON'],
    // the account's own e-mail and names
    ['ivan.petrov2026', petrov, 'PASSWORD_HAS_PERSONAL_DATA'],
    ['Петров123456', petrov, 'PASSWORD_HAS_PERSONAL_DATA'],
    ['Сергеевич2026', petrov, 'PASSWORD_HAS_PERSONAL_DATA'],
    // guessable patterns: sequences, repeats
    ['abcdefgh12', [], 'PASSWORD_TOO_GUESSABLE'],
    ['aaaaaaaaa1', [], 'PASSWORD_TOO_GUESSABLE'],
    // strong enough: the demo accounts' password, the tests' and the journeys'
    ['Priyom-demo-1', [], null],
    ['Test-password-1', [], null],
    ['Signup-journey-2', [], null],
    ['E2e-password-1', [], null],
    ['Новый-пароль-2026', [], null],
    // a common word as one part of a longer password is allowed
    ['Secret-phrase-42', [], null],
    ['x9$Kq2!mZp', [], null],
    // the same strong password is fine for someone else's account
    ['Kuznetsova-1979', petrov, null],
  ];
  it.each(cases)('%s → %s', (password, inputs, expected) => {
    expect(passwordRefusal(password, inputs)).toBe(expected);
  });
});

describe('passwordUserInputs', () => {
  it('takes the address, its local part and its words, and the names, lower-cased, skipping short parts', () => {
    expect(passwordUserInputs({ email: 'Anna.Li+portal@Example.test', names: ['Ли', 'Анна', null] })).toEqual([
      'anna.li+portal@example.test',
      'anna.li+portal',
      'anna',
      'portal',
      'анна',
    ]);
  });
  it('a double surname gives both parts', () => {
    expect(passwordUserInputs({ names: ['Петрова-Водкина'] })).toEqual(['петрова-водкина', 'петрова', 'водкина']);
  });
  it('nothing known: no inputs', () => {
    expect(passwordUserInputs({ email: null })).toEqual([]);
  });
});
