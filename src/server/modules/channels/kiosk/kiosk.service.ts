// The infomat's use cases for an identified patient (SPEC section 8): identify by полис and
// date of birth, see the upcoming visits at this organisation, book one of its doctors,
// cancel a visit made outside the portal before the cut-off. Everything is scoped to the
// device's organisation; the patient is known only through the sealed patient token.
import type {
  ChannelVisit,
  DoctorSummary,
  KioskIdentifyResponse,
  KioskSpecialty,
  KioskVisit,
  ScheduleResponse,
} from '../../../../shared/api/index.js';
import { localDateOf } from '../../../../shared/time.js';
import type { AppContext } from '../../../context.js';
import { AppError, errorCatalogue } from '../../../errors.js';
import { hmac } from '../../session/session.js';
import { restrictionRefusal } from '../../catalogue/catalogue.rules.js';
import { getRegionSettings } from '../../region/settings.service.js';
import { getDoctorSchedule, listDoctorSummaries, type ScheduleQuery } from '../../schedule/schedule.service.js';
import { bookForPatient, cancelForPatient } from '../channel-booking.service.js';
import type { ChannelActor } from '../channels.rules.js';
import type { KioskDeviceContext } from './kiosk.devices.service.js';
import { AttemptLimiter, type AttemptCounter, RedisAttemptLimiter } from './kiosk.limiter.js';
import type { SharedLimits } from '../../../shared-limits.js';
import { selectSlotFacts, selectSpecialtyRestrictions } from './kiosk.repository.js';
import {
  birthDateInFuture,
  KIOSK_DEVICE_ATTEMPTS,
  KIOSK_PATIENT_TTL_MS,
  KIOSK_POLICY_FAILURES,
  kioskBookingRefusal,
  kioskCancelNote,
  kioskGreeting,
} from './kiosk.rules.js';
import { openPatientToken, sealPatientToken } from './kiosk.token.js';
import { getPatient, identifyPatient, patientVisits } from '../patients.service.js';

export function kioskActor(device: KioskDeviceContext): ChannelActor & { kind: 'kiosk' } {
  return { kind: 'kiosk', organisationId: device.organisation.id, deviceId: device.id };
}

/** Identification attempts: per device, and failures per полис (by its HMAC); in Redis when it is configured. */
export interface KioskLimiters {
  device: AttemptCounter;
  policy: AttemptCounter;
}

export function createKioskLimiters(shared?: SharedLimits): KioskLimiters {
  if (shared?.redis && shared.health) {
    return {
      device: new RedisAttemptLimiter(shared.redis, shared.health, 'device', KIOSK_DEVICE_ATTEMPTS),
      policy: new RedisAttemptLimiter(shared.redis, shared.health, 'policy', KIOSK_POLICY_FAILURES),
    };
  }
  return { device: new AttemptLimiter(KIOSK_DEVICE_ATTEMPTS), policy: new AttemptLimiter(KIOSK_POLICY_FAILURES) };
}

/**
 * Полис + date of birth -> a patient token for this device. A wrong pair gets the same
 * KIOSK_PATIENT_NOT_FOUND whether or not the полис exists, and counts against the полис
 * either way; too many attempts on the device or failures on the полис: KIOSK_TOO_MANY_ATTEMPTS.
 */
export async function identifyAtKiosk(
  ctx: AppContext,
  limiters: KioskLimiters,
  device: KioskDeviceContext,
  input: { policy: string; birthDate: string },
): Promise<KioskIdentifyResponse> {
  const now = ctx.now();
  const nowMs = now.getTime();
  if (birthDateInFuture(input.birthDate, localDateOf(now, device.organisation.timeZone)))
    throw new AppError('BIRTH_DATE_IN_FUTURE');
  const policyKey = hmac(ctx.config.sessionSecret, `kiosk-policy|${input.policy}`);
  if (!(await limiters.device.allowed(device.id, nowMs)) || !(await limiters.policy.allowed(policyKey, nowMs))) {
    throw new AppError('KIOSK_TOO_MANY_ATTEMPTS');
  }
  await limiters.device.record(device.id, nowMs);
  const match = await identifyPatient(ctx.db, input.policy, input.birthDate);
  if (!match) {
    await limiters.policy.record(policyKey, nowMs);
    throw new AppError('KIOSK_PATIENT_NOT_FOUND');
  }
  const expiresAtMs = nowMs + KIOSK_PATIENT_TTL_MS;
  return {
    patientToken: sealPatientToken(ctx.config.sessionSecret, {
      deviceId: device.id,
      patientId: match.patientId,
      expiresAtMs,
    }),
    expiresAt: new Date(expiresAtMs).toISOString(),
    patient: { greeting: kioskGreeting(match) },
  };
}

/** The patient of a token sent by this device; KIOSK_PATIENT_EXPIRED when missing, forged, from another device or expired. */
export function kioskPatientId(ctx: AppContext, device: KioskDeviceContext, token: string | undefined): string {
  const claims = token ? openPatientToken(ctx.config.sessionSecret, token) : null;
  if (!claims || claims.deviceId !== device.id || claims.expiresAtMs <= ctx.now().getTime()) {
    throw new AppError('KIOSK_PATIENT_EXPIRED');
  }
  return claims.patientId;
}

/**
 * A visit as the kiosk shows it: the staff view without the patient's id, and why it cannot be
 * cancelled here; `now` (the server's clock, ctx.now()) decides whether the portal's cancel time
 * has passed.
 */
export function toKioskVisit(v: ChannelVisit, now: Date): KioskVisit {
  const { patientId: _patientId, ...shown } = v;
  return { ...shown, cancelNote: kioskCancelNote(v, now) };
}

function isUpcoming(v: ChannelVisit, nowMs: number): boolean {
  return v.status === 'booked' && new Date(v.startAt).getTime() > nowMs;
}

/** The greeting and the patient's upcoming visits at this organisation, soonest first. */
export async function kioskVisits(ctx: AppContext, device: KioskDeviceContext, patientId: string) {
  const actor = kioskActor(device);
  const [patient, visits] = await Promise.all([getPatient(ctx.db, patientId), patientVisits(ctx, patientId, actor)]);
  const nowMs = ctx.now().getTime();
  return {
    patient: { greeting: kioskGreeting(patient) },
    visits: visits
      .filter((v) => isUpcoming(v, nowMs))
      .sort((a, b) => (a.startAt < b.startAt ? -1 : a.startAt > b.startAt ? 1 : 0))
      .map((v) => toKioskVisit(v, ctx.now())),
  };
}

export const KIOSK_LIMIT_REFUSAL =
  'У вас уже есть запись к врачу этой специальности. Чтобы записаться снова, отмените её.';

/**
 * Specialties with active doctors at this organisation, each saying whether this patient may
 * book it here: age and sex restrictions, and the per-specialty limit counted on the visits
 * the kiosk sees (the booking itself checks every rule again).
 */
export async function kioskSpecialties(
  ctx: AppContext,
  device: KioskDeviceContext,
  patientId: string,
): Promise<KioskSpecialty[]> {
  const actor = kioskActor(device);
  const [patient, doctors, visits, settings] = await Promise.all([
    getPatient(ctx.db, patientId),
    listDoctorSummaries(ctx, { organisationId: device.organisation.id }),
    patientVisits(ctx, patientId, actor),
    getRegionSettings(ctx.db),
  ]);
  const bySpecialty = new Map<number, { name: string; doctorCount: number; hasFreeTime: boolean }>();
  for (const d of doctors) {
    const s = bySpecialty.get(d.specialty.id) ?? { name: d.specialty.name, doctorCount: 0, hasFreeTime: false };
    s.doctorCount += 1;
    s.hasFreeTime ||= d.freeCount > 0;
    bySpecialty.set(d.specialty.id, s);
  }
  const restrictions = new Map(
    (await selectSpecialtyRestrictions(ctx.db, [...bySpecialty.keys()])).map((r) => [r.id, r]),
  );
  const nowMs = ctx.now().getTime();
  const upcomingBySpecialty = new Map<string, number>();
  for (const v of visits) {
    if (isUpcoming(v, nowMs))
      upcomingBySpecialty.set(v.doctor.specialty, (upcomingBySpecialty.get(v.doctor.specialty) ?? 0) + 1);
  }
  const today = localDateOf(ctx.now(), device.organisation.timeZone);
  const collator = new Intl.Collator('ru');
  return [...bySpecialty.entries()]
    .map(([id, s]) => {
      const restriction = restrictions.get(id);
      const code = restriction ? restrictionRefusal(restriction, patient, today) : null;
      const limitReached = (upcomingBySpecialty.get(s.name) ?? 0) >= settings.maxPerSpecialty;
      return {
        id,
        name: s.name,
        doctorCount: s.doctorCount,
        hasFreeTime: s.hasFreeTime,
        refusal: code ? errorCatalogue[code].message : limitReached ? KIOSK_LIMIT_REFUSAL : null,
      };
    })
    .sort((a, b) => collator.compare(a.name, b.name));
}

/** This organisation's doctors of a specialty, soonest free time first. */
export async function kioskDoctors(
  ctx: AppContext,
  device: KioskDeviceContext,
  specialtyId: number,
): Promise<DoctorSummary[]> {
  return listDoctorSummaries(ctx, { organisationId: device.organisation.id, specialtyId });
}

/** A doctor's schedule as anyone sees it (free / busy); another organisation's doctor is DOCTOR_NOT_FOUND. */
export async function kioskSchedule(
  ctx: AppContext,
  device: KioskDeviceContext,
  doctorId: number,
  query: ScheduleQuery,
): Promise<ScheduleResponse> {
  const schedule = await getDoctorSchedule(ctx, doctorId, query, null);
  if (schedule.doctor.organisation.id !== device.organisation.id) throw new AppError('DOCTOR_NOT_FOUND');
  return schedule;
}

/**
 * Books a free slot of this organisation for the identified patient (source infomat). Before
 * the core's booking (which checks every rule on the clinic register's row), the kiosk also
 * refuses a time that overlaps, or a specialty already booked, among the visits of the same
 * real person booked elsewhere (e.g. a portal booking on the card-file row).
 */
export async function kioskBook(
  ctx: AppContext,
  device: KioskDeviceContext,
  patientId: string,
  slotId: number,
): Promise<KioskVisit> {
  const actor = kioskActor(device);
  const slot = await selectSlotFacts(ctx.db, slotId);
  if (!slot || slot.organisationId !== device.organisation.id) throw new AppError('SLOT_NOT_FOUND');
  const [visits, settings] = await Promise.all([patientVisits(ctx, patientId, actor), getRegionSettings(ctx.db)]);
  const nowMs = ctx.now().getTime();
  const upcoming = visits
    .filter((v) => isUpcoming(v, nowMs))
    .map((v) => ({ startAt: v.startAt, endAt: v.endAt, specialty: v.doctor.specialty }));
  const refusal = kioskBookingRefusal(
    { startAt: slot.startAt, endAt: slot.endAt, specialty: slot.specialtyName },
    upcoming,
    settings.maxPerSpecialty,
  );
  if (refusal) throw new AppError(refusal);
  return toKioskVisit(await bookForPatient(ctx, actor, { patientId, slotId }), ctx.now());
}

/** Cancels one of the identified patient's visits made outside the portal, before the cut-off. */
export async function kioskCancel(
  ctx: AppContext,
  device: KioskDeviceContext,
  patientId: string,
  appointmentId: string,
): Promise<KioskVisit> {
  return toKioskVisit(
    await cancelForPatient(ctx, kioskActor(device), { appointmentId, by: 'patient', patientId }),
    ctx.now(),
  );
}
