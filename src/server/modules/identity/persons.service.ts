// The card file's people as other modules see them. Every lookup is scoped to the
// account: someone else's person is "not found", never revealed.
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { Person } from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { pgError, UNIQUE_VIOLATION } from '../../db/errors.js';
import { persons } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { localDateOf } from '../../../shared/time.js';
import {
  canEditPerson,
  EARLIEST_ZONE,
  isBirthDateInFuture,
  isMainOnCreate,
  type PersonStatus,
} from './identity.rules.js';
import { lockAccount } from './identity.repository.js';
import {
  hasMainPerson,
  insertPerson,
  lockOwnedPerson,
  PERSON_DUPLICATE_CONSTRAINTS,
  resubmitPerson,
  type PersonData,
} from './persons.repository.js';
import type { PersonIdentity } from '../../../shared/person.js';

export type PersonRow = typeof persons.$inferSelect;

/** The account's people, the main person first (not those removed from the card file: migration 0016). */
export async function listOwnedPersons(db: Db, accountId: string): Promise<PersonRow[]> {
  return db
    .select()
    .from(persons)
    .where(and(eq(persons.accountId, accountId), isNull(persons.erasedAt)))
    .orderBy(desc(persons.isMain), asc(persons.createdAt), asc(persons.id));
}

/** One of the account's people; PERSON_NOT_FOUND for anyone else's. */
export async function getOwnedPerson(db: Db, accountId: string, personId: string): Promise<PersonRow> {
  const rows = await db
    .select()
    .from(persons)
    .where(and(eq(persons.id, personId), eq(persons.accountId, accountId), isNull(persons.erasedAt)))
    .limit(1);
  const row = rows[0];
  if (!row) throw new AppError('PERSON_NOT_FOUND');
  return row;
}

/** Refuses booking for a person whose data is not confirmed. */
export function assertBookable(person: PersonRow): void {
  if (person.status === 'pending') throw new AppError('PERSON_NOT_CONFIRMED');
  if (person.status === 'rejected') throw new AppError('PERSON_REJECTED');
}

export type { PersonData };

/** A stored person's identity fields (the column holds only 'M' or 'F': a check constraint). */
export function identityOf(p: PersonRow): PersonIdentity {
  return {
    lastName: p.lastName,
    firstName: p.firstName,
    middleName: p.middleName,
    birthDate: p.birthDate,
    sex: p.sex as PersonIdentity['sex'],
    snils: p.snils,
    policy: p.policy,
  };
}

/** The API shape of a person (no internal columns); the card file and moderation extend it. */
export function toPersonDto(p: PersonRow): Person {
  return {
    id: p.id,
    isMain: p.isMain,
    ...identityOf(p),
    phone: p.phone,
    status: p.status as PersonStatus,
    rejectReason: p.rejectReason,
    birthCertificate:
      p.birthCertSeries !== null && p.birthCertNumber !== null
        ? { series: p.birthCertSeries, number: p.birthCertNumber }
        : null,
  };
}

/** Same СНИЛС or полис twice in one card file: the unique index answers, we translate. */
function mapDuplicate(err: unknown): never {
  const pg = pgError(err);
  if (pg?.code === UNIQUE_VIOLATION && pg.constraint && PERSON_DUPLICATE_CONSTRAINTS.has(pg.constraint)) {
    throw new AppError('PERSON_DUPLICATE');
  }
  throw err;
}

/**
 * BIRTH_DATE_IN_FUTURE for a birth date later than today anywhere on Earth. Every path that
 * records a person calls it: the card file, the registry desk, a clinic system's push
 * (the schema has already refused dates before 1900).
 */
export function assertBirthDateNotInFuture(birthDate: string, now: Date): void {
  if (isBirthDateInFuture(birthDate, localDateOf(now, EARLIEST_ZONE))) {
    throw new AppError('BIRTH_DATE_IN_FUTURE', { field: 'birthDate' });
  }
}

function assertBirthDatePossible(data: PersonData, now: Date): void {
  assertBirthDateNotInFuture(data.birthDate, now);
}

/**
 * Adds a person to the account's card file and sends the data to moderation. The first
 * person is the main one (the account holder); later ones are family members.
 */
export async function addPerson(ctx: AppContext, accountId: string, data: PersonData): Promise<PersonRow> {
  const now = ctx.now();
  assertBirthDatePossible(data, now);
  try {
    return await ctx.db.transaction(async (tx) => {
      // Serialises concurrent additions, so exactly one of them becomes the main person.
      const account = await lockAccount(tx, accountId);
      if (!account) throw new AppError('NOT_AUTHENTICATED');
      const isMain = isMainOnCreate(await hasMainPerson(tx, accountId));
      return insertPerson(tx, { ...data, accountId, isMain, now });
    });
  } catch (err) {
    return mapDuplicate(err);
  }
}

/** Corrects a person's data while it is not yet confirmed, and resubmits it to moderation. */
export async function editPerson(
  ctx: AppContext,
  accountId: string,
  personId: string,
  data: PersonData,
): Promise<PersonRow> {
  const now = ctx.now();
  try {
    return await ctx.db.transaction(async (tx) => {
      const current = await lockOwnedPerson(tx, accountId, personId);
      if (!current) throw new AppError('PERSON_NOT_FOUND');
      if (!canEditPerson(current.status as PersonStatus)) throw new AppError('PERSON_NOT_EDITABLE');
      assertBirthDatePossible(data, now);
      return resubmitPerson(tx, personId, data, now);
    });
  } catch (err) {
    return mapDuplicate(err);
  }
}
