// SQL of the family from ЕСИА: the card file's rows as the merge reads them, a child added
// (confirmed: ЕСИА vouches for it), and ЕСИА's data copied onto an existing row.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../../db/index.js';
import { persons } from '../../../db/schema.js';
import type { PersonName } from '../../../../shared/person.js';
import type { CardFileRow, KidInsert, KidUpdate } from './family.rules.js';

export async function cardFileRows(db: Db, accountId: string): Promise<CardFileRow[]> {
  const rows = await db
    .select({
      id: persons.id,
      isMain: persons.isMain,
      esiaOid: persons.esiaOid,
      lastName: persons.lastName,
      firstName: persons.firstName,
      middleName: persons.middleName,
      birthDate: persons.birthDate,
      snils: persons.snils,
      policy: persons.policy,
      status: persons.status,
      birthCertSeries: persons.birthCertSeries,
      birthCertNumber: persons.birthCertNumber,
    })
    .from(persons)
    .where(eq(persons.accountId, accountId))
    .orderBy(asc(persons.createdAt), asc(persons.id));
  return rows.map((r) => ({ ...r, status: r.status as CardFileRow['status'] }));
}

export async function insertKid(db: Db, accountId: string, k: KidInsert['kid'], now: Date): Promise<string> {
  const rows = await db
    .insert(persons)
    .values({
      accountId,
      isMain: false,
      lastName: k.lastName,
      firstName: k.firstName,
      middleName: k.middleName,
      birthDate: k.birthDate,
      sex: k.sex,
      snils: k.snils,
      policy: k.policy,
      esiaOid: k.oid,
      birthCertSeries: k.birthCert?.series ?? null,
      birthCertNumber: k.birthCert?.number ?? null,
      status: 'confirmed',
      submittedAt: now,
      decidedAt: now,
      decidedBy: null,
      createdAt: now,
    })
    .returning({ id: persons.id });
  return rows[0].id;
}

/** Copies ЕСИА's data onto one of the account's rows; confirming clears a moderator's earlier decision. */
export async function updateFromEsia(
  db: Db,
  accountId: string,
  personId: string,
  set: KidUpdate['set'] | Partial<PersonName>,
  now: Date,
): Promise<void> {
  const confirm = 'status' in set && set.status === 'confirmed';
  await db
    .update(persons)
    .set({ ...set, ...(confirm ? { rejectReason: null, decidedAt: now, decidedBy: null } : {}) })
    .where(and(eq(persons.id, personId), eq(persons.accountId, accountId)));
}
