// Table tests of the FHIR mapping: slot and appointment statuses, the resources' shapes and
// versions, coded specialties, OperationOutcome issue types, date windows and references.
import { describe, expect, it } from 'vitest';
import { parseDecimalId } from '../../../../shared/ids.js';
import { AppError } from '../../../errors.js';
import {
  appointmentResource,
  RELEASED_COMMENT,
  fhirAppointmentStatus,
  fhirSlotStatus,
  FHIR_APPOINTMENT_STATUSES,
  issueTypeFor,
  operationOutcome,
  portalAppointmentStatuses,
  scheduleResource,
  slotResource,
} from './fhir.mapping.js';
import { parseDateSearch, referenceParam } from './fhir.search.js';
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
      meta: { versionId: expect.stringMatching(/^[0-9a-f]{16}$/) },
      schedule: { reference: 'Schedule/3' },
      status: 'free',
      start: '2026-11-26T06:00:00.000Z',
      end: '2026-11-26T06:30:00.000Z',
    });
  });

  it('a slot’s version changes with what it shows (a hold that lapses frees it without a write)', () => {
    const held = {
      id: 7,
      doctorId: 3,
      startAt: new Date('2026-11-26T06:00:00Z'),
      endAt: new Date('2026-11-26T06:30:00Z'),
      status: 'held',
      heldUntil: new Date('2026-11-25T09:05:00Z'),
      holdOfferId: null,
    };
    const before = slotResource(held, now);
    const after = slotResource(held, new Date('2026-11-25T09:06:00Z'));
    expect([before.status, after.status]).toEqual(['busy', 'free']);
    expect((before.meta as { versionId: string }).versionId).not.toBe((after.meta as { versionId: string }).versionId);
    expect(slotResource(held, now)).toEqual(before);
  });
});

describe('schedules', () => {
  it('codes the specialty with the portal’s code system, and versions by content', () => {
    const doctor = {
      id: 3,
      lastName: 'Волков',
      firstName: 'Андрей',
      middleName: null,
      room: '106',
      active: true,
      specialtyId: 5,
      specialty: 'терапевт',
    };
    const s = scheduleResource(doctor);
    expect(s).toMatchObject({
      resourceType: 'Schedule',
      id: '3',
      specialty: [{ coding: [{ system: 'urn:priyom:specialty', code: '5', display: 'терапевт' }], text: 'терапевт' }],
      actor: [{ reference: 'Practitioner/3', display: 'Волков Андрей' }],
    });
    expect(scheduleResource({ ...doctor, room: '107' }).meta).not.toEqual(s.meta);
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
    cancelReason: null,
    releasedAt: null,
    movedFromId: null,
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
      specialtyId: 5,
      specialty: 'терапевт',
    },
    personId: '0b8f2d5e-1c4a-4e7b-9a3d-6f2e8c1b7a90',
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

  it.each(FHIR_APPOINTMENT_STATUSES)('a search for %s finds the portal statuses shown as it', (fhir) => {
    for (const portal of portalAppointmentStatuses(fhir)) expect(fhirAppointmentStatus(portal)).toBe(fhir);
  });

  it('carries the slot, the practitioner, the patient by reference, the reason of a clinic’s cancellation, stable identifier systems and its version', () => {
    const a = appointmentResource(row);
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
        { actor: { reference: 'Patient/0b8f2d5e-1c4a-4e7b-9a3d-6f2e8c1b7a90' }, status: 'accepted' },
        { actor: { reference: 'Practitioner/3', display: 'Волков Андрей Геннадьевич' }, status: 'accepted' },
      ],
      identifier: [
        { system: 'urn:priyom:appointment-reference', value: 'ПР-7K3M92QD' },
        { system: 'urn:priyom:external-appointment-id', value: 'mis-42' },
      ],
      specialty: [{ coding: [{ system: 'urn:priyom:specialty', code: '5' }], text: 'терапевт' }],
      meta: { versionId: '1795597200123456', lastUpdated: '2026-11-25T09:00:00.123456Z' },
    });
    // Nothing of the patient but the reference: ФИО, СНИЛС and полис live in Patient/<id>.
    expect(a).not.toHaveProperty('contained');
    expect(JSON.stringify(a)).not.toMatch(/Семёнова|11223344595|1800000000000001/);
  });

  it('a booked appointment has no cancelation reason; a patient’s cancellation is “pat”', () => {
    expect(appointmentResource({ ...row, status: 'booked', cancelledBy: null })).not.toHaveProperty(
      'cancelationReason',
    );
    expect(appointmentResource({ ...row, cancelledBy: 'patient' })).toMatchObject({
      cancelationReason: { coding: [{ code: 'pat' }] },
    });
  });

  it.each([
    [null, 'Отменена по просьбе пациента'],
    ['moved', 'Перенесена пациентом на другое время'],
    ['released', 'Освобождена пациентом: время занял пациент из листа ожидания'],
  ])('a patient’s cancellation with reason %s says so in its text', (reason, text) => {
    expect(appointmentResource({ ...row, cancelledBy: 'patient', cancelReason: reason })).toMatchObject({
      cancelationReason: { coding: [{ code: 'pat' }], text },
    });
  });

  it('a booked visit the patient released says «Пациент предупредил, что не придёт» in comment', () => {
    const released = { ...row, status: 'booked', cancelledBy: null, releasedAt: new Date('2026-11-25T15:00:00Z') };
    expect(appointmentResource(released)).toMatchObject({ status: 'booked', comment: RELEASED_COMMENT });
    expect(appointmentResource({ ...released, releasedAt: null })).not.toHaveProperty('comment');
  });
});

describe('errors and references', () => {
  it.each([
    [400, 'invalid'],
    [401, 'login'],
    [403, 'forbidden'],
    [404, 'not-found'],
    [405, 'not-supported'],
    [406, 'not-supported'],
    [409, 'conflict'],
    [412, 'conflict'],
    [422, 'business-rule'],
    [428, 'required'],
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
    const param = referenceParam('schedule', type, 'test', parseDecimalId);
    if (expected === null) expect(() => param.parse([value], { timeZone: tz })).toThrow(AppError);
    else expect(param.parse([value], { timeZone: tz })).toEqual([expected]);
  });
});
