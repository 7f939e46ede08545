import { describe, expect, it } from 'vitest';
import { describeRestriction, restrictionRefusal } from './catalogue.rules.js';

const pediatrician = { minAge: null, maxAge: 18, sex: null };
const gynaecologist = { minAge: null, maxAge: null, sex: 'F' };
const therapist = { minAge: 18, maxAge: null, sex: null };

describe('restrictionRefusal', () => {
  it.each([
    ['a child of 5 to the pediatrician', pediatrician, { birthDate: '2021-05-01', sex: 'M' }, null],
    ['17 years and 364 days to the pediatrician', pediatrician, { birthDate: '2008-11-26', sex: 'F' }, null],
    ['18 today to the pediatrician', pediatrician, { birthDate: '2008-11-25', sex: 'F' }, 'AGE_RESTRICTED'],
    ['a man to the gynaecologist', gynaecologist, { birthDate: '1980-01-01', sex: 'M' }, 'SEX_RESTRICTED'],
    ['a woman to the gynaecologist', gynaecologist, { birthDate: '1980-01-01', sex: 'F' }, null],
    ['a child to the adult therapist', therapist, { birthDate: '2015-01-01', sex: 'F' }, 'AGE_RESTRICTED'],
  ] as const)('%s', (_name, spec, person, expected) => {
    expect(restrictionRefusal(spec, person, '2026-11-25')).toBe(expected);
  });
});

describe('describeRestriction', () => {
  it('names the limits in Russian', () => {
    expect(describeRestriction(pediatrician)).toBe('Только пациенты до 18 лет');
    expect(describeRestriction(gynaecologist)).toBe('Только пациенты женского пола');
    expect(describeRestriction(therapist)).toBe('Только пациенты от 18 лет');
    expect(describeRestriction({ minAge: null, maxAge: null, sex: null })).toBeNull();
  });
});
