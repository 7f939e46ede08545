// The catalogue as the portal shows it: organisations, specialties (with restrictions and,
// for a chosen person, whether that person may see the specialist), doctors.
// Free-time figures of doctors come from the schedule module (schedule.service.ts).
import type { Organisation, Specialty } from '../../../shared/api/index.js';
import { localDateOf } from '../../../shared/time.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { errorCatalogue } from '../../errors.js';
import { getOwnedPerson } from '../identity/persons.service.js';
import { usableReferralsOf } from '../referrals/referrals.service.js';
import {
  prepareDoctorCardWith,
  selectActiveDoctorCards,
  selectDoctorCard,
  selectOrganisations,
  selectSpecialtiesWithActiveDoctors,
  type DoctorCardRow,
  type OrganisationRow,
} from './catalogue.repository.js';
import { REGION_TIME_ZONE } from '../../../shared/zones.js';
import { describeRestriction, restrictionRefusal } from './catalogue.rules.js';

export type { DoctorCardRow, OrganisationRow };
/** For the schedule module's one-round-trip schedule query: the doctor card plus one column. */
export { prepareDoctorCardWith };

/** The region's zone (Udmurtia, src/shared/zones.ts), for "today" when no organisation is involved yet. */
export { REGION_TIME_ZONE };

const collator = new Intl.Collator('ru');

export function compareRussian(a: string, b: string): number {
  return collator.compare(a, b);
}

export function toOrganisation(o: OrganisationRow): Organisation {
  return {
    id: o.id,
    name: o.name,
    shortName: o.shortName,
    address: o.address,
    phone: o.phone,
    timeZone: o.timeZone,
    waitlistAllowed: o.waitlistAllowed,
  };
}

export async function listOrganisations(ctx: AppContext): Promise<Organisation[]> {
  const rows = await selectOrganisations(ctx.db);
  return rows.map(toOrganisation);
}

/**
 * Specialties that have active doctors, by name, each saying whether it is «по направлению».
 * With a person of the account's card file, each carries the Russian reason that person may
 * not see the specialist (age, sex), or null, and that person's usable referral to it.
 * Someone else's person is PERSON_NOT_FOUND.
 */
export async function listSpecialties(
  ctx: AppContext,
  viewer: { accountId: string; personId: string } | null,
): Promise<Specialty[]> {
  const person = viewer ? await getOwnedPerson(ctx.db, viewer.accountId, viewer.personId) : null;
  const rows = await selectSpecialtiesWithActiveDoctors(ctx.db);
  const today = localDateOf(ctx.now(), REGION_TIME_ZONE);
  const referrals = person ? await usableReferralsOf(ctx.db, person, today) : new Map<number, string>();
  return rows
    .sort((a, b) => compareRussian(a.name, b.name))
    .map((s) => {
      const code = person ? restrictionRefusal(s, person, today) : null;
      return {
        id: s.id,
        name: s.name,
        restriction: describeRestriction(s),
        refusal: code ? errorCatalogue[code].message : null,
        byReferral: !s.selfBooking,
        referralValidUntil: referrals.get(s.id) ?? null,
      };
    });
}

/** A doctor with organisation, specialty and the region rules; null when unknown or inactive. */
export async function findActiveDoctorCard(db: Db, doctorId: number): Promise<DoctorCardRow | null> {
  const card = await selectDoctorCard(db, doctorId);
  return card && card.active ? card : null;
}

export async function listActiveDoctorCards(
  db: Db,
  filter: { specialtyId?: number; organisationId?: number },
): Promise<DoctorCardRow[]> {
  return selectActiveDoctorCards(db, filter);
}
