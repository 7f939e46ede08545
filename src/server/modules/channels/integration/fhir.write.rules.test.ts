// Table tests of the FHIR writes' pure rules: reading an Appointment, $book Parameters, a PUT
// and a JSON Patch into the integration push's and status endpoint's terms, and the statuses.
import { describe, expect, it } from 'vitest';
import {
  bookingFromAppointment,
  bookingFromBookInput,
  cancelledByOf,
  fhirWriteStatus,
  patientFromResource,
  statusChange,
  statusFromJsonPatch,
  statusFromPut,
} from './fhir.write.rules.js';

const EXT = 'urn:test:external-id';
const SNILS = 'http://fhir.ru/core/systems/snils';
const OMS = 'http://fhir.ru/core/systems/OMS';
const PATIENT_ID = '0b7f3c52-8a5e-4a43-9a7c-1f7f3a4d2b10';
const patient = {
  resourceType: 'Patient',
  id: 'p',
  identifier: [
    { system: SNILS, value: '112-233-445 95' },
    { system: OMS, value: '1800000000000001' },
  ],
  name: [{ use: 'official', family: 'Кузьмина', given: ['Ольга', 'Петровна'] }],
  gender: 'female',
  birthDate: '1979-03-15',
};
const identity = {
  lastName: 'Кузьмина',
  firstName: 'Ольга',
  middleName: 'Петровна',
  birthDate: '1979-03-15',
  sex: 'F',
  snils: '11223344595',
  policy: '1800000000000001',
};

describe('patientFromResource', () => {
  it('reads the identity with the push’s own normalisation (СНИЛС digits)', () => {
    expect(patientFromResource(patient, 'Patient')).toEqual({ ok: true, value: identity });
  });

  it.each([
    ['not a Patient', { resourceType: 'Person' }, /Patient/],
    ['no family name', { ...patient, name: [{ given: ['Ольга'] }] }, /name/],
    ['three given names', { ...patient, name: [{ family: 'К', given: ['А', 'Б', 'В'] }] }, /given/],
    ['gender other', { ...patient, gender: 'other' }, /gender/],
    ['no СНИЛС', { ...patient, identifier: [patient.identifier[1]] }, /СНИЛС/],
    ['two полисы', { ...patient, identifier: [...patient.identifier, patient.identifier[1]] }, /полис/],
    [
      'a wrong СНИЛС checksum',
      { ...patient, identifier: [{ system: SNILS, value: '11223344590' }, patient.identifier[1]] },
      /контрольное/,
    ],
    ['a Latin name', { ...patient, name: [{ family: 'Smith', given: ['Olga'] }] }, /Фамилия|русские/],
    ['no birth date', { ...patient, birthDate: undefined }, /дат/i],
  ])('refuses %s', (_name, resource, message) => {
    const r = patientFromResource(resource, 'Patient');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});

describe('bookingFromAppointment', () => {
  const base = {
    resourceType: 'Appointment',
    status: 'booked',
    contained: [patient],
    slot: [{ reference: 'Slot/42' }],
    participant: [{ actor: { reference: '#p' } }],
  };

  it.each([
    ['a contained patient and a slot', base, { slot: { slotId: 42 }, patient: { identity } }],
    [
      'a known patient, the clinic id, a source and the doctor',
      {
        ...base,
        contained: undefined,
        identifier: [
          { system: EXT, value: 'mis-1' },
          { system: 'urn:other', value: 'x y' },
        ],
        extension: [{ url: 'urn:priyom:fhir:appointment-source', valueCode: 'registry' }],
        participant: [{ actor: { reference: `Patient/${PATIENT_ID}` } }, { actor: { reference: 'Practitioner/7' } }],
      },
      {
        slot: { slotId: 42 },
        patient: { patientId: PATIENT_ID },
        externalId: 'mis-1',
        source: 'registry',
        practitionerId: 7,
      },
    ],
    [
      'start and doctor instead of a slot',
      {
        ...base,
        slot: undefined,
        start: '2026-11-26T10:00:00+04:00',
        participant: [{ actor: { reference: '#p' } }, { actor: { reference: 'Practitioner/7' } }],
      },
      { slot: { doctorId: 7, startAt: '2026-11-26T10:00:00+04:00' }, patient: { identity }, practitionerId: 7 },
    ],
  ])('reads %s', (_name, resource, expected) => {
    expect(bookingFromAppointment(resource, EXT)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['another resource', { resourceType: 'Slot' }],
    ['status pending', { ...base, status: 'pending' }],
    ['no patient', { ...base, participant: [] }],
    [
      'two patients',
      { ...base, participant: [{ actor: { reference: '#p' } }, { actor: { reference: `Patient/${PATIENT_ID}` } }] },
    ],
    ['a contained id that is not there', { ...base, participant: [{ actor: { reference: '#q' } }] }],
    ['a Patient id that is not a uuid', { ...base, participant: [{ actor: { reference: 'Patient/12' } }] }],
    [
      'two doctors',
      {
        ...base,
        participant: [
          ...base.participant,
          { actor: { reference: 'Practitioner/1' } },
          { actor: { reference: 'Practitioner/2' } },
        ],
      },
    ],
    ['two slots', { ...base, slot: [{ reference: 'Slot/1' }, { reference: 'Slot/2' }] }],
    ['a slot that is not a Slot', { ...base, slot: [{ reference: 'Schedule/1' }] }],
    ['no slot and no doctor', { ...base, slot: undefined, start: '2026-11-26T10:00:00Z' }],
    [
      'a start without an offset',
      {
        ...base,
        slot: undefined,
        start: '2026-11-26T10:00:00',
        participant: [...base.participant, { actor: { reference: 'Practitioner/1' } }],
      },
    ],
    [
      'two clinic ids',
      {
        ...base,
        identifier: [
          { system: EXT, value: 'a' },
          { system: EXT, value: 'b' },
        ],
      },
    ],
    ['a clinic id with spaces', { ...base, identifier: [{ system: EXT, value: 'a b' }] }],
    ['an unknown source', { ...base, extension: [{ url: 'urn:priyom:fhir:appointment-source', valueCode: 'portal' }] }],
  ])('refuses %s', (_name, resource) => {
    expect(bookingFromAppointment(resource, EXT).ok).toBe(false);
  });
});

describe('bookingFromBookInput', () => {
  const slot = { name: 'slot', resource: { resourceType: 'Slot', id: '42' } };
  const ref = { name: 'patient-reference', valueReference: { reference: `Patient/${PATIENT_ID}` } };
  const res = { name: 'patient-resource', resource: patient };
  const params = (...parameter: unknown[]) => ({ resourceType: 'Parameters', parameter });

  it.each([
    [
      'Medplum: slot + patient-reference',
      params(slot, ref),
      { slot: { slotId: 42 }, patient: { patientId: PATIENT_ID } },
    ],
    [
      'slot + patient resource',
      params(slot, { name: 'patient', resource: patient }),
      { slot: { slotId: 42 }, patient: { identity } },
    ],
    [
      'slot by schedule and start, with identifier and source',
      params(
        {
          name: 'slot',
          resource: { resourceType: 'Slot', schedule: { reference: 'Schedule/7' }, start: '2026-11-26T06:00:00Z' },
        },
        res,
        { name: 'identifier', valueIdentifier: { system: EXT, value: 'q-1' } },
        { name: 'source', valueCode: 'electronic_queue' },
      ),
      {
        slot: { doctorId: 7, startAt: '2026-11-26T06:00:00Z' },
        patient: { identity },
        externalId: 'q-1',
        source: 'electronic_queue',
      },
    ],
    [
      'Argonaut: appt-resource + patient-resource',
      params(
        { name: 'appt-resource', resource: { resourceType: 'Appointment', slot: [{ reference: 'Slot/42' }] } },
        res,
      ),
      { slot: { slotId: 42 }, patient: { identity } },
    ],
    [
      'appt-resource + patient-reference',
      params(
        { name: 'appt-resource', resource: { resourceType: 'Appointment', slot: [{ reference: 'Slot/42' }] } },
        ref,
      ),
      { slot: { slotId: 42 }, patient: { patientId: PATIENT_ID } },
    ],
    [
      'a bare Appointment',
      {
        resourceType: 'Appointment',
        slot: [{ reference: 'Slot/42' }],
        contained: [patient],
        participant: [{ actor: { reference: '#p' } }],
      },
      { slot: { slotId: 42 }, patient: { identity } },
    ],
  ])('reads %s', (_name, input, expected) => {
    expect(bookingFromBookInput(input, EXT)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['a Bundle', { resourceType: 'Bundle' }],
    ['an unknown parameter', params(slot, ref, { name: 'hold' })],
    ['two slots', params(slot, slot, ref)],
    ['no patient', params(slot)],
    ['two patients', params(slot, ref, res)],
    ['no slot', params(ref)],
    [
      'a slot and an appt-resource',
      params(slot, ref, { name: 'appt-resource', resource: { resourceType: 'Appointment' } }),
    ],
    ['a slot id that is not a number', params({ name: 'slot', resource: { resourceType: 'Slot', id: 'x' } }, ref)],
    [
      'a bad patient-reference',
      params(slot, { name: 'patient-reference', valueReference: { reference: 'Patient/1' } }),
    ],
    [
      'an identifier of another system',
      params(slot, ref, { name: 'identifier', valueIdentifier: { system: 'urn:x', value: 'a' } }),
    ],
    ['an unknown source', params(slot, ref, { name: 'source', valueCode: 'portal' })],
  ])('refuses %s', (_name, input) => {
    expect(bookingFromBookInput(input, EXT).ok).toBe(false);
  });
});

describe('status updates', () => {
  const booked = { status: 'booked', cancelledBy: null };
  it.each([
    [booked, { status: 'cancelled' }, { kind: 'change', input: { status: 'cancelled', cancelledBy: 'clinic' } }],
    [
      booked,
      { status: 'cancelled', reasonCode: 'pat' },
      { kind: 'change', input: { status: 'cancelled', cancelledBy: 'patient' } },
    ],
    [
      booked,
      { status: 'cancelled', reasonCode: 'pat-mv' },
      { kind: 'change', input: { status: 'cancelled', cancelledBy: 'patient' } },
    ],
    [
      booked,
      { status: 'cancelled', reasonCode: 'maint' },
      { kind: 'change', input: { status: 'cancelled', cancelledBy: 'clinic' } },
    ],
    [booked, { status: 'noshow' }, { kind: 'change', input: { status: 'no_show', cancelledBy: 'clinic' } }],
    [booked, { status: 'fulfilled' }, { kind: 'change', input: { status: 'visited', cancelledBy: 'clinic' } }],
    [booked, { status: 'arrived' }, { kind: 'change', input: { status: 'visited', cancelledBy: 'clinic' } }],
    [booked, { status: 'booked' }, { kind: 'none' }],
    [booked, { status: 'proposed' }, { kind: 'refused' }],
    [booked, { status: 'checked-in' }, { kind: 'refused' }],
    [{ status: 'cancelled', cancelledBy: 'clinic' }, { status: 'cancelled' }, { kind: 'none' }],
    [{ status: 'cancelled', cancelledBy: 'clinic' }, { status: 'cancelled', reasonCode: 'prov' }, { kind: 'none' }],
    // Another reason for a cancelled visit: the status endpoint decides (ALREADY_CANCELLED).
    [
      { status: 'cancelled', cancelledBy: 'clinic' },
      { status: 'cancelled', reasonCode: 'pat' },
      { kind: 'change', input: { status: 'cancelled', cancelledBy: 'patient' } },
    ],
    [{ status: 'cancelled', cancelledBy: 'clinic' }, { status: 'booked' }, { kind: 'refused' }],
    [{ status: 'visited', cancelledBy: null }, { status: 'arrived' }, { kind: 'none' }],
    [{ status: 'no_show', cancelledBy: null }, { status: 'noshow' }, { kind: 'none' }],
    // Whether a no-show may become a visit is the status endpoint's rule, not this one's.
    [
      { status: 'no_show', cancelledBy: null },
      { status: 'fulfilled' },
      { kind: 'change', input: { status: 'visited', cancelledBy: 'clinic' } },
    ],
  ])('%o asked %o -> %o', (current, requested, expected) => {
    expect(statusChange(current, requested)).toEqual(expected);
  });

  it('reads who cancelled from the reason code', () => {
    expect([
      cancelledByOf(undefined),
      cancelledByOf('pat'),
      cancelledByOf('pat-crs'),
      cancelledByOf('prov'),
      cancelledByOf('patx'),
    ]).toEqual(['clinic', 'patient', 'patient', 'clinic', 'clinic']);
  });

  const stored = { start: '2026-11-26T06:00:00.000Z', end: '2026-11-26T06:30:00.000Z', slotReference: 'Slot/42' };
  const id = PATIENT_ID;
  const REASON = 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason';
  it.each([
    [
      { resourceType: 'Appointment', id, status: 'cancelled' },
      { ok: true, value: { status: 'cancelled' } },
    ],
    [
      {
        resourceType: 'Appointment',
        id,
        status: 'cancelled',
        start: '2026-11-26T10:00:00+04:00',
        slot: [{ reference: 'Slot/42' }],
        cancelationReason: { coding: [{ system: REASON, code: 'pat' }] },
      },
      { ok: true, value: { status: 'cancelled', reasonCode: 'pat' } },
    ],
    [
      { resourceType: 'Appointment', id, status: 'cancelled', start: '2026-11-26T07:00:00Z' },
      { ok: false, code: 'FHIR_CHANGE_NOT_SUPPORTED' },
    ],
    [
      { resourceType: 'Appointment', id, status: 'cancelled', slot: [{ reference: 'Slot/43' }] },
      { ok: false, code: 'FHIR_CHANGE_NOT_SUPPORTED' },
    ],
  ])('PUT %o', (body, expected) => {
    expect(statusFromPut(body, id, stored)).toEqual(expected);
  });

  it.each([
    [{ resourceType: 'Appointment', id: 'other', status: 'cancelled' }],
    [{ resourceType: 'Appointment', id }],
    [{ resourceType: 'Patient', id, status: 'cancelled' }],
    [{ resourceType: 'Appointment', id, status: 'cancelled', cancelationReason: 'pat' }],
  ])('PUT refuses %o as a bad resource', (body) => {
    const r = statusFromPut(body, id, stored);
    expect(r.ok).toBe(false);
    expect('message' in r).toBe(true);
  });

  it.each([
    [[{ op: 'replace', path: '/status', value: 'noshow' }], { ok: true, value: { status: 'noshow' } }],
    [
      [
        { op: 'test', path: '/status', value: 'booked' },
        { op: 'add', path: '/status', value: 'cancelled' },
        { op: 'add', path: '/cancelationReason', value: { coding: [{ system: REASON, code: 'pat' }] } },
      ],
      { ok: true, value: { status: 'cancelled', reasonCode: 'pat' } },
    ],
    [
      [
        { op: 'test', path: '/status', value: 'cancelled' },
        { op: 'replace', path: '/status', value: 'noshow' },
      ],
      { ok: false, code: 'FHIR_VERSION_CONFLICT' },
    ],
    [[{ op: 'replace', path: '/start', value: 'x' }], { ok: false, code: 'FHIR_CHANGE_NOT_SUPPORTED' }],
    [[{ op: 'remove', path: '/status' }], { ok: false, code: 'FHIR_CHANGE_NOT_SUPPORTED' }],
    [[{ op: 'test', path: '/status', value: 'booked' }], { ok: false, code: 'FHIR_CHANGE_NOT_SUPPORTED' }],
  ])('JSON Patch %o', (patch, expected) => {
    expect(statusFromJsonPatch(patch, 'booked')).toEqual(expected);
  });

  it.each([[[]], [{}], [[{ path: '/status' }]], [[{ op: 'replace', path: '/status', value: 3 }]]])(
    'JSON Patch refuses %o as malformed',
    (patch) => {
      const r = statusFromJsonPatch(patch, 'booked');
      expect(r.ok).toBe(false);
      expect('message' in r).toBe(true);
    },
  );
});

describe('fhirWriteStatus', () => {
  it.each([
    ['SLOT_TAKEN', 409, 409],
    ['EXTERNAL_ID_CONFLICT', 409, 409],
    ['PATIENT_IDENTITY_MISMATCH', 409, 409],
    ['SLOT_IN_PAST', 409, 422],
    ['OVERLAPPING_APPOINTMENT', 409, 422],
    ['ALREADY_CANCELLED', 409, 422],
    ['VISIT_NOT_FINISHED', 409, 422],
    ['SLOT_NOT_FOUND', 404, 404],
    ['VALIDATION_FAILED', 400, 400],
    ['FHIR_VERSION_CONFLICT', 412, 412],
    ['FHIR_IF_MATCH_REQUIRED', 428, 428],
  ] as const)('%s (%i in the catalogue) is %i', (code, catalogue, expected) => {
    expect(fhirWriteStatus(code, catalogue)).toBe(expected);
  });
});
