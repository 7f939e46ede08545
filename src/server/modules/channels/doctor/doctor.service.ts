// The doctor's office (SPEC section 8): the doctor's patients today and in the coming days,
// a follow-up booking for one of them (into this doctor's schedule or a colleague's of the
// same organisation, source `doctor`), and the outcome of a visit. A doctor acts only for
// patients who have a visit with them, and only on their own appointments.
import type {
  DoctorAppointment,
  DoctorPatientsResponse,
  StaffBookBody,
  StaffPatientResponse,
} from '../../../../shared/api/index.js';
import { addDays, localDateOf, localDateTimeOf, zonedToInstant } from '../../../../shared/time.js';
import type { AppContext } from '../../../context.js';
import { AppError } from '../../../errors.js';
import { lastBookableDate } from '../../booking/booking.rules.js';
import { getDoctorSummary } from '../../schedule/schedule.service.js';
import { bookForPatient, setVisitOutcome, type ChannelVisit } from '../channel-booking.service.js';
import { organisationDoctor, organisationPatient, staffActor, type StaffSession } from '../desk/desk.service.js';
import { selectDoctorAppointments } from './doctor.repository.js';
import { outcomeRefusal } from '../channels.rules.js';
import { fullName } from '../../../../shared/person.js';

/** The doctor this session is; FORBIDDEN for an account that is not linked to an active doctor of its organisation. */
async function ownDoctor(ctx: AppContext, s: StaffSession) {
  if (s.doctorId === null) throw new AppError('FORBIDDEN');
  try {
    return await organisationDoctor(ctx, s.organisationId, s.doctorId);
  } catch {
    throw new AppError('FORBIDDEN');
  }
}

/** Today's and the coming days' appointments of this doctor, by local day. */
export async function doctorPatients(ctx: AppContext, s: StaffSession): Promise<DoctorPatientsResponse> {
  const card = await ownDoctor(ctx, s);
  const now = ctx.now();
  const tz = card.organisation.timeZone;
  const today = localDateOf(now, tz);
  const last = lastBookableDate(now, tz, card.horizonDays);
  const rows = await selectDoctorAppointments(
    ctx.db,
    card.id,
    zonedToInstant(today, '00:00', tz),
    zonedToInstant(addDays(last, 1), '00:00', tz),
  );
  const byDate = new Map<string, DoctorAppointment[]>([[today, []]]);
  for (const r of rows) {
    const localStart = localDateTimeOf(r.startAt, tz);
    const date = localStart.slice(0, 10);
    const status = r.status as DoctorAppointment['status'];
    const list = byDate.get(date) ?? [];
    list.push({
      id: r.id,
      reference: r.reference,
      patientId: r.personId,
      patient: { name: fullName(r), birthDate: r.birthDate, sex: r.sex === 'F' ? 'F' : 'M' },
      startAt: r.startAt.toISOString(),
      endAt: r.endAt.toISOString(),
      localStart,
      status,
      source: r.source as DoctorAppointment['source'],
      outcomeAllowed: outcomeRefusal({ status, startAt: r.startAt }, now) === null,
      releasedAt: r.releasedAt?.toISOString() ?? null,
    });
    byDate.set(date, list);
  }
  const days = [...byDate.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, appointments]) => ({ date, appointments }));
  return { doctor: await getDoctorSummary(ctx, card.id), today, days };
}

/** One of this doctor's patients (with a visit to this doctor) and their visits at the organisation. */
export async function doctorPatient(
  ctx: AppContext,
  s: StaffSession,
  patientId: string,
): Promise<StaffPatientResponse> {
  const card = await ownDoctor(ctx, s);
  const result = await organisationPatient(ctx, staffActor(s), patientId);
  const seen = result.visits.some((v) => v.doctor.id === card.id && v.status !== 'cancelled');
  if (!seen) throw new AppError('PATIENT_NOT_FOUND');
  return result;
}

/** Books a follow-up for one of this doctor's patients into a schedule of the organisation (source `doctor`). */
export async function bookFollowUp(ctx: AppContext, s: StaffSession, input: StaffBookBody): Promise<ChannelVisit> {
  await doctorPatient(ctx, s, input.patientId);
  return bookForPatient(ctx, staffActor(s), { patientId: input.patientId, slotId: input.slotId });
}

/** Records visited / no-show on one of this doctor's own appointments. */
export async function recordOutcome(
  ctx: AppContext,
  s: StaffSession,
  appointmentId: string,
  status: 'visited' | 'no_show',
): Promise<ChannelVisit> {
  await ownDoctor(ctx, s);
  // The core refuses another doctor's appointment (APPOINTMENT_NOT_FOUND).
  return setVisitOutcome(ctx, staffActor(s), { appointmentId, status });
}
