// Pure rules of the family from ЕСИА: reading the children ЕСИА knows
// (`/rs/prns/{oid}/kids?embed=(elements.documents)`), which of them join the card file or
// update a row already there, and which names changed. No I/O, no clock.
import type { PersonName } from '../../../../shared/person.js';
import { namePart, normaliseEsiaBirthDate, normaliseEsiaSnils } from './esia.rules.js';

/** A child as ЕСИА gives it, in the card file's forms. */
export interface EsiaKid {
  /** ЕСИА's id of the child (digits). */
  oid: string;
  lastName: string;
  firstName: string;
  middleName: string | null;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'M' | 'F';
  /** 11 digits; null when ЕСИА has none. */
  snils: string | null;
  /** The Russian birth certificate (RF_BRTH_CERT): series «IV-МЮ», six-digit number. */
  birthCert: { series: string; number: string } | null;
  /** The полис ОМС (MDCL_PLCY): 16 digits; null when ЕСИА has none. */
  policy: string | null;
}

const CERT_SERIES = /^[IVXLC]{1,6}-[А-ЯЁ]{2}$/u;

/** A birth certificate's series as people write it («IV-мю», «IV МЮ», «iv-МЮ») -> «IV-МЮ»; null otherwise. */
export function normaliseCertSeries(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const m = /^\s*([IVXLCivxlc]{1,6})\s*[-\s–]?\s*([А-ЯЁа-яё]{2})\s*$/u.exec(raw);
  if (!m) return null;
  const v = `${m[1].toUpperCase()}-${m[2].toUpperCase()}`;
  return CERT_SERIES.test(v) ? v : null;
}

function documentsOf(raw: Record<string, unknown>): Array<Record<string, unknown>> {
  const docs = raw.documents;
  const elements = typeof docs === 'object' && docs !== null ? (docs as { elements?: unknown }).elements : undefined;
  return Array.isArray(elements)
    ? elements.filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null)
    : [];
}

function birthCertOf(raw: Record<string, unknown>): EsiaKid['birthCert'] {
  const doc = documentsOf(raw).find((d) => d.type === 'RF_BRTH_CERT');
  if (!doc) return null;
  const series = normaliseCertSeries(doc.series);
  const number = typeof doc.number === 'string' ? doc.number.replace(/\s/g, '') : null;
  return series && number && /^\d{6}$/.test(number) ? { series, number } : null;
}

function policyOf(raw: Record<string, unknown>): string | null {
  const doc = documentsOf(raw).find((d) => d.type === 'MDCL_PLCY');
  if (!doc) return null;
  const number = typeof doc.number === 'string' ? doc.number.replace(/\s/g, '') : null;
  return number && /^\d{16}$/.test(number) ? number : null;
}

/** One child of ЕСИА's answer; null when it is unusable (no id, name, birth date or sex). */
export function readEsiaKid(raw: unknown): EsiaKid | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const oid = typeof r.id === 'number' ? String(r.id) : r.id;
  if (typeof oid !== 'string' || !/^\d{1,20}$/.test(oid)) return null;
  const lastName = namePart(r.lastName);
  const firstName = namePart(r.firstName);
  const hasMiddle = !(r.middleName === undefined || r.middleName === null || r.middleName === '');
  const middleName = hasMiddle ? namePart(r.middleName) : null;
  const birthDate = normaliseEsiaBirthDate(r.birthDate);
  const sex = r.gender === 'M' || r.gender === 'F' ? r.gender : null;
  if (!lastName || !firstName || !birthDate || !sex || (hasMiddle && !middleName)) return null;
  return {
    oid,
    lastName,
    firstName,
    middleName,
    birthDate,
    sex,
    snils: normaliseEsiaSnils(r.snils),
    birthCert: birthCertOf(r),
    policy: policyOf(r),
  };
}

/** ЕСИА's children (`{ elements: [...] }`): the usable ones, each oid once. */
export function readEsiaKids(raw: unknown): EsiaKid[] {
  const elements = typeof raw === 'object' && raw !== null ? (raw as { elements?: unknown }).elements : undefined;
  if (!Array.isArray(elements)) return [];
  const seen = new Set<string>();
  const out: EsiaKid[] = [];
  for (const el of elements) {
    const kid = readEsiaKid(el);
    if (kid && !seen.has(kid.oid)) {
      seen.add(kid.oid);
      out.push(kid);
    }
  }
  return out;
}

/** The name parts that differ (ЕСИА's value for each), or null when the names are the same. */
export function nameChanges(current: PersonName, esia: PersonName): Partial<PersonName> | null {
  const out: Partial<PersonName> = {};
  if (current.lastName !== esia.lastName) out.lastName = esia.lastName;
  if (current.firstName !== esia.firstName) out.firstName = esia.firstName;
  if ((current.middleName ?? null) !== (esia.middleName ?? null)) out.middleName = esia.middleName;
  return Object.keys(out).length > 0 ? out : null;
}

/** A card file row as the family merge needs it. */
export interface CardFileRow extends PersonName {
  id: string;
  isMain: boolean;
  esiaOid: string | null;
  birthDate: string;
  snils: string;
  policy: string;
  status: 'pending' | 'confirmed' | 'rejected';
  birthCertSeries: string | null;
  birthCertNumber: string | null;
}

export interface KidUpdate {
  personId: string;
  kidOid: string;
  /** Only what changes. */
  set: Partial<PersonName> & {
    esiaOid?: string;
    status?: 'confirmed';
    birthCertSeries?: string;
    birthCertNumber?: string;
  };
}

export interface KidInsert {
  kid: EsiaKid & { snils: string; policy: string };
}

/** Why a child did not join the card file. */
export type KidSkipReason =
  /** The card file cannot hold a person without a СНИЛС or полис. */
  | 'no-snils'
  | 'no-policy'
  /** A row of the card file has this СНИЛС or полис but another birth date, or is the holder. */
  | 'conflict';

export interface FamilyPlan {
  insert: KidInsert[];
  update: KidUpdate[];
  skip: Array<{ kidOid: string; reason: KidSkipReason }>;
}

/**
 * How ЕСИА's children meet the card file. A child is the row that carries its ЕСИА id, else
 * the row (not the holder) with its СНИЛС and birth date: that row is linked (the id kept),
 * confirmed (ЕСИА vouches for the data), and gets ЕСИА's names and birth certificate. A child
 * found nowhere is added, confirmed — when ЕСИА gives its СНИЛС and полис, which the card file
 * needs, and no other row holds either. Nothing is ever removed: a child ЕСИА no longer lists
 * stays in the card file.
 */
export function planFamily(kids: readonly EsiaKid[], rows: readonly CardFileRow[]): FamilyPlan {
  const plan: FamilyPlan = { insert: [], update: [], skip: [] };
  const taken = new Set<string>();
  for (const kid of kids) {
    const byOid = rows.find((r) => r.esiaOid === kid.oid);
    const bySnils =
      byOid ?? (kid.snils !== null ? rows.find((r) => r.snils === kid.snils && r.esiaOid === null) : undefined);
    const row = bySnils && !taken.has(bySnils.id) ? bySnils : undefined;
    if (row) {
      if (row.isMain || (row.esiaOid === null && row.birthDate !== kid.birthDate)) {
        plan.skip.push({ kidOid: kid.oid, reason: 'conflict' });
        continue;
      }
      taken.add(row.id);
      const set: KidUpdate['set'] = { ...nameChanges(row, kid) };
      if (row.esiaOid === null) set.esiaOid = kid.oid;
      if (row.status !== 'confirmed') set.status = 'confirmed';
      if (
        kid.birthCert &&
        (row.birthCertSeries !== kid.birthCert.series || row.birthCertNumber !== kid.birthCert.number)
      ) {
        set.birthCertSeries = kid.birthCert.series;
        set.birthCertNumber = kid.birthCert.number;
      }
      if (Object.keys(set).length > 0) plan.update.push({ personId: row.id, kidOid: kid.oid, set });
      continue;
    }
    if (kid.snils === null) {
      plan.skip.push({ kidOid: kid.oid, reason: 'no-snils' });
      continue;
    }
    if (kid.policy === null) {
      plan.skip.push({ kidOid: kid.oid, reason: 'no-policy' });
      continue;
    }
    const { snils, policy } = kid;
    if (
      rows.some((r) => r.snils === snils || r.policy === policy) ||
      plan.insert.some((i) => i.kid.snils === snils || i.kid.policy === policy)
    ) {
      plan.skip.push({ kidOid: kid.oid, reason: 'conflict' });
      continue;
    }
    plan.insert.push({ kid: { ...kid, snils, policy } });
  }
  return plan;
}
