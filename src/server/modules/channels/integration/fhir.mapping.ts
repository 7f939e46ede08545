// HL7 FHIR R4 views of the portal's schedules and appointments (pure mapping, no I/O):
// a doctor's Schedule, its Slots, the organisation's Appointments, searchset Bundles and
// OperationOutcome errors, plus the parsing of FHIR date search parameters.
//
// Identifier systems follow the Russian FHIR community's core guide (fhir-ru/ru.core,
// NamingSystem core-ns-rf-snils: `http://fhir.ru/core/systems/snils`, type v2-0203 SB; the
// OMS policy `http://fhir.ru/core/systems/OMS` as in ru.core's Core_Coverage and the
// Ru-SEMD patient example, type v2-0203 SN). Cancellation reasons come from HL7's
// appointment-cancellation-reason code system (`pat`, `prov`).
import { parseDecimalId } from '../../../../shared/ids.js';
import { addDays, zonedToInstant } from '../../../../shared/time.js';
import type { AppointmentInfo, DoctorInfo, SlotInfo } from './integration.repository.js';
import { externalSlotStatus } from './integration.rules.js';
import { fullName } from '../../../../shared/person.js';

export const FHIR_CONTENT_TYPE = 'application/fhir+json; charset=utf-8';
export const SNILS_SYSTEM = 'http://fhir.ru/core/systems/snils';
export const OMS_SYSTEM = 'http://fhir.ru/core/systems/OMS';
const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const CANCELLATION_REASON = 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason';
/** The portal's own code of an error, next to the FHIR issue type. */
export const ERROR_CODE_SYSTEM = 'urn:priyom:error-code';

export type FhirResource = { resourceType: string; id?: string } & Record<string, unknown>;

export type FhirSlotStatus = 'free' | 'busy' | 'busy-unavailable';

export function fhirSlotStatus(s: Pick<SlotInfo, 'status' | 'heldUntil' | 'holdOfferId'>, now: Date): FhirSlotStatus {
  const status = externalSlotStatus(s, now);
  return status === 'blocked' ? 'busy-unavailable' : status;
}

export function slotResource(s: SlotInfo, now: Date): FhirResource {
  return {
    resourceType: 'Slot',
    id: String(s.id),
    schedule: { reference: `Schedule/${s.doctorId}` },
    status: fhirSlotStatus(s, now),
    start: s.startAt.toISOString(),
    end: s.endAt.toISOString(),
  };
}

export function scheduleResource(d: DoctorInfo): FhirResource {
  return {
    resourceType: 'Schedule',
    id: String(d.id),
    active: d.active,
    specialty: [{ text: d.specialty }],
    actor: [{ reference: `Practitioner/${d.id}`, display: fullName(d) }],
    comment: `Кабинет ${d.room}`,
  };
}

export type FhirAppointmentStatus = 'booked' | 'fulfilled' | 'noshow' | 'cancelled';

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

function cancelationReason(by: string | null): Record<string, unknown> {
  return by === 'patient'
    ? {
        coding: [{ system: CANCELLATION_REASON, code: 'pat', display: 'Patient' }],
        text: 'Отменена по просьбе пациента',
      }
    : {
        coding: [{ system: CANCELLATION_REASON, code: 'prov', display: 'Provider' }],
        text: 'Отменена медицинской организацией',
      };
}

/** Microseconds since the epoch (text) as an ISO instant with milliseconds. */
function instantOfUs(us: string): string {
  return new Date(Number(BigInt(us) / 1000n)).toISOString();
}

/**
 * An Appointment with the patient as a contained Patient (ФИО, birth date, sex, СНИЛС,
 * полис: the clinic's own patient, sent over an authenticated channel only).
 */
export function appointmentResource(a: AppointmentInfo, identifierBase: string): FhirResource {
  const p = a.patient;
  const status = fhirAppointmentStatus(a.status);
  const resource: FhirResource = {
    resourceType: 'Appointment',
    id: a.id,
    meta: { lastUpdated: instantOfUs(a.changedUs) },
    contained: [
      {
        resourceType: 'Patient',
        id: 'patient',
        identifier: [
          { type: { coding: [{ system: V2_0203, code: 'SB' }], text: 'СНИЛС' }, system: SNILS_SYSTEM, value: p.snils },
          {
            type: { coding: [{ system: V2_0203, code: 'SN' }], text: 'Полис ОМС' },
            system: OMS_SYSTEM,
            value: p.policy,
          },
        ],
        name: [{ use: 'official', family: p.lastName, given: [p.firstName, ...(p.middleName ? [p.middleName] : [])] }],
        gender: p.sex === 'M' ? 'male' : 'female',
        birthDate: p.birthDate,
      },
    ],
    identifier: [
      { system: `${identifierBase}/reference`, value: a.reference },
      ...(a.externalId ? [{ system: `${identifierBase}/external-id`, value: a.externalId }] : []),
    ],
    status,
    ...(status === 'cancelled' ? { cancelationReason: cancelationReason(a.cancelledBy) } : {}),
    serviceType: [{ text: a.doctor.specialty }],
    start: a.startAt.toISOString(),
    end: a.endAt.toISOString(),
    created: a.createdAt.toISOString(),
    slot: [{ reference: `Slot/${a.slotId}` }],
    participant: [
      { actor: { reference: '#patient', display: fullName(p) }, status: 'accepted' },
      { actor: { reference: `Practitioner/${a.doctor.id}`, display: fullName(a.doctor) }, status: 'accepted' },
    ],
  };
  return resource;
}

/** A searchset Bundle of the resources; `base` is the FHIR base URL (…/fhir/R4). */
export function searchBundle(base: string, selfUrl: string, resources: FhirResource[]): FhirResource {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    link: [{ relation: 'self', url: selfUrl }],
    entry: resources.map((r) => ({
      fullUrl: `${base}/${r.resourceType}/${r.id}`,
      resource: r,
      search: { mode: 'match' },
    })),
  };
}

/** The FHIR issue type for an HTTP status. */
export function issueTypeFor(status: number): string {
  if (status === 401) return 'login';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
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

export type DateRange = { ok: true; from: Date; to: Date } | { ok: false; message: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

function isCalendarDate(v: string): boolean {
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/**
 * A FHIR date search (`start=ge2026-11-26&start=lt2026-11-30`, or instants with an offset)
 * as a half-open window [from, to). A date without time is a whole local day in the
 * organisation's zone. Prefixes ge, gt, le, lt, eq (the default); both ends are required and
 * the window is at most `maxDays` days.
 */
export function parseDateSearch(
  values: readonly string[],
  timeZone: string,
  param: string,
  maxDays: number,
): DateRange {
  let from: number | null = null;
  let to: number | null = null;
  const bad = (): DateRange => ({
    ok: false,
    message: `Параметр ${param}: укажите период вида ${param}=ge2026-11-26&${param}=lt2026-11-30 (даты или время со смещением, не длиннее ${maxDays} дней)`,
  });
  for (const raw of values) {
    const m = /^(ge|gt|le|lt|eq)?(.+)$/.exec(raw.trim());
    if (!m) return bad();
    const prefix = m[1] ?? 'eq';
    const value = m[2];
    let start: number;
    let end: number; // exclusive
    if (DATE.test(value) && isCalendarDate(value)) {
      start = zonedToInstant(value, '00:00', timeZone).getTime();
      end = zonedToInstant(addDays(value, 1), '00:00', timeZone).getTime();
    } else if (DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) {
      start = Date.parse(value);
      end = start + 1;
    } else {
      return bad();
    }
    const lower = prefix === 'ge' || prefix === 'eq' ? start : prefix === 'gt' ? end : null;
    const upper = prefix === 'lt' ? start : prefix === 'le' || prefix === 'eq' ? end : null;
    if (lower !== null) from = from === null ? lower : Math.max(from, lower);
    if (upper !== null) to = to === null ? upper : Math.min(to, upper);
  }
  if (from === null || to === null || to <= from || to - from > maxDays * 86_400_000 + 3_600_000) return bad();
  return { ok: true, from: new Date(from), to: new Date(to) };
}

/** `Schedule/12`, `Practitioner/12` or `12` -> 12; null for anything else. */
export function referenceId(value: string, resourceType: string): number | null {
  const id = value.startsWith(`${resourceType}/`) ? value.slice(resourceType.length + 1) : value;
  return parseDecimalId(id);
}
