// HL7 FHIR R4 views of the portal's schedules and appointments (pure mapping, no I/O): a
// doctor's Schedule, its Slots, the organisation's Appointments and OperationOutcome errors.
// Each resource carries meta.versionId (fhir.version.ts); searches and their Bundles are
// fhir.search.ts.
//
// Identifier and code systems are fixed URIs, never built from PUBLIC_URL (they name a
// namespace, not a server, and must not change when the portal moves): the Russian FHIR
// community's core guide (fhir-ru/ru.core, NamingSystem core-ns-rf-snils:
// `http://fhir.ru/core/systems/snils`, type v2-0203 SB; the OMS policy
// `http://fhir.ru/core/systems/OMS` as in ru.core's Core_Coverage and the Ru-SEMD patient
// example, type v2-0203 SN) for the patient; the portal's own `urn:priyom:*` systems for its
// appointment reference numbers, the clinic systems' appointment ids and its specialties (the
// catalogue keeps no code of the federal nomenclature, НСИ 1.2.643.5.1.13.13.11.1066, so none is
// claimed). Cancellation reasons come from HL7's appointment-cancellation-reason code system.
import { fullName } from '../../../../shared/person.js';
import type { FhirResource } from './fhir.search.js';
import { appointmentVersion, contentVersion, withVersion } from './fhir.version.js';
import type { AppointmentInfo, DoctorInfo, SlotInfo } from './integration.repository.js';
import { externalSlotStatus } from './integration.rules.js';

export const FHIR_CONTENT_TYPE = 'application/fhir+json; charset=utf-8';
export const SNILS_SYSTEM = 'http://fhir.ru/core/systems/snils';
export const OMS_SYSTEM = 'http://fhir.ru/core/systems/OMS';
const CANCELLATION_REASON = 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason';
/** The portal's own code of an error, next to the FHIR issue type. */
export const ERROR_CODE_SYSTEM = 'urn:priyom:error-code';
/** The appointment's reference number as people see it (ПР-7K3M92QD): unique in the portal. */
export const APPOINTMENT_REFERENCE_SYSTEM = 'urn:priyom:appointment-reference';
/** A clinic system's own id of an appointment it pushed or created: unique within its organisation. */
export const EXTERNAL_APPOINTMENT_ID_SYSTEM = 'urn:priyom:external-appointment-id';
/**
 * The portal's specialties as a code system: the code is the specialty's id in the portal's
 * catalogue (stable: a specialty is renamed, never renumbered), the display its Russian name.
 */
export const SPECIALTY_SYSTEM = 'urn:priyom:specialty';

export type { FhirResource };

/** A specialty as a CodeableConcept: the portal's code and the name as display and text. */
export function specialtyConcept(specialtyId: number, name: string) {
  return { coding: [{ system: SPECIALTY_SYSTEM, code: String(specialtyId), display: name }], text: name };
}

export type FhirSlotStatus = 'free' | 'busy' | 'busy-unavailable';

export function fhirSlotStatus(s: Pick<SlotInfo, 'status' | 'heldUntil' | 'holdOfferId'>, now: Date): FhirSlotStatus {
  const status = externalSlotStatus(s, now);
  return status === 'blocked' ? 'busy-unavailable' : status;
}

/** A slot as seen at `now` (a lapsed hold is free); versioned by its content (fhir.version.ts). */
export function slotResource(s: SlotInfo, now: Date): FhirResource {
  const resource: FhirResource = {
    resourceType: 'Slot',
    id: String(s.id),
    schedule: { reference: `Schedule/${s.doctorId}` },
    status: fhirSlotStatus(s, now),
    start: s.startAt.toISOString(),
    end: s.endAt.toISOString(),
  };
  return withVersion(resource, contentVersion(resource));
}

/** A doctor's Schedule (its id is the doctor's), the specialty coded; versioned by its content. */
export function scheduleResource(d: DoctorInfo): FhirResource {
  const resource: FhirResource = {
    resourceType: 'Schedule',
    id: String(d.id),
    active: d.active,
    specialty: [specialtyConcept(d.specialtyId, d.specialty)],
    actor: [{ reference: `Practitioner/${d.id}`, display: fullName(d) }],
    comment: `Кабинет ${d.room}`,
  };
  return withVersion(resource, contentVersion(resource));
}

export type FhirAppointmentStatus = 'booked' | 'fulfilled' | 'noshow' | 'cancelled';
export const FHIR_APPOINTMENT_STATUSES: readonly FhirAppointmentStatus[] = [
  'booked',
  'fulfilled',
  'noshow',
  'cancelled',
];

/** The portal's statuses an Appointment status search matches (the inverse of fhirAppointmentStatus). */
export function portalAppointmentStatuses(s: FhirAppointmentStatus): string[] {
  switch (s) {
    case 'fulfilled':
      return ['visited'];
    case 'noshow':
      return ['no_show'];
    case 'cancelled':
      return ['cancelled'];
    default:
      return ['booked'];
  }
}

export function fhirAppointmentStatus(status: string): FhirAppointmentStatus {
  switch (status) {
    case 'visited':
      return 'fulfilled';
    case 'no_show':
      return 'noshow';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'booked';
  }
}

function cancelationReason(by: string | null, reason: string | null): Record<string, unknown> {
  if (by !== 'patient') {
    return {
      coding: [{ system: CANCELLATION_REASON, code: 'prov', display: 'Provider' }],
      text: 'Отменена медицинской организацией',
    };
  }
  const text =
    reason === 'moved'
      ? 'Перенесена пациентом на другое время'
      : reason === 'released'
        ? 'Освобождена пациентом: время занял пациент из листа ожидания'
        : 'Отменена по просьбе пациента';
  return { coding: [{ system: CANCELLATION_REASON, code: 'pat', display: 'Patient' }], text };
}

/** «Не смогу прийти» on a visit still booked: what the clinic's staff should read on it. */
export const RELEASED_COMMENT = 'Пациент предупредил, что не придёт';

/**
 * An Appointment: the patient as a reference to Patient/<person id> (the Patient resource holds
 * ФИО, birth date, sex, СНИЛС and полис), the doctor as Practitioner/<doctor id>, the slot, the
 * specialty coded; meta.versionId and meta.lastUpdated from its last change.
 */
export function appointmentResource(a: AppointmentInfo): FhirResource {
  const status = fhirAppointmentStatus(a.status);
  const resource: FhirResource = {
    resourceType: 'Appointment',
    id: a.id,
    identifier: [
      { system: APPOINTMENT_REFERENCE_SYSTEM, value: a.reference },
      ...(a.externalId ? [{ system: EXTERNAL_APPOINTMENT_ID_SYSTEM, value: a.externalId }] : []),
    ],
    status,
    ...(status === 'cancelled' ? { cancelationReason: cancelationReason(a.cancelledBy, a.cancelReason) } : {}),
    ...(status === 'booked' && a.releasedAt ? { comment: RELEASED_COMMENT } : {}),
    serviceType: [{ text: a.doctor.specialty }],
    specialty: [specialtyConcept(a.doctor.specialtyId, a.doctor.specialty)],
    start: a.startAt.toISOString(),
    end: a.endAt.toISOString(),
    created: a.createdAt.toISOString(),
    slot: [{ reference: `Slot/${a.slotId}` }],
    participant: [
      { actor: { reference: `Patient/${a.personId}` }, status: 'accepted' },
      { actor: { reference: `Practitioner/${a.doctor.id}`, display: fullName(a.doctor) }, status: 'accepted' },
    ],
  };
  return withVersion(resource, appointmentVersion(a.changedUs));
}

/** The FHIR issue type for an HTTP status. */
export function issueTypeFor(status: number): string {
  if (status === 401) return 'login';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  // A method or a format the server does not offer (405, 406, 415).
  if (status === 405 || status === 406 || status === 415) return 'not-supported';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 422) return 'business-rule';
  if (status === 428) return 'required';
  if (status === 429) return 'throttled';
  // The database is unreachable for a while: the client may try again (Retry-After).
  if (status === 503) return 'transient';
  if (status >= 500) return 'exception';
  return 'invalid';
}

export function operationOutcome(status: number, code: string, message: string): FhirResource {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: status >= 500 ? 'fatal' : 'error',
        code: issueTypeFor(status),
        details: { coding: [{ system: ERROR_CODE_SYSTEM, code }], text: message },
        diagnostics: message,
      },
    ],
  };
}
