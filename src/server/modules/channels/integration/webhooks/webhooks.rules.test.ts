import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  changeIdOf,
  eventBody,
  eventIdOf,
  isDelivered,
  isPrivateAddress,
  MAX_DELIVERY_ATTEMPTS,
  nextDeliveryDelayMs,
  signatureHeader,
  verifySignature,
  wantsEvent,
  webhookUrlProblem,
} from './webhooks.rules.js';

const production = { allowHttp: false, allowPrivateTargets: false };
const development = { allowHttp: true, allowPrivateTargets: true };

describe('webhookUrlProblem', () => {
  it.each([
    ['https://mis.example.ru/priyom/events', production, null],
    ['https://mis.example.ru:8443/hook?x=1', production, null],
    ['http://mis.example.ru/hook', production, 'https://'],
    ['http://mis.example.ru/hook', development, null],
    ['http://127.0.0.1:4000/hook', development, null],
    ['http://localhost:4000/hook', development, null],
    ['https://localhost/hook', production, 'внутреннюю сеть'],
    ['https://127.0.0.1/hook', production, 'внутреннюю сеть'],
    ['https://10.1.2.3/hook', production, 'внутреннюю сеть'],
    ['https://192.168.0.10/hook', production, 'внутреннюю сеть'],
    ['https://169.254.169.254/latest/meta-data', production, 'внутреннюю сеть'],
    ['https://[::1]/hook', production, 'внутреннюю сеть'],
    ['https://[fd00::1]/hook', production, 'внутреннюю сеть'],
    ['https://93.184.216.34/hook', production, null],
    ['https://user:pass@mis.example.ru/hook', production, 'пароль'],
    ['https://mis.example.ru/hook#part', production, '#'],
    ['https://intranet/hook', production, 'полное имя'],
    ['ftp://mis.example.ru/hook', development, 'https://'],
    ['mis.example.ru/hook', production, 'полный адрес'],
  ] as const)('%s (%j) -> %s', (url, policy, problem) => {
    const got = webhookUrlProblem(url, policy);
    if (problem === null) expect(got).toBeNull();
    else expect(got).toContain(problem);
  });
});

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.0.0.1', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['8.8.8.8', false],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:8.8.8.8', false],
    ['fe80::1', true],
    ['2a00:1450:4010::64', false],
    ['mis.example.ru', false],
  ] as const)('%s -> %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe('wantsEvent', () => {
  it.each([
    [['appointment.*'], 'appointment.cancelled', true],
    [['appointment.*'], 'slot.created', false],
    [['slot.updated'], 'slot.updated', true],
    [['slot.updated'], 'slot.created', false],
    [['appointment.created', 'slot.*'], 'slot.deleted', true],
  ] as const)('%j takes %s: %s', (selectors, type, expected) => {
    expect(wantsEvent(selectors, type)).toBe(expected);
  });
});

describe('event ids', () => {
  it('round-trip the change id', () => {
    expect(eventIdOf(42)).toBe('evt_42');
    expect(changeIdOf('evt_42')).toBe('42');
  });
  it.each(['evt_', 'evt_0', 'evt_-1', 'evt_01', 'evt_99999999999999999999', '42', 'evt_4x'])('refuses %s', (id) => {
    expect(changeIdOf(id)).toBeNull();
  });
});

describe('eventBody', () => {
  const createdAt = new Date('2026-11-25T09:00:00.123Z');
  it('carries the appointment as written, without the patient', () => {
    const body = eventBody({
      id: 17,
      eventType: 'appointment.cancelled',
      organisationId: 3,
      createdAt,
      data: {
        id: '6f1c1d4e-8a47-4a5e-9d0c-3b0a7e2f9a11',
        reference: 'ПР-7K3M92QD',
        externalId: null,
        source: 'portal',
        status: 'cancelled',
        cancelledBy: 'clinic',
        slotId: 5,
        doctorId: 2,
        startAt: '2026-11-26T10:00:00+03:00',
        endAt: '2026-11-26T10:15:00+03:00',
      },
    });
    expect(body).toEqual({
      id: 'evt_17',
      type: 'appointment.cancelled',
      sequence: 17,
      occurredAt: '2026-11-25T09:00:00.123Z',
      organisationId: 3,
      data: {
        appointment: {
          id: '6f1c1d4e-8a47-4a5e-9d0c-3b0a7e2f9a11',
          reference: 'ПР-7K3M92QD',
          externalId: null,
          source: 'portal',
          status: 'cancelled',
          cancelledBy: 'clinic',
          cancelReason: null,
          releasedAt: null,
          movedFromId: null,
          slotId: 5,
          doctorId: 2,
          startAt: '2026-11-26T07:00:00.000Z',
          endAt: '2026-11-26T07:15:00.000Z',
        },
      },
    });
  });
  it('carries a release’s mark and a move’s link as the log recorded them (migration 0019)', () => {
    const body = eventBody({
      id: 18,
      eventType: 'appointment.updated',
      organisationId: 3,
      createdAt,
      data: {
        id: '6f1c1d4e-8a47-4a5e-9d0c-3b0a7e2f9a11',
        reference: 'ПР-7K3M92QD',
        source: 'portal',
        status: 'booked',
        cancelReason: null,
        releasedAt: '2026-11-26T19:00:00+04:00',
        movedFromId: '0b6d2a51-0c9e-4d43-a6f4-0b5d0c2d9e77',
        slotId: 5,
        doctorId: 2,
        startAt: '2026-11-26T10:00:00+03:00',
        endAt: '2026-11-26T10:15:00+03:00',
      },
    });
    expect(body.data).toMatchObject({
      appointment: {
        status: 'booked',
        cancelReason: null,
        releasedAt: '2026-11-26T15:00:00.000Z',
        movedFromId: '0b6d2a51-0c9e-4d43-a6f4-0b5d0c2d9e77',
      },
    });
  });
  it('carries a slot with its outside status; a deleted slot has none', () => {
    const data = { id: 9, doctorId: 2, startAt: '2026-11-26T07:00:00+00:00', endAt: '2026-11-26T07:15:00+00:00' };
    expect(
      eventBody({ id: 1, eventType: 'slot.updated', organisationId: 3, createdAt, data: { ...data, status: 'busy' } })
        .data,
    ).toEqual({
      slot: {
        id: 9,
        doctorId: 2,
        startAt: '2026-11-26T07:00:00.000Z',
        endAt: '2026-11-26T07:15:00.000Z',
        status: 'busy',
      },
    });
    expect(eventBody({ id: 2, eventType: 'slot.deleted', organisationId: 3, createdAt, data }).data).toMatchObject({
      slot: { id: 9, status: null },
    });
  });
});

describe('signature', () => {
  const secret = 'whsec_test';
  const body = '{"id":"evt_1"}';
  it('is the hex HMAC-SHA256 of "timestamp.body" under the secret', () => {
    const expected = createHmac('sha256', secret).update(`1795597200.${body}`).digest('hex');
    expect(signatureHeader(secret, 1795597200, body)).toBe(`t=1795597200,v1=${expected}`);
  });
  it.each([
    ['the same body within the tolerance', body, secret, 1795597200 + 299, true],
    ['a changed body', '{"id":"evt_2"}', secret, 1795597200, false],
    ['another secret', body, 'whsec_other', 1795597200, false],
    ['an old timestamp (replayed capture)', body, secret, 1795597200 + 301, false],
    ['a timestamp from the future', body, secret, 1795597200 - 301, false],
  ])('verifies: %s -> %s', (_, got, key, now, ok) => {
    expect(verifySignature(key, signatureHeader(secret, 1795597200, body), got, now)).toBe(ok);
  });
  it.each([
    ['', 'empty'],
    ['v1=abc', 'no timestamp'],
    ['t=1795597200', 'no signature'],
    ['t=abc,v1=00', 'timestamp not a number'],
  ])('refuses header %j (%s)', (header) => {
    expect(verifySignature(secret, header, body, 1795597200)).toBe(false);
  });
  it('accepts any of several v1 signatures (a secret being rolled over)', () => {
    const good = signatureHeader(secret, 1795597200, body).split(',')[1];
    expect(verifySignature(secret, `t=1795597200,v1=${'0'.repeat(64)},${good}`, body, 1795597200)).toBe(true);
  });
});

describe('nextDeliveryDelayMs', () => {
  it.each([
    [1, 10_000],
    [2, 20_000],
    [3, 40_000],
    [6, 320_000],
    [11, 10_240_000],
    [12, 20_480_000],
    [13, 21_600_000], // capped at 6 hours
    [14, 21_600_000],
    [MAX_DELIVERY_ATTEMPTS, null], // given up: marked failed
    [MAX_DELIVERY_ATTEMPTS + 1, null],
  ])('after attempt %i: %s', (attempts, delay) => {
    expect(nextDeliveryDelayMs(attempts)).toBe(delay);
  });
});

describe('isDelivered', () => {
  it.each([
    [200, true],
    [204, true],
    [299, true],
    [301, false],
    [400, false],
    [500, false],
  ])('%i -> %s', (status, ok) => {
    expect(isDelivered(status)).toBe(ok);
  });
});
