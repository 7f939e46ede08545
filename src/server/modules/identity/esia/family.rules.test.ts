import { describe, expect, it } from 'vitest';
import { formatSnils, snilsWithChecksum } from '../../../../shared/validation.js';
import {
  nameChanges,
  normaliseCertSeries,
  planFamily,
  readEsiaKid,
  readEsiaKids,
  type CardFileRow,
  type EsiaKid,
} from './family.rules.js';

const SNILS_A = snilsWithChecksum('150000104');
const SNILS_B = snilsWithChecksum('150000111');
const SNILS_MAIN = snilsWithChecksum('150000128');

const rawKid = {
  id: 1000321102,
  firstName: 'Софья',
  lastName: 'Иванова',
  middleName: 'Андреевна',
  birthDate: '09.04.2022',
  gender: 'F',
  snils: formatSnils(SNILS_A),
  documents: {
    elements: [
      { type: 'RF_BRTH_CERT', series: 'IV-МЮ', number: '512345', issueDate: '20.04.2022', vrfStu: 'VERIFIED' },
      { type: 'MDCL_PLCY', number: '1851004400000052', vrfStu: 'VERIFIED' },
    ],
  },
};

const kid: EsiaKid = {
  oid: '1000321102',
  lastName: 'Иванова',
  firstName: 'Софья',
  middleName: 'Андреевна',
  birthDate: '2022-04-09',
  sex: 'F',
  snils: SNILS_A,
  birthCert: { series: 'IV-МЮ', number: '512345' },
  policy: '1851004400000052',
};

function row(over: Partial<CardFileRow>): CardFileRow {
  return {
    id: 'p-1',
    isMain: false,
    esiaOid: null,
    lastName: 'Иванова',
    firstName: 'Софья',
    middleName: 'Андреевна',
    birthDate: '2022-04-09',
    snils: SNILS_A,
    policy: '1851004400000052',
    status: 'confirmed',
    birthCertSeries: null,
    birthCertNumber: null,
    ...over,
  };
}

const main = row({
  id: 'main',
  isMain: true,
  lastName: 'Иванова',
  firstName: 'Анна',
  middleName: 'Сергеевна',
  birthDate: '1988-06-14',
  snils: SNILS_MAIN,
  policy: '1851004400000013',
});

describe('reading ЕСИА’s children', () => {
  it('reads a child with its СНИЛС, birth certificate and полис', () => {
    expect(readEsiaKid(rawKid)).toEqual(kid);
  });

  it.each([
    ['no documents', { ...rawKid, documents: undefined }, { birthCert: null, policy: null }],
    ['no СНИЛС', { ...rawKid, snils: undefined }, { snils: null }],
    ['a bad СНИЛС checksum', { ...rawKid, snils: '150-000-104 00' }, { snils: null }],
    [
      'a certificate written loosely',
      { ...rawKid, documents: { elements: [{ type: 'RF_BRTH_CERT', series: 'iv мю', number: '512 345' }] } },
      { birthCert: { series: 'IV-МЮ', number: '512345' }, policy: null },
    ],
    [
      'a foreign certificate only',
      { ...rawKid, documents: { elements: [{ type: 'FID_BRTH_CERT', series: 'AB', number: '1' }] } },
      { birthCert: null, policy: null },
    ],
    [
      'a short полис',
      { ...rawKid, documents: { elements: [{ type: 'MDCL_PLCY', number: '123' }] } },
      { birthCert: null, policy: null },
    ],
    ['no middle name', { ...rawKid, middleName: '' }, { middleName: null }],
  ])('with %s', (_name, raw, expected) => {
    expect(readEsiaKid(raw)).toEqual({ ...kid, ...expected });
  });

  it.each([
    ['no id', { ...rawKid, id: undefined }],
    ['a non-numeric id', { ...rawKid, id: 'abc' }],
    ['Latin letters in the name', { ...rawKid, firstName: 'Sofia' }],
    ['a zero-width character in the name', { ...rawKid, lastName: 'Ива\u200bнова' }],
    ['a bad middle name', { ...rawKid, middleName: '123' }],
    ['no birth date', { ...rawKid, birthDate: undefined }],
    ['an impossible date', { ...rawKid, birthDate: '31.02.2022' }],
    ['no sex', { ...rawKid, gender: 'X' }],
    ['not an object', 'kid'],
  ])('refuses a child with %s', (_name, raw) => {
    expect(readEsiaKid(raw)).toBeNull();
  });

  it('keeps the usable children, each id once', () => {
    const other = { ...rawKid, id: '1000321101', firstName: 'Михаил', gender: 'M' };
    expect(readEsiaKids({ elements: [rawKid, { id: 'x' }, other, rawKid] }).map((k) => k.oid)).toEqual([
      '1000321102',
      '1000321101',
    ]);
    expect(readEsiaKids({})).toEqual([]);
    expect(readEsiaKids(null)).toEqual([]);
  });

  it.each([
    ['IV-МЮ', 'IV-МЮ'],
    ['iv-мю', 'IV-МЮ'],
    ['II ЖА', 'II-ЖА'],
    ['XII–ЁЁ', 'XII-ЁЁ'],
    ['IV-MЮ', null],
    ['4-МЮ', null],
    ['IV-МЮЮ', null],
    [42, null],
  ])('birth certificate series %j -> %j', (raw, expected) => {
    expect(normaliseCertSeries(raw)).toBe(expected);
  });
});

describe('name changes', () => {
  const name = { lastName: 'Иванова', firstName: 'Анна', middleName: 'Сергеевна' };
  it.each([
    ['the same names', name, null],
    ['a new last name', { ...name, lastName: 'Петрова' }, { lastName: 'Петрова' }],
    ['«е» that became «ё»', { ...name, firstName: 'Алёна' }, { firstName: 'Алёна' }],
    ['a middle name dropped', { ...name, middleName: null }, { middleName: null }],
    [
      'everything',
      { lastName: 'Б', firstName: 'В', middleName: 'Г' },
      { lastName: 'Б', firstName: 'В', middleName: 'Г' },
    ],
  ])('%s', (_name, esia, expected) => {
    expect(nameChanges(name, esia)).toEqual(expected);
  });

  it('a middle name added', () => {
    expect(nameChanges({ ...name, middleName: null }, name)).toEqual({ middleName: 'Сергеевна' });
  });
});

describe('merging ЕСИА’s children into the card file', () => {
  it('adds a child the card file does not hold', () => {
    expect(planFamily([kid], [main])).toEqual({ insert: [{ kid }], update: [], skip: [] });
  });

  it('links and confirms a child entered by hand with the same СНИЛС, with ЕСИА’s names and certificate', () => {
    const byHand = row({ id: 'hand', status: 'pending', firstName: 'София' });
    expect(planFamily([kid], [main, byHand])).toEqual({
      insert: [],
      update: [
        {
          personId: 'hand',
          kidOid: kid.oid,
          set: {
            firstName: 'Софья',
            esiaOid: kid.oid,
            status: 'confirmed',
            birthCertSeries: 'IV-МЮ',
            birthCertNumber: '512345',
          },
        },
      ],
      skip: [],
    });
  });

  it('changes nothing on the next sign-in when nothing changed', () => {
    const linked = row({ id: 'k', esiaOid: kid.oid, birthCertSeries: 'IV-МЮ', birthCertNumber: '512345' });
    expect(planFamily([kid], [main, linked])).toEqual({ insert: [], update: [], skip: [] });
  });

  it('finds the child by its ЕСИА id even when ЕСИА now gives another СНИЛС, and copies a changed name', () => {
    const linked = row({ id: 'k', esiaOid: kid.oid, birthCertSeries: 'IV-МЮ', birthCertNumber: '512345' });
    const renamed = { ...kid, lastName: 'Петрова', snils: SNILS_B };
    expect(planFamily([renamed], [main, linked])).toEqual({
      insert: [],
      update: [{ personId: 'k', kidOid: kid.oid, set: { lastName: 'Петрова' } }],
      skip: [],
    });
  });

  it('a new birth certificate replaces the old one', () => {
    const linked = row({ id: 'k', esiaOid: kid.oid, birthCertSeries: 'I-АА', birthCertNumber: '000001' });
    expect(planFamily([kid], [linked]).update).toEqual([
      { personId: 'k', kidOid: kid.oid, set: { birthCertSeries: 'IV-МЮ', birthCertNumber: '512345' } },
    ]);
  });

  it.each([
    ['no СНИЛС', { ...kid, snils: null }, [main], 'no-snils'],
    ['no полис', { ...kid, policy: null }, [main], 'no-policy'],
    ['the holder’s СНИЛС', { ...kid, snils: SNILS_MAIN }, [main], 'conflict'],
    ['a row with its СНИЛС and another birth date', kid, [main, row({ birthDate: '2021-01-01' })], 'conflict'],
    ['a row of another child with its полис', kid, [main, row({ snils: SNILS_B })], 'conflict'],
  ] as const)('skips a child with %s', (_name, k, rows, reason) => {
    expect(planFamily([k], rows)).toEqual({ insert: [], update: [], skip: [{ kidOid: k.oid, reason }] });
  });

  it('never matches one row to two children, nor adds two children with one полис', () => {
    const twin = { ...kid, oid: '1000321103', firstName: 'Вера' };
    const plan = planFamily([kid, twin], [main]);
    expect(plan.insert.map((i) => i.kid.oid)).toEqual([kid.oid]);
    expect(plan.skip).toEqual([{ kidOid: twin.oid, reason: 'conflict' }]);
  });

  it('keeps a child ЕСИА no longer lists', () => {
    expect(planFamily([], [main, row({ esiaOid: kid.oid })])).toEqual({ insert: [], update: [], skip: [] });
  });
});
