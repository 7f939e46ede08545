// Pure helpers of the catalogue pages: the forms as strings, read with the same shared
// schemas the server uses (so the messages match), and the facts shown in lists.
import {
  doctorBody,
  organisationDetails,
  specialtyBody,
  type ClinicDoctor,
  type OrganisationDetails,
  type OrganisationFull,
  type SpecialtyBody,
  type SpecialtyFull,
} from '../../../shared/api/catalogue-admin.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; fields: Record<string, string> };

function firstIssues(issues: readonly { path: PropertyKey[]; message: string }[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) fields[String(issue.path[0] ?? '_')] ??= issue.message;
  return fields;
}

// ---------- organisations ----------

export type OrganisationForm = {
  name: string;
  shortName: string;
  address: string;
  phone: string;
  timeZone: string;
  waitlistAllowed: boolean;
};

export const organisationFieldLabels: Record<keyof OrganisationDetails, string> = {
  name: 'Полное название',
  shortName: 'Краткое название',
  address: 'Адрес',
  phone: 'Телефон регистратуры',
  timeZone: 'Часовой пояс',
  waitlistAllowed: 'Разрешена запись в очередь',
};

export const emptyOrganisationForm: OrganisationForm = {
  name: '',
  shortName: '',
  address: '',
  phone: '',
  timeZone: 'Europe/Samara',
  waitlistAllowed: true,
};

export function organisationFormFrom(o: OrganisationFull): OrganisationForm {
  return {
    name: o.name,
    shortName: o.shortName,
    address: o.address,
    phone: o.phone,
    timeZone: o.timeZone,
    waitlistAllowed: o.waitlistAllowed,
  };
}

export function parseOrganisationDetails(form: OrganisationForm): Parsed<OrganisationDetails> {
  const r = organisationDetails.safeParse(form);
  return r.success ? { ok: true, value: r.data } : { ok: false, fields: firstIssues(r.error.issues) };
}

// ---------- specialties ----------

export type SpecialtyForm = { name: string; minAge: string; maxAge: string; sex: '' | 'M' | 'F'; selfBooking: boolean };

export const emptySpecialtyForm: SpecialtyForm = { name: '', minAge: '', maxAge: '', sex: '', selfBooking: true };

export function specialtyFormFrom(s: SpecialtyFull): SpecialtyForm {
  return {
    name: s.name,
    minAge: s.minAge === null ? '' : String(s.minAge),
    maxAge: s.maxAge === null ? '' : String(s.maxAge),
    sex: s.sex ?? '',
    selfBooking: s.selfBooking,
  };
}

/** '' → null (no limit); digits → the number; anything else is left for the schema to refuse. */
function ageOf(v: string): number | null | string {
  const t = v.trim();
  if (t === '') return null;
  return /^-?\d+([.,]\d+)?$/.test(t) ? Number(t.replace(',', '.')) : t;
}

export function parseSpecialtyForm(form: SpecialtyForm): Parsed<SpecialtyBody> {
  const r = specialtyBody.safeParse({
    name: form.name,
    minAge: ageOf(form.minAge),
    maxAge: ageOf(form.maxAge),
    sex: form.sex === '' ? null : form.sex,
    selfBooking: form.selfBooking,
  });
  return r.success ? { ok: true, value: r.data } : { ok: false, fields: firstIssues(r.error.issues) };
}

/** «с 18 лет», «до 18 лет», «от 3 до 18 лет», «только женщины»; null without limits. */
export function specialtyLimits(s: Pick<SpecialtyFull, 'minAge' | 'maxAge' | 'sex'>): string | null {
  const parts: string[] = [];
  if (s.minAge !== null && s.maxAge !== null) parts.push(`с ${s.minAge} до ${s.maxAge} лет`);
  else if (s.minAge !== null) parts.push(`с ${s.minAge} лет`);
  else if (s.maxAge !== null) parts.push(`до ${s.maxAge} лет`);
  if (s.sex === 'F') parts.push('только женщины');
  if (s.sex === 'M') parts.push('только мужчины');
  return parts.length ? parts.join(', ') : null;
}

export function selfBookingText(selfBooking: boolean): string {
  return selfBooking ? 'Пациенты записываются сами' : 'Только по направлению';
}

// ---------- doctors ----------

export type DoctorForm = {
  lastName: string;
  firstName: string;
  middleName: string;
  specialtyId: string;
  position: string;
  room: string;
};

export const emptyDoctorForm: DoctorForm = {
  lastName: '',
  firstName: '',
  middleName: '',
  specialtyId: '',
  position: '',
  room: '',
};

export function doctorFormFrom(d: ClinicDoctor): DoctorForm {
  return {
    lastName: d.lastName,
    firstName: d.firstName,
    middleName: d.middleName ?? '',
    specialtyId: String(d.specialtyId),
    position: d.position,
    room: d.room,
  };
}

/** The body as the server takes it (middle name '' for none). */
export type DoctorRequest = {
  lastName: string;
  firstName: string;
  middleName: string;
  specialtyId: number;
  position: string;
  room: string;
};

export function parseDoctorForm(form: DoctorForm): Parsed<DoctorRequest> {
  const specialtyId = /^\d+$/.test(form.specialtyId) ? Number(form.specialtyId) : undefined;
  const r = doctorBody.safeParse({ ...form, specialtyId });
  if (!r.success) return { ok: false, fields: firstIssues(r.error.issues) };
  return { ok: true, value: { ...r.data, middleName: r.data.middleName ?? '' } };
}
