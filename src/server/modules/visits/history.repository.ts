// SQL of a person's history: the appointments of one card-file row, and - for the holder in
// an ЕСИА session - the holder's visits of other channels recorded against another row of the
// same real person (the same СНИЛС, as the card file reads them). Visibility is the caller's.
import { and, desc, eq, ne, or } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { appointments, doctors, organisations, persons, specialties } from '../../db/schema.js';

export async function historyRows(db: Db, personId: string, linked: { snils: string } | null) {
  const own = eq(appointments.personId, personId);
  const where = linked ? or(own, and(eq(persons.snils, linked.snils), ne(appointments.source, 'portal'))) : own;
  return db
    .select({
      id: appointments.id,
      reference: appointments.reference,
      startAt: appointments.startAt,
      endAt: appointments.endAt,
      status: appointments.status,
      source: appointments.source,
      bookedByAccountId: appointments.bookedByAccountId,
      createdAt: appointments.createdAt,
      movedFromId: appointments.movedFromId,
      releasedAt: appointments.releasedAt,
      cancelledAt: appointments.cancelledAt,
      cancelledBy: appointments.cancelledBy,
      cancelledVia: appointments.cancelledVia,
      cancelledByAccountId: appointments.cancelledByAccountId,
      cancelReason: appointments.cancelReason,
      statusChangedAt: appointments.statusChangedAt,
      statusChangedVia: appointments.statusChangedVia,
      person: { accountId: persons.accountId, isMain: persons.isMain, snils: persons.snils, policy: persons.policy },
      doctor: { lastName: doctors.lastName, firstName: doctors.firstName, middleName: doctors.middleName },
      specialty: specialties.name,
      organisation: { name: organisations.name, timeZone: organisations.timeZone },
    })
    .from(appointments)
    .innerJoin(persons, eq(persons.id, appointments.personId))
    .innerJoin(doctors, eq(doctors.id, appointments.doctorId))
    .innerJoin(specialties, eq(specialties.id, doctors.specialtyId))
    .innerJoin(organisations, eq(organisations.id, doctors.organisationId))
    .where(where)
    .orderBy(desc(appointments.startAt), desc(appointments.id))
    .limit(500);
}

export type HistoryDbRow = Awaited<ReturnType<typeof historyRows>>[number];
