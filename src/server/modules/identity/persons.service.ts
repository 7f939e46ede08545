// The card file's people as other modules see them. Every lookup is scoped to the
// account: someone else's person is "not found", never revealed.
import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { persons } from '../../db/schema.js';
import { AppError } from '../../errors.js';

export type PersonRow = typeof persons.$inferSelect;

/** The account's people, the main person first. */
export async function listOwnedPersons(db: Db, accountId: string): Promise<PersonRow[]> {
  return db
    .select()
    .from(persons)
    .where(eq(persons.accountId, accountId))
    .orderBy(desc(persons.isMain), asc(persons.createdAt), asc(persons.id));
}

/** One of the account's people; PERSON_NOT_FOUND for anyone else's. */
export async function getOwnedPerson(db: Db, accountId: string, personId: string): Promise<PersonRow> {
  const rows = await db
    .select()
    .from(persons)
    .where(and(eq(persons.id, personId), eq(persons.accountId, accountId)))
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

export function fullName(p: { lastName: string; firstName: string; middleName: string | null }): string {
  return [p.lastName, p.firstName, p.middleName].filter(Boolean).join(' ');
}
