// SQL for the day-before reminders: portal appointments coming up that have no reminder yet.
import { and, asc, eq, gt, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { appointments, doctors, notifications, organisations, persons, specialties } from '../../db/schema.js';

/**
 * Booked portal appointments starting in (now, now + lookahead] without a visit_reminder
 * notification, soonest first, with what the reminder says. The exact window is the
 * caller's rule (reminders.rules.ts).
 */
export async function reminderCandidates(db: Db, now: Date, lookaheadMs: number, limit: number) {
  return db
    .select({
      appointmentId: appointments.id,
      accountId: appointments.bookedByAccountId,
      reference: appointments.reference,
      startAt: appointments.startAt,
      createdAt: appointments.createdAt,
      person: { lastName: persons.lastName, firstName: persons.firstName, middleName: persons.middleName },
      doctor: {
        lastName: doctors.lastName,
        firstName: doctors.firstName,
        middleName: doctors.middleName,
        room: doctors.room,
      },
      specialty: { name: specialties.name },
      organisation: {
        name: organisations.name,
        address: organisations.address,
        phone: organisations.phone,
        timeZone: organisations.timeZone,
        cutoffOverride: organisations.cutoffOverride,
      },
    })
    .from(appointments)
    .innerJoin(persons, eq(persons.id, appointments.personId))
    .innerJoin(doctors, eq(doctors.id, appointments.doctorId))
    .innerJoin(specialties, eq(specialties.id, doctors.specialtyId))
    .innerJoin(organisations, eq(organisations.id, doctors.organisationId))
    .leftJoin(notifications, eq(notifications.dedupKey, sql`'visit_reminder:' || ${appointments.id}::text`))
    .where(
      and(
        eq(appointments.status, 'booked'),
        eq(appointments.source, 'portal'),
        isNotNull(appointments.bookedByAccountId),
        gt(appointments.startAt, now),
        lte(appointments.startAt, new Date(now.getTime() + lookaheadMs)),
        isNull(notifications.id),
      ),
    )
    .orderBy(asc(appointments.startAt), asc(appointments.id))
    .limit(limit);
}

/** Still booked? (Checked again inside the reminder's transaction, under a row lock.) */
export async function lockBookedAppointment(db: Db, appointmentId: string): Promise<boolean> {
  const rows = await db
    .select({ id: appointments.id })
    .from(appointments)
    .where(and(eq(appointments.id, appointmentId), eq(appointments.status, 'booked')))
    .for('share');
  return rows.length === 1;
}
