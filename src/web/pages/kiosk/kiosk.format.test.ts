import { describe, expect, it } from 'vitest';
import { birthDateOf, birthDateProblem, birthMask, formatPolicy } from './kiosk.format.js';

describe('kiosk entry formats', () => {
  it.each([
    ['', ''],
    ['185', '185'],
    ['1851', '1851'],
    ['18510', '1851 0'],
    ['1851004400000013', '1851 0044 0000 0013'],
  ])('полис %s -> «%s»', (digits, shown) => {
    expect(formatPolicy(digits)).toBe(shown);
  });

  it.each([
    ['', '', 'ДД.ММ.ГГГГ'],
    ['1', '1', 'Д.ММ.ГГГГ'],
    ['14', '14.', 'ММ.ГГГГ'],
    ['1406', '14.06.', 'ГГГГ'],
    ['140619', '14.06.19', 'ГГ'],
    ['14061988', '14.06.1988', ''],
  ])('date %s -> %s + %s', (digits, typed, rest) => {
    expect(birthMask(digits)).toEqual({ typed, rest });
  });

  it('checks the date of birth', () => {
    const today = '2026-12-01';
    expect(birthDateOf('14061988')).toBe('1988-06-14');
    expect(birthDateProblem('14061988', today)).toBeNull();
    expect(birthDateProblem('1406198', today)).toMatch(/8 цифр/);
    expect(birthDateProblem('30021990', today)).toMatch(/Такой даты нет/);
    expect(birthDateProblem('01011899', today)).toMatch(/год/);
    expect(birthDateProblem('02122026', today)).toMatch(/позже сегодняшнего/);
    expect(birthDateProblem('01122026', today)).toBeNull();
  });
});
