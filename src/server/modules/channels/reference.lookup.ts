// The desk and the kiosk find a visit by the reference on its талон (scanned from the QR code
// or typed). Scoped to the caller's organisation: another organisation's reference, an unknown
// one, or a removed person's visit are the same «не найдено». The routes rate-limit the caller.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { appointments, doctors, persons } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { KioskReferenceResponse } from '../../../shared/api/index.js';
import { findVisit } from '../booking/booking.service.js';
import { referenceCandidates } from '../booking/talon.rules.js';
import { effectiveCutoff, getRegionSettings } from '../region/settings.service.js';
import { cancelForPatient } from './channel-booking.service.js';
import { toChannelVisit } from './channel-visits.js';
import type { KioskDeviceContext } from './kiosk/kiosk.devices.service.js';
import { kioskActor, toKioskVisit } from './kiosk/kiosk.service.js';

/** The visit of this organisation that a scanned or typed reference names; APPOINTMENT_NOT_FOUND otherwise. */
export async function findVisitByReference(
  db: Db,
  organisationId: number,
  typed: string,
): Promise<{ appointmentId: string; patientId: string }> {
  const candidates = referenceCandidates(typed);
  if (candidates.length === 0) throw new AppError('APPOINTMENT_NOT_FOUND');
  const rows = await db
    .select({ appointmentId: appointments.id, patientId: appointments.personId })
    .from(appointments)
    .innerJoin(doctors, eq(doctors.id, appointments.doctorId))
    .innerJoin(persons, eq(persons.id, appointments.personId))
    .where(
      and(
        inArray(appointments.reference, candidates),
        eq(doctors.organisationId, organisationId),
        isNull(persons.erasedAt),
      ),
    )
    .limit(2);
  // Two readings matching two visits cannot tell which was meant.
  if (rows.length !== 1 || !rows[0]) throw new AppError('APPOINTMENT_NOT_FOUND');
  return rows[0];
}

/** The kiosk: that visit alone, as the kiosk shows visits (cancellable here or why not). */
export async function kioskFindByReference(
  ctx: AppContext,
  device: KioskDeviceContext,
  reference: string,
): Promise<KioskReferenceResponse> {
  const found = await findVisitByReference(ctx.db, device.organisation.id, reference);
  const [row, settings] = await Promise.all([findVisit(ctx.db, found.appointmentId), getRegionSettings(ctx.db)]);
  if (!row) throw new AppError('APPOINTMENT_NOT_FOUND');
  const cutoff = effectiveCutoff(settings.cutoffTime, row.organisation.cutoffOverride);
  const now = ctx.now();
  return { visit: toKioskVisit(toChannelVisit(row, found.patientId, kioskActor(device), cutoff, now), now) };
}

/**
 * The kiosk cancels the visit of a scanned талон at the patient's request: the talon stands for
 * that visit only, so the patient is the visit's own; every rule of a kiosk cancel applies
 * (a portal booking is cancelled in the personal account, nothing after the cut-off).
 */
export async function kioskCancelByReference(
  ctx: AppContext,
  device: KioskDeviceContext,
  reference: string,
): Promise<KioskReferenceResponse> {
  const found = await findVisitByReference(ctx.db, device.organisation.id, reference);
  const visit = await cancelForPatient(ctx, kioskActor(device), {
    appointmentId: found.appointmentId,
    by: 'patient',
    patientId: found.patientId,
  });
  return { visit: toKioskVisit(visit, ctx.now()) };
}
