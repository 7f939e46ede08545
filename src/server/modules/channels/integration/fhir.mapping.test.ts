import { describe, expect, it } from 'vitest';
import {
  appointmentResource,
  fhirAppointmentStatus,
  fhirSlotStatus,
  issueTypeFor,
  OMS_SYSTEM,
  operationOutcome,
  parseDateSearch,
  referenceId,
  searchBundle,
  slotResource,
  SNILS_SYSTEM,
} from './fhir.mapping.js';
import type { AppointmentInfo } from './integration.repository.js';

const now = new Date('2026-11-25T09:00:00Z');
const tz = 'Europe/Samara'; // UTC+4 all year

describe('parseDateSearch', () => {
  it('reads local dates in the organisation’s zone as whole days', () => {
    // ge 26 Nov local midnight (25 Nov 20:00 UTC) .. lt 28 Nov local midnight
    expect(parseDateSearch(['ge2026-11-26', 'lt2026-11-28'], tz, 'start', 31)).toEqual({
      ok: true,
      from: new Date('2026-11-25T20:00:00Z'),
      to: new Date('2026-11-27T20:00:00Z'),
    });
  });

  it('reads eq (no prefix) as that local day, le as up to its end, gt as after its end', () => {
    expect(parseDateSearch(['2026-11-26'], tz, 'start', 31)).toEqual({
      ok: true,
      from: new Date('2026-11-25T20:00:00Z'),
      to: new Date('2026-11-26T20:00:00Z'),
    });
    expect(parseDateSearch(['gt2026-11-26', 'le2026-11-27'], tz, 'start', 31)).toEqual({
      ok: true,
      from: new Date('2026-11-26T20:00:00Z'),
      to: new Date('2026-11-27T20:00:00Z'),
    });
  });

  it('takes instants with an offset as they are', () => {
    expect(parseDateSearch(['ge2026-11-26T10:00:00+04:00', 'lt2026-11-26T14:00:00Z'], tz, 'start', 31)).toEqual({
      ok: true,
      from: new Date('2026-11-26T06:00:00Z'),
      to: new Date('2026-11-26T14:00:00Z'),
    });
  });

  it.each([
    [[], 'no bounds'],
    [['ge2026-11-26'], 'no upper bound'],
    [['lt2026-11-26'], 'no lower bound'],
    [['ge2026-11-28', 'lt2026-11-26'], 'empty window'],
    [['ge2026-11-01', 'lt2026-12-03'], 'longer than 31 days'],
    [['ge2026-02-30', 'lt2026-03-02'], 'no such date'],
    [['ne2026-11-26'], 'unsupported prefix'],
    [['ge2026-11-26T10:00', 'lt2026-11-27'], 'instant without an offset'],
  ])('refuses %j (%s) with a Russian message', (values) => {
    const r = parseDateSearch(values, tz, 'start', 31);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/Параметр start/);
  });

  it('allows exactly 31 days', () => {
    expect(parseDateSearch(['ge2026-11-01', 'lt2026-12-02'], tz, 'start', 31).ok).toBe(true);
  });
});

describe('slots', () => {
  it.each([
    [{ status: 'free', heldUntil: null, holdOfferId: null }, 'free'],
    [{ status: 'booked', heldUntil: null, holdOfferId: null }, 'busy'],
    [{ status: 'held', heldUntil: new Date('2026-11-25T09:05:00Z'), holdOfferId: null }, 'busy'],
    [{ status: 'blocked', heldUntil: null, holdOfferId: null }, 'busy-unavailable'],
  ] as const)('%j is %s', (s, expected) => {
    expect(fhirSlotStatus(s, now)).toBe(expected);
  });

  it('maps a slot to a Slot of the doctor’s Schedule', () => {
    expect(
      slotResource(
        {
          id: 7,
          doctorId: 3,
          startAt: new Date('2026-11-26T06:00:00Z'),
          endAt: new Date('2026-11-26T06:30:00Z'),
          status: 'free',
          heldUntil: null,
          holdOfferId: null,
        },
        now,
      ),
    ).toEqual({
      resourceType: 'Slot',
      id: '7',
      schedule: { reference: 'Schedule/3' },
      status: 'free',
      start: '2026-11-26T06:00:00.000Z',
      end: '2026-11-26T06:30:00.000Z',
    });
  });
});

describe('appointments', () => {
  const row: AppointmentInfo = {
    id: '6f1c1d4e-8a47-4a5e-9d0c-3b0a7e2f9a11',
    reference: 'ПР-7K3M92QD',
    externalId: 'mis-42',
    source: 'electronic_queue',
    status: 'cancelled',
    cancelledBy: 'clinic',
    slotId: 7,
    startAt: new Date('2026-11-26T06:00:00Z'),
    endAt: new Date('2026-11-26T06:30:00Z'),
    createdAt: new Date('2026-11-25T08:00:00Z'),
    changedUs: '1795597200123456',
    doctor: {
      id: 3,
      lastName: 'Волков',
      firstName: 'Андрей',
      middleName: 'Геннадьевич',
      room: '106',
      specialty: 'терапевт',
    },
    patient: {
      lastName: 'Семёнова',
      firstName: 'Анна',
      middleName: null,
      birthDate: '1985-04-12',
      sex: 'F',
      snils: '11223344595',
      policy: '1800000000000001',
    },
  };

  it.each([
    ['booked', 'booked'],
    ['visited', 'fulfilled'],
    ['no_show', 'noshow'],
    ['cancelled', 'cancelled'],
  ])('%s is %s', (status, expected) => {
    expect(fhirAppointmentStatus(status)).toBe(expected);
  });

  it('carries the slot, the practitioner, the reason of a clinic’s cancellation and the patient as a contained Patient', () => {
    const a = appointmentResource(row, 'https://portal.example/fhir/R4/identifiers');
    expect(a).toMatchObject({
      resourceType: 'Appointment',
      id: row.id,
      status: 'cancelled',
      cancelationReason: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason', code: 'prov' }],
      },
      start: '2026-11-26T06:00:00.000Z',
      end: '2026-11-26T06:30:00.000Z',
      slot: [{ reference: 'Slot/7' }],
      participant: [
        { actor: { reference: '#patient', display: 'Семёнова Анна' }, status: 'accepted' },
        { actor: { reference: 'Practitioner/3', display: 'Волков Андрей Геннадьевич' }, status: 'accepted' },
      ],
      identifier: [
        { system: 'https://portal.example/fhir/R4/identifiers/reference', value: 'ПР-7K3M92QD' },
        { system: 'https://portal.example/fhir/R4/identifiers/external-id', value: 'mis-42' },
      ],
      meta: { lastUpdated: '2026-11-25T09:00:00.123Z' },
    });
    const [patient] = a.contained as Record<string, unknown>[];
    expect(patient).toMatchObject({
      resourceType: 'Patient',
      id: 'patient',
      name: [{ use: 'official', family: 'Семёнова', given: ['Анна'] }],
      gender: 'female',
      birthDate: '1985-04-12',
    });
    expect(patient.identifier).toEqual([
      expect.objectContaining({ system: SNILS_SYSTEM, value: '11223344595' }),
      expect.objectContaining({ system: OMS_SYSTEM, value: '1800000000000001' }),
    ]);
  });

  it('a booked appointment has no cancelation reason; a patient’s cancellation is “pat”', () => {
    expect(appointmentResource({ ...row, status: 'booked', cancelledBy: null }, 'x')).not.toHaveProperty(
      'cancelationReason',
    );
    expect(appointmentResource({ ...row, cancelledBy: 'patient' }, 'x')).toMatchObject({
      cancelationReason: { coding: [{ code: 'pat' }] },
    });
  });
});

describe('bundles, errors, references', () => {
  it('wraps resources in a searchset Bundle with full URLs', () => {
    const b = searchBundle('https://p/fhir/R4', 'https://p/fhir/R4/Slot?x=1', [{ resourceType: 'Slot', id: '7' }]);
    expect(b).toEqual({
      resourceType: 'Bundle',
      type: 'searchset',
      total: 1,
      link: [{ relation: 'self', url: 'https://p/fhir/R4/Slot?x=1' }],
      entry: [
        { fullUrl: 'https://p/fhir/R4/Slot/7', resource: { resourceType: 'Slot', id: '7' }, search: { mode: 'match' } },
      ],
    });
  });

  it.each([
    [400, 'invalid'],
    [401, 'login'],
    [403, 'forbidden'],
    [404, 'not-found'],
    [409, 'conflict'],
    [429, 'throttled'],
    [500, 'exception'],
    [503, 'transient'],
  ])('status %i is issue type %s', (status, type) => {
    expect(issueTypeFor(status)).toBe(type);
    expect(operationOutcome(status, 'X', 'Текст')).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ code: type, details: { coding: [{ code: 'X' }], text: 'Текст' }, diagnostics: 'Текст' }],
    });
  });

  it.each([
    ['Schedule/12', 'Schedule', 12],
    ['12', 'Schedule', 12],
    ['Practitioner/12', 'Schedule', null],
    ['Schedule/abc', 'Schedule', null],
    ['Schedule/', 'Schedule', null],
    ['Schedule/0x10', 'Schedule', null],
    ['Schedule/016', 'Schedule', null],
    ['Schedule/ 16', 'Schedule', null],
    ['Schedule/1e3', 'Schedule', null],
    ['Schedule/2147483648', 'Schedule', null],
  ])('%s as a %s reference -> %s', (value, type, expected) => {
    expect(referenceId(value, type)).toBe(expected);
  });
});
