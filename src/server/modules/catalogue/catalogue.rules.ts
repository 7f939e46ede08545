// Pure rules about specialties: who a specialist may see.
import { ageOn } from '../../../shared/time.js';

export interface SpecialtyRestriction {
  /** Inclusive minimum age in full years. */
  minAge: number | null;
  /** Exclusive maximum age in full years (18 means "under 18"). */
  maxAge: number | null;
  sex: string | null;
}

export interface PatientFacts {
  birthDate: string;
  sex: string;
}

/** Why this person may not see this specialist on `localDate`, or null when they may. */
export function restrictionRefusal(
  spec: SpecialtyRestriction,
  person: PatientFacts,
  localDate: string,
): 'AGE_RESTRICTED' | 'SEX_RESTRICTED' | null {
  const age = ageOn(person.birthDate, localDate);
  if (spec.minAge !== null && age < spec.minAge) return 'AGE_RESTRICTED';
  if (spec.maxAge !== null && age >= spec.maxAge) return 'AGE_RESTRICTED';
  if (spec.sex !== null && spec.sex !== person.sex) return 'SEX_RESTRICTED';
  return null;
}

/** The restriction in words for people, e.g. "только пациенты до 18 лет", or null. */
export function describeRestriction(spec: SpecialtyRestriction): string | null {
  const parts: string[] = [];
  if (spec.minAge !== null && spec.maxAge !== null) parts.push(`пациенты от ${spec.minAge} до ${spec.maxAge} лет`);
  else if (spec.maxAge !== null) parts.push(`пациенты до ${spec.maxAge} лет`);
  else if (spec.minAge !== null) parts.push(`пациенты от ${spec.minAge} лет`);
  if (spec.sex === 'F') parts.push(parts.length ? 'женского пола' : 'пациенты женского пола');
  if (spec.sex === 'M') parts.push(parts.length ? 'мужского пола' : 'пациенты мужского пола');
  return parts.length ? `Только ${parts.join(' ')}` : null;
}
