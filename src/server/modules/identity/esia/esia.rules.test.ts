import { describe, expect, it } from 'vitest';
import { snilsWithChecksum } from '../../../../shared/validation.js';
import {
  authorizationSignedString,
  decideAccount,
  esiaTimestamp,
  jwtPayload,
  normaliseEsiaBirthDate,
  normaliseEsiaPhone,
  normaliseEsiaSnils,
  parseEsiaTimestamp,
  readEsiaContacts,
  readEsiaPerson,
  safeReturnTo,
  subjectOf,
  tokenClaimsValid,
  tokenSignedString,
  type AccountDecision,
  type AccountFacts,
  type EsiaPerson,
} from './esia.rules.js';

describe('ЕСИА timestamp', () => {
  it.each([
    ['2026-11-25T12:00:00Z', '2026.11.25 12:00:00 +0000'],
    // Moscow's 01:05 on the 1st of January is still the 31st of December in UTC.
    ['2026-12-31T22:05:09Z', '2026.12.31 22:05:09 +0000'],
    ['2027-01-01T00:00:00.999Z', '2027.01.01 00:00:00 +0000'],
    ['2028-02-29T03:04:05Z', '2028.02.29 03:04:05 +0000'],
  ])('%s is written as %s', (iso, expected) => {
    expect(esiaTimestamp(new Date(iso))).toBe(expected);
  });

  it.each([
    ['2026.11.25 12:00:00 +0000', '2026-11-25T12:00:00.000Z'],
    ['2026.11.25 15:00:00 +0300', '2026-11-25T12:00:00.000Z'],
    ['2026.11.25 07:30:00 -0430', '2026-11-25T12:00:00.000Z'],
  ])('reads %s with its offset', (value, iso) => {
    expect(parseEsiaTimestamp(value)?.toISOString()).toBe(iso);
  });

  it.each([
    '2026-11-25 12:00:00 +0000',
    '2026.11.25 12:00:00',
    '2026.02.30 12:00:00 +0000',
    '2026.11.25 24:00:00 +0000',
    '',
  ])('refuses %j', (value) => {
    expect(parseEsiaTimestamp(value)).toBeNull();
  });
});

describe('signed strings', () => {
  const p = {
    clientId: 'PRIYOM',
    scope: 'openid fullname',
    timestamp: '2026.11.25 12:00:00 +0000',
    state: '0f8fad5b-d9cb-469f-a165-70867728950e',
    redirectUri: 'https://portal.example.ru/api/esia/callback',
  };
  it('authorization: client_id + scope + timestamp + state + redirect_uri, nothing between', () => {
    expect(authorizationSignedString(p)).toBe(
      'PRIYOMopenid fullname2026.11.25 12:00:00 +00000f8fad5b-d9cb-469f-a165-70867728950ehttps://portal.example.ru/api/esia/callback',
    );
  });
  it('token: the same, then the code', () => {
    expect(tokenSignedString({ ...p, code: 'abc.def' })).toBe(`${authorizationSignedString(p)}abc.def`);
  });
});

describe('ЕСИА data normalisation', () => {
  const snils = snilsWithChecksum('112345007');
  it.each([
    [`${snils.slice(0, 3)}-${snils.slice(3, 6)}-${snils.slice(6, 9)} ${snils.slice(9)}`, snils],
    [snils, snils],
    [` ${snils} `, snils],
    ['112-345-007 00', null], // checksum does not match
    ['12345', null],
    [undefined, null],
    [12345678901, null],
  ])('СНИЛС %j -> %j', (raw, expected) => {
    expect(normaliseEsiaSnils(raw)).toBe(expected);
  });

  it.each([
    ['14.06.1988', '1988-06-14'],
    ['29.02.2024', '2024-02-29'],
    ['29.02.2023', null],
    ['1988-06-14', null],
    ['31.04.1990', null],
    ['01.01.1899', null],
    [null, null],
  ])('birth date %j -> %j', (raw, expected) => {
    expect(normaliseEsiaBirthDate(raw)).toBe(expected);
  });

  it.each([
    ['+7(912)0000101', '+79120000101'],
    ['+7 912 000-01-01', '+79120000101'],
    ['8(912)0000101', null],
  ])('mobile %j -> %j', (raw, expected) => {
    expect(normaliseEsiaPhone(raw)).toBe(expected);
  });

  it('reads a person with «ё», a hyphen and a formatted СНИЛС', () => {
    expect(
      readEsiaPerson({
        firstName: 'Алёна',
        lastName: ' Семёнова-Ёлкина ',
        middleName: 'Фёдоровна',
        birthDate: '30.08.1993',
        gender: 'F',
        trusted: true,
        status: 'Registered',
        snils: `${snils.slice(0, 3)}-${snils.slice(3, 6)}-${snils.slice(6, 9)} ${snils.slice(9)}`,
      }),
    ).toEqual({
      status: 'Registered',
      trusted: true,
      lastName: 'Семёнова-Ёлкина',
      firstName: 'Алёна',
      middleName: 'Фёдоровна',
      birthDate: '1993-08-30',
      sex: 'F',
      snils,
    });
  });

  it('an absent patronymic and СНИЛС are null; trusted must be exactly true', () => {
    expect(
      readEsiaPerson({
        firstName: 'Тимур',
        lastName: 'Григорьев',
        birthDate: '19.01.1984',
        gender: 'M',
        trusted: 'true',
        status: 'Registered',
      }),
    ).toMatchObject({ middleName: null, snils: null, trusted: false });
  });

  it.each([
    { firstName: 'Тимур', lastName: 'Григорьев', birthDate: '1984-01-19', gender: 'M', status: 'Registered' },
    { firstName: 'Тимур', lastName: 'Григорьев', birthDate: '19.01.1984', gender: 'X', status: 'Registered' },
    { firstName: 'Timur', lastName: 'Григорьев', birthDate: '19.01.1984', gender: 'M', status: 'Registered' },
    { firstName: 'Тимур', lastName: 'Григорьев', birthDate: '19.01.1984', gender: 'M', status: 'Blocked' },
    { lastName: 'Григорьев', birthDate: '19.01.1984', gender: 'M', status: 'Registered' },
    // Control and invisible characters (the portal's free-text rule, shared/text.ts).
    { firstName: 'Тимур\u0000', lastName: 'Григорьев', birthDate: '19.01.1984', gender: 'M', status: 'Registered' },
    { firstName: 'Тимур', lastName: '\uFEFFГригорьев', birthDate: '19.01.1984', gender: 'M', status: 'Registered' },
    {
      firstName: 'Тимур',
      lastName: 'Григорьев',
      middleName: 'Ильич\u202E',
      birthDate: '19.01.1984',
      gender: 'M',
      status: 'Registered',
    },
  ])('unusable data is refused: %j', (raw) => {
    expect(readEsiaPerson(raw)).toBeNull();
  });

  it('contacts: only verified ones, the first e-mail and mobile', () => {
    expect(
      readEsiaContacts({
        elements: [
          { type: 'EML', vrfStu: 'NOT_VERIFIED', value: 'old@example.org' },
          { type: 'EML', vrfStu: 'VERIFIED', value: 'Anna@Example.org' },
          { type: 'MBT', vrfStu: 'VERIFIED', value: '+7(912)0000101' },
          { type: 'EML', vrfStu: 'VERIFIED', value: 'second@example.org' },
        ],
      }),
    ).toEqual({ email: 'anna@example.org', phone: '+79120000101' });
    expect(
      readEsiaContacts({ elements: [{ type: 'EML', vrfStu: 'VERIFIED', value: 'anna\u0000@example.org' }] }),
    ).toEqual({ email: null, phone: null });
    expect(readEsiaContacts({})).toEqual({ email: null, phone: null });
    expect(readEsiaContacts(null)).toEqual({ email: null, phone: null });
  });
});

describe('access token claims', () => {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = new Date('2026-11-25T12:00:00Z');
  const exp = now.getTime() / 1000 + 60;
  it('the subject is urn:esia:sbj_id, a number or digits', () => {
    expect(subjectOf(jwtPayload(`${enc({})}.${enc({ 'urn:esia:sbj_id': 1000321001 })}.x`)!)).toBe('1000321001');
    expect(subjectOf({ 'urn:esia:sbj_id': '1000321001' })).toBe('1000321001');
    expect(subjectOf({ sub: '1000321001' })).toBeNull();
    expect(subjectOf({ 'urn:esia:sbj_id': '../admin' })).toBeNull();
  });
  it('a malformed token has no payload', () => {
    expect(jwtPayload('not-a-jwt')).toBeNull();
    expect(jwtPayload(`${enc({})}.!!!.x`)).toBeNull();
    expect(jwtPayload(`${enc({})}.${enc([1])}.x`)).toBeNull();
  });
  it.each([
    [{ exp, client_id: 'PRIYOM' }, true],
    [{ exp }, true],
    [{ exp: now.getTime() / 1000, client_id: 'PRIYOM' }, false], // expires exactly now
    [{ exp, client_id: 'OTHER' }, false],
    [{ client_id: 'PRIYOM' }, false],
  ])('claims %j valid: %s', (payload, valid) => {
    expect(tokenClaimsValid(payload, 'PRIYOM', now)).toBe(valid);
  });
});

describe('which account a sign-in lands on', () => {
  const snils = snilsWithChecksum('150000036');
  const person = (over: Partial<EsiaPerson> = {}): EsiaPerson => ({
    status: 'Registered',
    trusted: true,
    lastName: 'Семёнова-Ёлкина',
    firstName: 'Алёна',
    middleName: null,
    birthDate: '1993-08-30',
    sex: 'F',
    snils,
    ...over,
  });
  const account = (
    id: string,
    over: Partial<AccountFacts> = {},
    main: Partial<NonNullable<AccountFacts['main']>> | null = {},
  ): AccountFacts => ({
    id,
    esiaOid: null,
    main: main === null ? null : { snils, birthDate: '1993-08-30', status: 'confirmed', ...main },
    ...over,
  });

  const login: Array<[string, Parameters<typeof decideAccount>[0], AccountDecision]> = [
    [
      'a deleted ЕСИА account is refused, even when linked',
      {
        purpose: 'login',
        person: person({ status: 'Deleted' }),
        linked: account('a', { esiaOid: '1' }),
        candidates: [],
      },
      { kind: 'refuse', code: 'ESIA_ACCOUNT_DELETED' },
    ],
    [
      'an oid already linked signs in to its account',
      { purpose: 'login', person: person(), linked: account('a', { esiaOid: '1' }), candidates: [account('b')] },
      { kind: 'sign-in', accountId: 'a' },
    ],
    [
      'an untrusted linked oid still signs in to its account',
      { purpose: 'login', person: person({ trusted: false }), linked: account('a', { esiaOid: '1' }), candidates: [] },
      { kind: 'sign-in', accountId: 'a' },
    ],
    [
      'trusted, one e-mail account with the same СНИЛС and birth date: linked',
      { purpose: 'login', person: person(), linked: null, candidates: [account('b')] },
      { kind: 'link', accountId: 'b', notify: true, confirmMain: false, complete: false },
    ],
    [
      'trusted, two such accounts: a new account (no guessing)',
      { purpose: 'login', person: person(), linked: null, candidates: [account('b'), account('c')] },
      { kind: 'register', mainStatus: 'confirmed', askSnils: false },
    ],
    [
      'trusted, the candidate has another birth date: a new account',
      { purpose: 'login', person: person(), linked: null, candidates: [account('b', {}, { birthDate: '1993-08-31' })] },
      { kind: 'register', mainStatus: 'confirmed', askSnils: false },
    ],
    [
      'trusted, the candidate is only pending: a new account',
      { purpose: 'login', person: person(), linked: null, candidates: [account('b', {}, { status: 'pending' })] },
      { kind: 'register', mainStatus: 'confirmed', askSnils: false },
    ],
    [
      'trusted, the candidate already has another ЕСИА link: a new account',
      { purpose: 'login', person: person(), linked: null, candidates: [account('b', { esiaOid: '9' })] },
      { kind: 'register', mainStatus: 'confirmed', askSnils: false },
    ],
    [
      'trusted, nobody matches: a new account with a confirmed main person',
      { purpose: 'login', person: person(), linked: null, candidates: [] },
      { kind: 'register', mainStatus: 'confirmed', askSnils: false },
    ],
    [
      'untrusted is never linked by СНИЛС: a new pending account',
      { purpose: 'login', person: person({ trusted: false }), linked: null, candidates: [account('b')] },
      { kind: 'register', mainStatus: 'pending', askSnils: false },
    ],
    [
      'trusted without a СНИЛС: the СНИЛС is asked and the person waits for the moderator',
      { purpose: 'login', person: person({ snils: null }), linked: null, candidates: [] },
      { kind: 'register', mainStatus: 'pending', askSnils: true },
    ],
    [
      'untrusted without a СНИЛС: asked, pending',
      { purpose: 'login', person: person({ trusted: false, snils: null }), linked: null, candidates: [] },
      { kind: 'register', mainStatus: 'pending', askSnils: true },
    ],
  ];
  const link: Array<[string, Parameters<typeof decideAccount>[0], AccountDecision]> = [
    [
      'link: deleted is refused',
      { purpose: 'link', person: person({ status: 'Deleted' }), linked: null, account: account('a') },
      { kind: 'refuse', code: 'ESIA_ACCOUNT_DELETED' },
    ],
    [
      'link: the oid belongs to another account',
      { purpose: 'link', person: person(), linked: account('b', { esiaOid: '1' }), account: account('a') },
      { kind: 'refuse', code: 'ESIA_ALREADY_LINKED' },
    ],
    [
      'link: this account already has another oid',
      { purpose: 'link', person: person(), linked: null, account: account('a', { esiaOid: '2' }) },
      { kind: 'refuse', code: 'ESIA_OTHER_LINKED' },
    ],
    [
      'link: untrusted is refused',
      { purpose: 'link', person: person({ trusted: false }), linked: null, account: account('a') },
      { kind: 'refuse', code: 'ESIA_UNTRUSTED' },
    ],
    [
      'link: another СНИЛС than the main person’s is refused',
      {
        purpose: 'link',
        person: person(),
        linked: null,
        account: account('a', {}, { snils: snilsWithChecksum('150000043') }),
      },
      { kind: 'refuse', code: 'ESIA_PERSON_MISMATCH' },
    ],
    [
      'link: ЕСИА without a СНИЛС cannot be matched',
      { purpose: 'link', person: person({ snils: null }), linked: null, account: account('a') },
      { kind: 'refuse', code: 'ESIA_PERSON_MISMATCH' },
    ],
    [
      'link: the same person, confirmed',
      { purpose: 'link', person: person(), linked: null, account: account('a') },
      { kind: 'link', accountId: 'a', notify: true, confirmMain: false, complete: false },
    ],
    [
      'link: the same person still pending is confirmed by ЕСИА',
      { purpose: 'link', person: person(), linked: null, account: account('a', {}, { status: 'pending' }) },
      { kind: 'link', accountId: 'a', notify: true, confirmMain: true, complete: false },
    ],
    [
      'link: rejected stays rejected (the moderator’s reason stands)',
      { purpose: 'link', person: person(), linked: null, account: account('a', {}, { status: 'rejected' }) },
      { kind: 'link', accountId: 'a', notify: true, confirmMain: false, complete: false },
    ],
    [
      'link: no main person yet: registration completes the account',
      { purpose: 'link', person: person(), linked: null, account: account('a', {}, null) },
      { kind: 'link', accountId: 'a', notify: true, confirmMain: false, complete: true },
    ],
    [
      'link: linked to this very account already: nothing to announce',
      {
        purpose: 'link',
        person: person(),
        linked: account('a', { esiaOid: '1' }),
        account: account('a', { esiaOid: '1' }),
      },
      { kind: 'link', accountId: 'a', notify: false, confirmMain: false, complete: false },
    ],
  ];
  it.each([...login, ...link])('%s', (_name, input, expected) => {
    expect(decideAccount(input)).toEqual(expected);
  });
});

describe('where to go after signing in', () => {
  it.each([
    ['/cardfile', '/cardfile'],
    ['/book/1/specialty?x=1', '/book/1/specialty?x=1'],
    ['//evil.example', null],
    ['/\\evil.example', null],
    // Browsers strip tabs and newlines: these would become //evil.example.
    ['/\t/evil.example/', null],
    ['/\n/evil.example', null],
    ['/card file', null],
    ['https://evil.example/', null],
    ['/login', null],
    ['/esia/error?code=X', null],
    ['/api/esia/start', null],
    [undefined, null],
  ])('%j -> %j', (value, expected) => {
    expect(safeReturnTo(value)).toBe(expected);
  });
});
