import { describe, expect, it } from 'vitest';
import {
  appointmentVisible,
  canCancelOnline,
  isVisibleToAccount,
  relationToViewer,
  type CancelFacts,
  type Source,
} from './visibility.rules.js';

const sources: Source[] = ['portal', 'electronic_queue', 'doctor', 'registry', 'infomat'];

// SPEC section 6, every combination: (auth method, main person?, source, booked by this account?) -> shown?
const table: [string, 'password' | 'esia', boolean, Source, boolean, boolean][] = [];
for (const authMethod of ['password', 'esia'] as const) {
  for (const isMainPerson of [true, false]) {
    for (const source of sources) {
      for (const bookedByThisAccount of [true, false]) {
        let expected: boolean;
        if (source === 'portal')
          expected = bookedByThisAccount; // never another account's portal booking
        else expected = authMethod === 'esia' && isMainPerson; // other channels: only the ЕСИА main person
        table.push([
          `${authMethod} session, ${isMainPerson ? 'main' : 'other'} person, ${source}, ${bookedByThisAccount ? 'this' : 'another'} account`,
          authMethod,
          isMainPerson,
          source,
          bookedByThisAccount,
          expected,
        ]);
      }
    }
  }
}

describe('isVisibleToAccount (SPEC section 6)', () => {
  it('covers all 40 combinations', () => {
    expect(table).toHaveLength(40);
  });

  it.each(table)('%s', (_name, authMethod, isMainPerson, source, bookedByThisAccount, expected) => {
    expect(isVisibleToAccount({ authMethod, isMainPerson, source, bookedByThisAccount })).toBe(expected);
  });

  it('shows an e-mail session only portal visits, even for the main person', () => {
    for (const source of sources.filter((s) => s !== 'portal')) {
      expect(
        isVisibleToAccount({ authMethod: 'password', isMainPerson: true, source, bookedByThisAccount: false }),
      ).toBe(false);
    }
    expect(
      isVisibleToAccount({ authMethod: 'password', isMainPerson: true, source: 'portal', bookedByThisAccount: true }),
    ).toBe(true);
  });

  it('never shows a relative’s visits made elsewhere, even in a ЕСИА session', () => {
    expect(
      isVisibleToAccount({ authMethod: 'esia', isMainPerson: false, source: 'registry', bookedByThisAccount: false }),
    ).toBe(false);
  });
});

describe('canCancelOnline (SPEC section 7)', () => {
  const zone = 'Europe/Samara';
  // Visit on 27 November 2026 at 10:00 Samara (06:00 UTC); cut-off 18:00 Samara on the 26th = 14:00 UTC.
  const base: CancelFacts = {
    source: 'portal',
    bookedByThisAccount: true,
    status: 'booked',
    startAt: new Date('2026-11-27T06:00:00Z'),
    timeZone: zone,
    cutoff: '18:00',
  };
  const early = new Date('2026-11-25T09:00:00Z');

  it.each([
    ['own portal booking before the cut-off', {}, early, null],
    ['one minute before the cut-off (17:59 Samara)', {}, new Date('2026-11-26T13:59:00Z'), null],
    ['exactly at the cut-off (18:00 Samara)', {}, new Date('2026-11-26T14:00:00Z'), 'CUTOFF_PASSED'],
    ['the morning of the visit', {}, new Date('2026-11-27T04:00:00Z'), 'CUTOFF_PASSED'],
    ['after the visit began', {}, new Date('2026-11-27T06:00:00Z'), 'VISIT_IN_PAST'],
    ['already cancelled', { status: 'cancelled' }, early, 'ALREADY_CANCELLED'],
    ['already visited', { status: 'visited' }, early, 'VISIT_IN_PAST'],
    ['a no-show', { status: 'no_show' }, early, 'VISIT_IN_PAST'],
    ['made at the registry', { source: 'registry', bookedByThisAccount: false }, early, 'NOT_CANCELLABLE_HERE'],
    ['made by the doctor', { source: 'doctor', bookedByThisAccount: false }, early, 'NOT_CANCELLABLE_HERE'],
    ['made at the infomat', { source: 'infomat', bookedByThisAccount: false }, early, 'NOT_CANCELLABLE_HERE'],
    [
      'made in the electronic queue',
      { source: 'electronic_queue', bookedByThisAccount: false },
      early,
      'NOT_CANCELLABLE_HERE',
    ],
    ['a portal booking of another account', { bookedByThisAccount: false }, early, 'NOT_CANCELLABLE_HERE'],
    [
      'another account’s booking, already cancelled',
      { bookedByThisAccount: false, status: 'cancelled' },
      early,
      'NOT_CANCELLABLE_HERE',
    ],
    ['an organisation cut-off of 12:00, at 11:59 Samara', { cutoff: '12:00' }, new Date('2026-11-26T07:59:00Z'), null],
    [
      'an organisation cut-off of 12:00, at 12:00 Samara',
      { cutoff: '12:00' },
      new Date('2026-11-26T08:00:00Z'),
      'CUTOFF_PASSED',
    ],
  ] as const)('%s', (_name, overrides, now, expected) => {
    expect(canCancelOnline({ ...base, ...overrides }, now)).toBe(expected);
  });

  it('computes the cut-off across midnight: a visit at 00:30 on the 27th closes at 18:00 on the 26th', () => {
    // 00:30 Samara on 27 November = 20:30 UTC on the 26th; cut-off 18:00 Samara on the 26th = 14:00 UTC.
    const f = { ...base, startAt: new Date('2026-11-26T20:30:00Z') };
    expect(canCancelOnline(f, new Date('2026-11-26T13:59:59Z'))).toBeNull();
    expect(canCancelOnline(f, new Date('2026-11-26T14:00:00Z'))).toBe('CUTOFF_PASSED');
    // In UTC the visit is still "on the 26th", yet the 25th is not the day before it.
    expect(canCancelOnline(f, new Date('2026-11-25T15:00:00Z'))).toBeNull();
  });
});

describe('relationToViewer and appointmentVisible', () => {
  const main = { id: 'main-1', snils: '11223344595', policy: '1851000000000017', status: 'confirmed' };
  const viewer = (authMethod: 'password' | 'esia', m: typeof main | null = main) => ({
    accountId: 'acc-1',
    authMethod,
    main: m,
  });
  const own = { personAccountId: 'acc-1', personIsMain: true, personSnils: main.snils, personPolicy: main.policy };
  const ownChild = {
    personAccountId: 'acc-1',
    personIsMain: false,
    personSnils: '99988877766',
    personPolicy: '1851000000000025',
  };
  const elsewhere = {
    personAccountId: 'acc-2',
    personIsMain: false,
    personSnils: main.snils,
    personPolicy: main.policy,
  };
  // The same полис under another СНИЛС: the полис is typed in by the holder, never proof of identity.
  const byPolicy = {
    personAccountId: 'register',
    personIsMain: false,
    personSnils: '55566677788',
    personPolicy: main.policy,
  };
  const stranger = {
    personAccountId: 'acc-2',
    personIsMain: true,
    personSnils: '12345678901',
    personPolicy: '1851000000000033',
  };
  const registry = { source: 'registry' as const, bookedByAccountId: null };
  const mine = { source: 'portal' as const, bookedByAccountId: 'acc-1' };
  const theirs = { source: 'portal' as const, bookedByAccountId: 'acc-2' };

  it.each([
    ['own main person, e-mail session', own, viewer('password'), 'own-main'],
    ['own other person', ownChild, viewer('esia'), 'own-other'],
    ['same СНИЛС in another card file, ЕСИА session', elsewhere, viewer('esia'), 'linked-main'],
    ['same СНИЛС in another card file, e-mail session', elsewhere, viewer('password'), null],
    ['same полис but another СНИЛС in the clinic register, ЕСИА session', byPolicy, viewer('esia'), null],
    ['same полис in the clinic register, e-mail session', byPolicy, viewer('password'), null],
    [
      'same СНИЛС but the main person is not confirmed',
      elsewhere,
      viewer('esia', { ...main, status: 'pending' }),
      null,
    ],
    ['no main person yet', elsewhere, viewer('esia', null), null],
    ['a stranger', stranger, viewer('esia'), null],
  ] as const)('%s', (_name, owner, v, expected) => {
    expect(relationToViewer(owner, v)).toBe(expected);
  });

  it.each([
    ['own portal booking', own, mine, viewer('password'), true],
    ['own main person at the registry, e-mail session', own, registry, viewer('password'), false],
    ['own main person at the registry, ЕСИА session', own, registry, viewer('esia'), true],
    ['registry visit recorded in another card file, ЕСИА session', elsewhere, registry, viewer('esia'), true],
    ['registry visit of another СНИЛС with the same полис, ЕСИА session', byPolicy, registry, viewer('esia'), false],
    [
      'registry visit in the clinic register matched by полис, e-mail session',
      byPolicy,
      registry,
      viewer('password'),
      false,
    ],
    ['portal booking made by another account for the same person', elsewhere, theirs, viewer('esia'), false],
    ['child at the registry, ЕСИА session', ownChild, registry, viewer('esia'), false],
    ['a stranger’s portal booking', stranger, theirs, viewer('esia'), false],
  ] as const)('%s', (_name, owner, appointment, v, expected) => {
    expect(appointmentVisible(owner, appointment, v)).toBe(expected);
  });
});
