// SQL of the doctor's office: the doctor's appointments over a few days, with the patients' names.
import { and, asc, eq, gte, lt, ne } from 'drizzle-orm';
import type { Db } from '../../../db/index.js';
import { appointments, persons } from '../../../db/schema.js';

export interface DoctorAppointmentRow {
  id: string;
  reference: string;
  personId: string;
  lastName: string;
  firstName: string;
  middleName: string | null;
  birthDate: string;
  sex: string;
  startAt: Date;
  endAt: Date;
  status: string;
  source: string;
  releasedAt: Date | null;
}

/** The doctor's appointments (not cancelled) starting in [from, until), earliest first. */
export async function selectDoctorAppointments(
  db: Db,
  doctorId: number,
  from: Date,
  until: Date,
): Promise<DoctorAppointmentRow[]> {
  return db
    .select({
      id: appointments.id,
      reference: appointments.reference,
      personId: appointments.personId,
      lastName: persons.lastName,
      firstName: persons.firstName,
      middleName: persons.middleName,
      birthDate: persons.birthDate,
      sex: persons.sex,
      startAt: appointments.startAt,
      endAt: appointments.endAt,
      status: appointments.status,
      source: appointments.source,
      releasedAt: appointments.releasedAt,
    })
    .from(appointments)
    .innerJoin(persons, eq(persons.id, appointments.personId))
    .where(
      and(
        eq(appointments.doctorId, doctorId),
        ne(appointments.status, 'cancelled'),
        gte(appointments.startAt, from),
        lt(appointments.startAt, until),
      ),
    )
    .orderBy(asc(appointments.startAt));
}
