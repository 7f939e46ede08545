// HL7 FHIR R4 views of what the Schedule, Slot and Appointment resources point at (pure mapping,
// no I/O): the key's Organization and its Location (the organisation's address), a doctor as
// Practitioner and as PractitionerRole (the doctor's specialty, coded, at the organisation),
// and a patient as Patient — with no more than the integration API already gives the key.
//
// Ids: Organization and Location are the organisation's id (one site per organisation),
// Practitioner and PractitionerRole the doctor's id (one role per doctor), Patient the id of the
// person row of a visit (a patient booked on the portal and through a clinic's channel may be
// two rows of one real person, as the integration API's feed shows them).
import { fullName } from '../../../../shared/person.js';
import { OMS_SYSTEM, SNILS_SYSTEM, specialtyConcept, type FhirResource } from './fhir.mapping.js';
import type { OrganisationDetails, PatientRow, PractitionerRow } from './fhir.resources.repository.js';

const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';

export function organizationResource(o: OrganisationDetails): FhirResource {
  return {
    resourceType: 'Organization',
    id: String(o.id),
    active: true,
    name: o.name,
    alias: [o.shortName],
    telecom: [{ system: 'phone', value: o.phone, use: 'work' }],
    address: [{ use: 'work', type: 'physical', text: o.address }],
  };
}

export function locationResource(o: OrganisationDetails): FhirResource {
  return {
    resourceType: 'Location',
    id: String(o.id),
    status: 'active',
    name: o.shortName,
    mode: 'instance',
    telecom: [{ system: 'phone', value: o.phone, use: 'work' }],
    address: { use: 'work', type: 'physical', text: o.address },
    managingOrganization: { reference: `Organization/${o.id}`, display: o.shortName },
  };
}

function humanName(d: { lastName: string; firstName: string; middleName: string | null }) {
  return {
    use: 'official',
    text: fullName(d),
    family: d.lastName,
    given: [d.firstName, ...(d.middleName ? [d.middleName] : [])],
  };
}

export function practitionerResource(d: PractitionerRow): FhirResource {
  return { resourceType: 'Practitioner', id: String(d.id), active: d.active, name: [humanName(d)] };
}

export function practitionerRoleResource(d: PractitionerRow, organisationName: string): FhirResource {
  return {
    resourceType: 'PractitionerRole',
    id: String(d.id),
    active: d.active,
    practitioner: { reference: `Practitioner/${d.id}`, display: fullName(d) },
    organization: { reference: `Organization/${d.organisationId}`, display: organisationName },
    ...(d.position ? { code: [{ text: d.position }] } : {}),
    specialty: [specialtyConcept(d.specialtyId, d.specialty)],
    location: [{ reference: `Location/${d.organisationId}` }],
  };
}

/** A patient with a visit at the key's organisation: ФИО, sex, birth date, СНИЛС and полис, as the feed gives them. */
export function patientResource(p: PatientRow): FhirResource {
  return {
    resourceType: 'Patient',
    id: p.id,
    identifier: [
      { type: { coding: [{ system: V2_0203, code: 'SB' }], text: 'СНИЛС' }, system: SNILS_SYSTEM, value: p.snils },
      { type: { coding: [{ system: V2_0203, code: 'SN' }], text: 'Полис ОМС' }, system: OMS_SYSTEM, value: p.policy },
    ],
    name: [{ use: 'official', family: p.lastName, given: [p.firstName, ...(p.middleName ? [p.middleName] : [])] }],
    gender: p.sex === 'M' ? 'male' : 'female',
    birthDate: p.birthDate,
  };
}
