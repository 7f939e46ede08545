// Pure rules of the FHIR R4 writes (issue 17): what a clinic system's Appointment, `$book`
// Parameters, PUT or JSON Patch asks for, in the terms of the integration push and status
// endpoints (integration.service.ts), plus If-Match and which HTTP status a refusal gets. No
// I/O, no clock: the service does the booking through the channels core.
import type { z } from 'zod';
import {
  channelSource,
  integrationExternalIdParam,
  patientIdentity,
  type PatientIdentityInput,
} from '../../../../shared/api/index.js';
import { parseDecimalId } from '../../../../shared/ids.js';
import type { ErrorCode } from '../../../errors.js';
import type { ChannelSource } from '../channels.rules.js';
import { OMS_SYSTEM, SNILS_SYSTEM } from './fhir.mapping.js';
import type { PersonIdentity } from '../../../../shared/person.js';

/** The extension that names the channel of a booking made by a clinic information system's key (`mis`). */
export const SOURCE_EXTENSION = 'urn:priyom:fhir:appointment-source';
export const CANCELLATION_REASON_SYSTEM = 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** What a create or `$book` asks for, in the integration push's terms. */
export interface BookingRequest {
  slot: { slotId: number } | { doctorId: number; startAt: string };
  patient: { identity: PersonIdentity } | { patientId: string };
  /** The clinic system's id of the appointment (Appointment.identifier with the external-id system). */
  externalId?: string;
  source?: ChannelSource;
  /** A Practitioner participant the request names: it must be the slot's doctor. */
  practitionerId?: number;
}

type Json = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const arrayOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const fail = <T>(message: string): Parsed<T> => ({ ok: false, message });
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });

/** `Patient/<uuid>` -> the uuid; null for anything else. */
export function patientReferenceId(reference: unknown): string | null {
  if (typeof reference !== 'string' || !reference.startsWith('Patient/')) return null;
  const id = reference.slice('Patient/'.length);
  return UUID.test(id) ? id : null;
}

function typedReferenceId(reference: unknown, resourceType: string): number | null {
  if (typeof reference !== 'string' || !reference.startsWith(`${resourceType}/`)) return null;
  return parseDecimalId(reference.slice(resourceType.length + 1));
}

function firstIssue(error: z.ZodError, where: string): string {
  const issue = error.issues[0];
  return `${where}: ${issue?.message ?? 'проверьте данные'}`;
}

/**
 * A FHIR Patient as the identity the integration push takes: ФИО from the official (else the
 * first) name — family, then given[0] as the first name and given[1] as the отчество — gender
 * male/female, birthDate, СНИЛС and полис ОМС from identifiers of the ru.core systems. Checked
 * by the push's own schema (СНИЛС checksum, 16-digit полис, real date, name letters).
 */
export function patientFromResource(resource: unknown, where: string): Parsed<PersonIdentity> {
  if (!isObject(resource) || resource.resourceType !== 'Patient') return fail(`${where}: ожидается ресурс Patient`);
  const names = arrayOf(resource.name).filter(isObject);
  const name = names.find((n) => n.use === 'official') ?? names[0];
  const given = name ? arrayOf(name.given) : [];
  if (!name || typeof name.family !== 'string' || typeof given[0] !== 'string') {
    return fail(`${where}.name: укажите фамилию (family) и имя (given)`);
  }
  if (given.length > 2 || (given[1] !== undefined && typeof given[1] !== 'string')) {
    return fail(`${where}.name.given: имя и, если есть, отчество — не больше двух строк`);
  }
  const sex = resource.gender === 'male' ? 'M' : resource.gender === 'female' ? 'F' : null;
  if (sex === null) return fail(`${where}.gender: укажите male или female`);
  const identifiers = arrayOf(resource.identifier).filter(isObject);
  const valuesOf = (system: string): unknown[] => identifiers.filter((i) => i.system === system).map((i) => i.value);
  const snils = valuesOf(SNILS_SYSTEM);
  const policy = valuesOf(OMS_SYSTEM);
  if (snils.length !== 1 || typeof snils[0] !== 'string') {
    return fail(`${where}.identifier: укажите один СНИЛС с системой ${SNILS_SYSTEM}`);
  }
  if (policy.length !== 1 || typeof policy[0] !== 'string') {
    return fail(`${where}.identifier: укажите один полис ОМС с системой ${OMS_SYSTEM}`);
  }
  const input: PatientIdentityInput = {
    lastName: name.family,
    firstName: given[0],
    middleName: typeof given[1] === 'string' ? given[1] : undefined,
    birthDate: typeof resource.birthDate === 'string' ? resource.birthDate : '',
    sex,
    snils: snils[0],
    policy: policy[0],
  };
  const parsed = patientIdentity.safeParse(input);
  if (!parsed.success) return fail(firstIssue(parsed.error, where));
  return ok(parsed.data);
}

function externalIdOf(identifiers: unknown, system: string, where: string): Parsed<string | undefined> {
  const values = arrayOf(identifiers)
    .filter(isObject)
    .filter((i) => i.system === system)
    .map((i) => i.value);
  if (values.length === 0) return ok(undefined);
  if (values.length > 1) return fail(`${where}: не больше одного идентификатора с системой ${system}`);
  const parsed = integrationExternalIdParam.shape.externalId.safeParse(values[0]);
  if (!parsed.success) return fail(firstIssue(parsed.error, where));
  return ok(parsed.data);
}

function sourceOf(extensions: unknown, where: string): Parsed<ChannelSource | undefined> {
  const values = arrayOf(extensions)
    .filter(isObject)
    .filter((e) => e.url === SOURCE_EXTENSION)
    .map((e) => e.valueCode);
  if (values.length === 0) return ok(undefined);
  const parsed = channelSource.safeParse(values[0]);
  if (values.length > 1 || !parsed.success) {
    return fail(`${where}: источник записи — один из ${channelSource.options.join(', ')}`);
  }
  return ok(parsed.data);
}

/**
 * An Appointment to create (POST /Appointment, or `appt-resource` of `$book`): status booked
 * (or absent), one slot — `Slot/<id>`, or no slot and `start` with a Practitioner participant —
 * and one patient participant: `#<id>` of a contained Patient with its identity, or
 * `Patient/<id>` of a patient the organisation already knows. `externalIdSystem` is the
 * identifier system of the clinic's own id.
 */
export function bookingFromAppointment(
  resource: unknown,
  externalIdSystem: string,
  where = 'Appointment',
): Parsed<BookingRequest> {
  if (!isObject(resource) || resource.resourceType !== 'Appointment') {
    return fail(`${where}: ожидается ресурс Appointment`);
  }
  if (resource.status !== undefined && resource.status !== 'booked') {
    return fail(`${where}.status: новая запись создаётся со статусом booked`);
  }
  const externalId = externalIdOf(resource.identifier, externalIdSystem, `${where}.identifier`);
  if (!externalId.ok) return externalId;
  const source = sourceOf(resource.extension, `${where}.extension`);
  if (!source.ok) return source;

  let patient: BookingRequest['patient'] | null = null;
  let practitionerId: number | undefined;
  for (const [i, p] of arrayOf(resource.participant).entries()) {
    const reference = isObject(p) && isObject(p.actor) ? p.actor.reference : undefined;
    const at = `${where}.participant[${i}].actor`;
    if (typeof reference !== 'string') return fail(`${at}: укажите ссылку reference`);
    if (reference.startsWith('Practitioner/')) {
      const id = typedReferenceId(reference, 'Practitioner');
      if (id === null || practitionerId !== undefined)
        return fail(`${at}: один врач вида Practitioner/<идентификатор>`);
      practitionerId = id;
      continue;
    }
    if (patient !== null) return fail(`${at}: в записи может быть только один пациент`);
    if (reference.startsWith('#')) {
      const contained = arrayOf(resource.contained).find((c) => isObject(c) && c.id === reference.slice(1));
      const identity = patientFromResource(contained, `${where}.contained`);
      if (!identity.ok) return identity;
      patient = { identity: identity.value };
    } else {
      const id = patientReferenceId(reference);
      if (id === null) return fail(`${at}: пациент — #<id> вложенного Patient или Patient/<идентификатор>`);
      patient = { patientId: id };
    }
  }
  if (patient === null) return fail(`${where}.participant: укажите пациента (Patient)`);

  const slots = arrayOf(resource.slot);
  let slot: BookingRequest['slot'];
  if (slots.length > 0) {
    const id = slots.length === 1 && isObject(slots[0]) ? typedReferenceId(slots[0].reference, 'Slot') : null;
    if (id === null) return fail(`${where}.slot: укажите одно время вида Slot/<идентификатор>`);
    slot = { slotId: id };
  } else {
    if (typeof resource.start !== 'string' || !INSTANT.test(resource.start) || practitionerId === undefined) {
      return fail(`${where}.slot: укажите Slot/<идентификатор> или время start вместе с врачом (Practitioner)`);
    }
    slot = { doctorId: practitionerId, startAt: resource.start };
  }
  return ok({
    slot,
    patient,
    ...(externalId.value !== undefined ? { externalId: externalId.value } : {}),
    ...(source.value !== undefined ? { source: source.value } : {}),
    ...(practitionerId !== undefined ? { practitionerId } : {}),
  });
}

/** A Slot named in `$book`: its id, or its schedule (`Schedule/<doctorId>`) and start. */
function slotOfResource(resource: unknown, where: string): Parsed<BookingRequest['slot']> {
  if (!isObject(resource) || resource.resourceType !== 'Slot') return fail(`${where}: ожидается ресурс Slot`);
  if (resource.id !== undefined) {
    const id = typeof resource.id === 'string' ? parseDecimalId(resource.id) : null;
    if (id === null) return fail(`${where}.id: неверный идентификатор времени`);
    return ok({ slotId: id });
  }
  const doctorId = isObject(resource.schedule) ? typedReferenceId(resource.schedule.reference, 'Schedule') : null;
  if (doctorId === null || typeof resource.start !== 'string' || !INSTANT.test(resource.start)) {
    return fail(`${where}: укажите id времени или schedule (Schedule/<идентификатор>) и start`);
  }
  return ok({ doctorId, startAt: resource.start });
}

/**
 * `$book` input. A Parameters resource in Medplum's shape (`slot`: one Slot resource;
 * `patient-reference`: Patient/<id>) or the Argonaut scheduling guide's (`appt-resource`: an
 * Appointment, `patient-resource`: a Patient); a Patient resource also as `patient`. Optional
 * `identifier` (valueIdentifier, the clinic's id) and `source` (valueCode) parameters. A bare
 * Appointment is booked as by create.
 */
export function bookingFromBookInput(resource: unknown, externalIdSystem: string): Parsed<BookingRequest> {
  if (isObject(resource) && resource.resourceType === 'Appointment') {
    return bookingFromAppointment(resource, externalIdSystem);
  }
  if (!isObject(resource) || resource.resourceType !== 'Parameters') {
    return fail('$book: ожидается ресурс Parameters или Appointment');
  }
  const params = arrayOf(resource.parameter).filter(isObject);
  const named = (name: string) => params.filter((p) => p.name === name);
  const known = new Set([
    'slot',
    'patient-reference',
    'patient-resource',
    'patient',
    'appt-resource',
    'identifier',
    'source',
  ]);
  const unknown = params.find((p) => typeof p.name !== 'string' || !known.has(p.name));
  if (unknown) return fail(`Parameters.parameter: неизвестный параметр ${String(unknown.name).slice(0, 40)}`);
  for (const name of known) {
    if (named(name).length > 1) return fail(`Parameters.parameter: параметр ${name} указан больше одного раза`);
  }
  const [slotParam] = named('slot');
  const [patientRef] = named('patient-reference');
  const [patientResource] = [...named('patient-resource'), ...named('patient')];
  const [appt] = named('appt-resource');
  if (named('patient-resource').length + named('patient').length > 1) {
    return fail('Parameters.parameter: пациент указан больше одного раза');
  }

  let base: Partial<BookingRequest> = {};
  if (appt) {
    // The Argonaut shape: the Appointment may leave the patient to patient-resource or patient-reference.
    if (slotParam) return fail('Parameters.parameter: укажите время либо в slot, либо в appt-resource');
    if (!isObject(appt.resource)) return fail('Parameters.appt-resource: ожидается ресурс Appointment');
    const appointment = appt.resource;
    const hasPatient = arrayOf(appointment.participant).some(
      (p) => isObject(p) && isObject(p.actor) && !String(p.actor.reference ?? '').startsWith('Practitioner/'),
    );
    let merged: Json = appointment;
    if (hasPatient && (patientRef || patientResource)) return fail('Parameters.parameter: пациент указан дважды');
    if (!hasPatient) {
      let reference: string;
      const contained = arrayOf(appointment.contained);
      if (patientResource) {
        if (!isObject(patientResource.resource)) return fail('Parameters.patient-resource: ожидается ресурс Patient');
        contained.push({ ...patientResource.resource, id: 'book-patient' });
        reference = '#book-patient';
      } else if (patientRef) {
        const id = patientReferenceId(isObject(patientRef.valueReference) ? patientRef.valueReference.reference : null);
        if (id === null) return fail('Parameters.patient-reference: ссылка вида Patient/<идентификатор>');
        reference = `Patient/${id}`;
      } else {
        return fail('Parameters.parameter: укажите пациента (patient-reference или patient-resource)');
      }
      merged = {
        ...appointment,
        contained,
        participant: [...arrayOf(appointment.participant), { actor: { reference } }],
      };
    }
    const parsed = bookingFromAppointment(merged, externalIdSystem, 'Parameters.appt-resource');
    if (!parsed.ok) return parsed;
    base = parsed.value;
  } else {
    if (!slotParam) return fail('Parameters.parameter: укажите время (slot) или запись (appt-resource)');
    const slot = slotOfResource(slotParam.resource, 'Parameters.slot');
    if (!slot.ok) return slot;
    if (patientRef && patientResource) return fail('Parameters.parameter: пациент указан дважды');
    if (patientResource) {
      const identity = patientFromResource(patientResource.resource, 'Parameters.patient');
      if (!identity.ok) return identity;
      base = { slot: slot.value, patient: { identity: identity.value } };
    } else if (patientRef) {
      const id = patientReferenceId(isObject(patientRef.valueReference) ? patientRef.valueReference.reference : null);
      if (id === null) return fail('Parameters.patient-reference: ссылка вида Patient/<идентификатор>');
      base = { slot: slot.value, patient: { patientId: id } };
    } else {
      return fail('Parameters.parameter: укажите пациента (patient-reference или patient-resource)');
    }
  }

  const [identifier] = named('identifier');
  if (identifier) {
    if (base.externalId !== undefined) return fail('Parameters.identifier: идентификатор указан дважды');
    const value = isObject(identifier.valueIdentifier) ? identifier.valueIdentifier : null;
    const parsed = externalIdOf(value ? [value] : [], externalIdSystem, 'Parameters.identifier');
    if (!parsed.ok) return parsed;
    if (parsed.value === undefined) return fail(`Parameters.identifier: идентификатор с системой ${externalIdSystem}`);
    base.externalId = parsed.value;
  }
  const [source] = named('source');
  if (source) {
    if (base.source !== undefined) return fail('Parameters.source: источник указан дважды');
    const parsed = channelSource.safeParse(source.valueCode);
    if (!parsed.success) return fail(`Parameters.source: один из ${channelSource.options.join(', ')}`);
    base.source = parsed.data;
  }
  if (!base.slot || !base.patient) return fail('$book: укажите время и пациента');
  return ok({ ...base, slot: base.slot, patient: base.patient });
}

// ---- status updates ----

/** The statuses a status update may ask for (FHIR Appointment.status). */
export type RequestedStatus = { status: string; reasonCode?: string };

/** What the integration status endpoint is asked to do. */
export type StatusInput = { status: 'visited' | 'no_show' | 'cancelled'; cancelledBy: 'patient' | 'clinic' };

export type StatusChange = { kind: 'none' } | { kind: 'change'; input: StatusInput } | { kind: 'refused' };

/** The patient asked (`pat`, `pat-…` codes of HL7's appointment-cancellation-reason), else the clinic. */
export function cancelledByOf(reasonCode: string | undefined): 'patient' | 'clinic' {
  return reasonCode === 'pat' || reasonCode?.startsWith('pat-') ? 'patient' : 'clinic';
}

/**
 * What a requested FHIR status means for a visit in `current` state (the portal's status):
 * cancelled (by the patient or the clinic, from the reason), noshow, fulfilled and arrived (the
 * visit took place: recorded as visited, read back as fulfilled). The same status again is no
 * change; anything else (booked after a cancel, proposed, pending, …) is refused. Whether the
 * change is allowed now (not cancelled twice, not before the visit) is the channels core's rule.
 */
export function statusChange(
  current: { status: string; cancelledBy: string | null },
  requested: RequestedStatus,
): StatusChange {
  const s = requested.status;
  if (s === 'booked') return current.status === 'booked' ? { kind: 'none' } : { kind: 'refused' };
  if (s === 'cancelled') {
    const by = cancelledByOf(requested.reasonCode);
    if (current.status === 'cancelled' && (requested.reasonCode === undefined || current.cancelledBy === by)) {
      return { kind: 'none' };
    }
    return { kind: 'change', input: { status: 'cancelled', cancelledBy: by } };
  }
  if (s === 'noshow') {
    return current.status === 'no_show'
      ? { kind: 'none' }
      : { kind: 'change', input: { status: 'no_show', cancelledBy: 'clinic' } };
  }
  if (s === 'fulfilled' || s === 'arrived') {
    return current.status === 'visited'
      ? { kind: 'none' }
      : { kind: 'change', input: { status: 'visited', cancelledBy: 'clinic' } };
  }
  return { kind: 'refused' };
}

function reasonCodeOf(reason: unknown): Parsed<string | undefined> {
  if (reason === undefined) return ok(undefined);
  const codes = isObject(reason)
    ? arrayOf(reason.coding)
        .filter(isObject)
        .filter((c) => c.system === CANCELLATION_REASON_SYSTEM)
        .map((c) => c.code)
    : [];
  if (!isObject(reason) || codes.length > 1 || (codes.length === 1 && typeof codes[0] !== 'string')) {
    return fail(`cancelationReason: код из системы ${CANCELLATION_REASON_SYSTEM} (pat — по просьбе пациента)`);
  }
  return ok(codes[0] as string | undefined);
}

/**
 * A PUT of an Appointment: the id must be the one in the path (FHIR update), and only the
 * status (with its cancellation reason) may differ from the stored resource — another slot,
 * start or end is FHIR_CHANGE_NOT_SUPPORTED.
 */
export function statusFromPut(
  resource: unknown,
  id: string,
  stored: { start: string; end: string; slotReference: string },
): Parsed<RequestedStatus> | { ok: false; code: 'FHIR_CHANGE_NOT_SUPPORTED' } {
  if (!isObject(resource) || resource.resourceType !== 'Appointment') return fail('Ожидается ресурс Appointment');
  if (resource.id !== id) return fail('Appointment.id: должен совпадать с идентификатором в адресе');
  if (typeof resource.status !== 'string') return fail('Appointment.status: укажите статус');
  const sameInstant = (a: unknown, b: string) => typeof a === 'string' && Date.parse(a) === Date.parse(b);
  const slots = arrayOf(resource.slot);
  if (
    (resource.start !== undefined && !sameInstant(resource.start, stored.start)) ||
    (resource.end !== undefined && !sameInstant(resource.end, stored.end)) ||
    (resource.slot !== undefined &&
      (slots.length !== 1 || !isObject(slots[0]) || slots[0].reference !== stored.slotReference))
  ) {
    return { ok: false, code: 'FHIR_CHANGE_NOT_SUPPORTED' };
  }
  const reason = reasonCodeOf(resource.cancelationReason);
  if (!reason.ok) return fail(`Appointment.${reason.message}`);
  return ok({ status: resource.status, ...(reason.value !== undefined ? { reasonCode: reason.value } : {}) });
}

/**
 * A JSON Patch (RFC 6902) of an Appointment: `replace`/`add` of /status and /cancelationReason,
 * `test` of /status against the stored status; any other path or operation is
 * FHIR_CHANGE_NOT_SUPPORTED. A failed `test` is FHIR_VERSION_CONFLICT (the resource is not
 * what the client believed).
 */
export function statusFromJsonPatch(
  patch: unknown,
  currentFhirStatus: string,
):
  | Parsed<RequestedStatus>
  | { ok: false; code: 'FHIR_CHANGE_NOT_SUPPORTED' }
  | { ok: false; code: 'FHIR_VERSION_CONFLICT' } {
  if (!Array.isArray(patch) || patch.length === 0 || patch.length > 10) {
    return fail('JSON Patch: ожидается непустой массив операций (не больше 10)');
  }
  let status: string | undefined;
  let reason: unknown;
  for (const [i, op] of patch.entries()) {
    if (!isObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') {
      return fail(`JSON Patch [${i}]: укажите op и path`);
    }
    if (op.op === 'test' && op.path === '/status') {
      if (op.value !== currentFhirStatus) return { ok: false, code: 'FHIR_VERSION_CONFLICT' };
      continue;
    }
    if (op.op !== 'replace' && op.op !== 'add') return { ok: false, code: 'FHIR_CHANGE_NOT_SUPPORTED' };
    if (op.path === '/status') {
      if (typeof op.value !== 'string') return fail(`JSON Patch [${i}]: статус — строка`);
      status = op.value;
    } else if (op.path === '/cancelationReason') {
      reason = op.value;
    } else {
      return { ok: false, code: 'FHIR_CHANGE_NOT_SUPPORTED' };
    }
  }
  if (status === undefined) return { ok: false, code: 'FHIR_CHANGE_NOT_SUPPORTED' };
  const code = reasonCodeOf(reason);
  if (!code.ok) return fail(`JSON Patch: ${code.message}`);
  return ok({ status, ...(code.value !== undefined ? { reasonCode: code.value } : {}) });
}

/** Refusals that are a conflict with the stored state (409); every other booking rule refusal is 422 in FHIR. */
const CONFLICTS: ReadonlySet<ErrorCode> = new Set(['SLOT_TAKEN', 'EXTERNAL_ID_CONFLICT', 'PATIENT_IDENTITY_MISMATCH']);

/**
 * The HTTP status of a refusal in the FHIR writes: the catalogue's status, except that a
 * business rule (a 409 of the catalogue that is not a conflict with stored data: a slot in the
 * past, an age limit, an overlap, a visit already cancelled, …) is 422 Unprocessable Entity,
 * as FHIR's RESTful API asks.
 */
export function fhirWriteStatus(code: ErrorCode, catalogueStatus: number): number {
  if (catalogueStatus === 409 && !CONFLICTS.has(code)) return 422;
  return catalogueStatus;
}
