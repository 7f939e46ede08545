import { describe, expect, it } from 'vitest';
import {
  cancelledVia,
  channelCancelRefusal,
  nameKey,
  outcomeRefusal,
  sourceFor,
  type ChannelActor,
} from './channels.rules.js';

const registrar: ChannelActor = { kind: 'staff', organisationId: 1, accountId: 'a', role: 'registrar', doctorId: null };
const doctor: ChannelActor = { kind: 'staff', organisationId: 1, accountId: 'b', role: 'doctor', doctorId: 7 };
const kiosk: ChannelActor = { kind: 'kiosk', organisationId: 1, deviceId: 'k' };
const queue: ChannelActor = { kind: 'api', organisationId: 1, apiKeyId: 'q', channel: 'electronic_queue' };
const mis: ChannelActor = { kind: 'api', organisationId: 1, apiKeyId: 'm', channel: 'mis' };

describe('sourceFor', () => {
  it.each([
    ['the registry desk', registrar, undefined, 'registry'],
    ['the registry desk naming its own source', registrar, 'registry', 'registry'],
    ['the registry desk naming another source', registrar, 'infomat', null],
    ['a doctor', doctor, undefined, 'doctor'],
    ['a kiosk', kiosk, undefined, 'infomat'],
    ['a kiosk naming the queue', kiosk, 'electronic_queue', null],
    ['an electronic queue key', queue, undefined, 'electronic_queue'],
    ['an electronic queue key naming the registry', queue, 'registry', null],
    ['a clinic information system naming the registry', mis, 'registry', 'registry'],
    ['a clinic information system naming the doctor', mis, 'doctor', 'doctor'],
    ['a clinic information system naming nothing', mis, undefined, null],
  ] as const)('%s', (_name, actor, requested, expected) => {
    expect(sourceFor(actor, requested)).toBe(expected);
  });
});

describe('cancelledVia', () => {
  it.each([
    [registrar, 'registry'],
    [doctor, 'doctor'],
    [kiosk, 'infomat'],
    [queue, 'integration'],
    [mis, 'integration'],
  ] as const)('%#', (actor, expected) => {
    expect(cancelledVia(actor)).toBe(expected);
  });
});

describe('channelCancelRefusal', () => {
  // A visit at 10:00 Samara (06:00 UTC) on 27 November; the cut-off is 18:00 Samara on the 26th (14:00 UTC).
  const base = {
    source: 'registry' as const,
    status: 'booked' as const,
    startAt: new Date('2026-11-27T06:00:00Z'),
    timeZone: 'Europe/Samara',
    cutoff: '18:00',
  };
  const beforeCutoff = new Date('2026-11-26T13:59:00Z');
  const afterCutoff = new Date('2026-11-26T14:00:00Z');
  const afterStart = new Date('2026-11-27T06:00:00Z');

  it.each([
    ['registry, before the cut-off', registrar, {}, beforeCutoff, null],
    ['registry, after the cut-off: the desk still can', registrar, {}, afterCutoff, null],
    ['registry, a portal booking', registrar, { source: 'portal' }, afterCutoff, null],
    ['registry, once the visit began', registrar, {}, afterStart, 'VISIT_IN_PAST'],
    ['registry, already cancelled', registrar, { status: 'cancelled' }, beforeCutoff, 'ALREADY_CANCELLED'],
    ['registry, a visited visit', registrar, { status: 'visited' }, beforeCutoff, 'VISIT_IN_PAST'],
    ['a clinic system, after the cut-off', queue, {}, afterCutoff, null],
    ['a kiosk, its own channel before the cut-off', kiosk, { source: 'infomat' }, beforeCutoff, null],
    ['a kiosk, a registry visit before the cut-off', kiosk, {}, beforeCutoff, null],
    ['a kiosk, at the cut-off', kiosk, { source: 'infomat' }, afterCutoff, 'CUTOFF_PASSED'],
    ['a kiosk, a portal booking', kiosk, { source: 'portal' }, beforeCutoff, 'NOT_CANCELLABLE_AT_KIOSK'],
    [
      'a kiosk, already cancelled portal booking',
      kiosk,
      { source: 'portal', status: 'cancelled' },
      beforeCutoff,
      'ALREADY_CANCELLED',
    ],
  ] as const)('%s', (_name, actor, overrides, now, expected) => {
    expect(channelCancelRefusal(actor, { ...base, ...overrides }, now)).toBe(expected);
  });
});

describe('outcomeRefusal', () => {
  const startAt = new Date('2026-11-27T06:00:00Z');
  it.each([
    ['before the visit', 'booked', new Date('2026-11-27T05:59:00Z'), 'VISIT_NOT_FINISHED'],
    ['when it begins', 'booked', startAt, null],
    ['later the same day', 'booked', new Date('2026-11-27T12:00:00Z'), null],
    ['a no-show corrected to visited', 'no_show', new Date('2026-11-27T12:00:00Z'), null],
    ['a cancelled visit', 'cancelled', new Date('2026-11-27T12:00:00Z'), 'ALREADY_CANCELLED'],
  ] as const)('%s', (_name, status, now, expected) => {
    expect(outcomeRefusal({ status, startAt }, now)).toBe(expected);
  });
});

describe('nameKey', () => {
  it('trims and lowers Russian names, keeping ё and the hyphen', () => {
    expect(nameKey('  Семёнова-Ёлкина ')).toBe('семёнова-ёлкина');
  });
});
