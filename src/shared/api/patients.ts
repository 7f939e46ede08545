// The HTTP contract of channels: the patients clinics know, and their visits (SPEC section 8): one schema per endpoint, shared by the server and the web app.
import { z } from 'zod';
import { appointmentSource, appointmentStatus, instant, sex } from './common.js';
import { personInput } from './identity.js';

/** A patient's identity as clinics record it (the registry desk registers new patients with it). */
export const patientIdentity = personInput.omit({ phone: true });
export type PatientIdentityInput = z.input<typeof patientIdentity>;

/** One real person found by the registry desk, the doctor or the kiosk. */
export const patientMatch = z.object({
  /** Opaque id to book with: the clinic register's row, or a portal card file's row not yet in the register. */
  patientId: z.uuid(),
  lastName: z.string(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  birthDate: z.string(),
  sex,
  snils: z.string(),
  policy: z.string(),
  /** Whether clinics already know the patient (a register row). */
  inRegister: z.boolean(),
});
export type PatientMatch = z.infer<typeof patientMatch>;

/** A visit as staff, the kiosk and clinic systems see it. */
export const channelVisit = z.object({
  id: z.uuid(),
  reference: z.string(),
  patientId: z.uuid(),
  startAt: instant,
  endAt: instant,
  /** Local wall time of the organisation, e.g. "2026-11-26T09:30". */
  localStart: z.string(),
  timeZone: z.string(),
  status: appointmentStatus,
  source: appointmentSource,
  /** patient: cancelled at the patient's request; clinic: the clinic cancelled the visit. */
  cancelledBy: z.enum(['patient', 'clinic']).nullable(),
  /** moved | released («освобождена пациентом») when the patient's cancel was not a plain one (SPEC 8a). */
  cancelReason: z.enum(['moved', 'released']).nullable(),
  /** When the patient said «Не смогу прийти» on the portal (SPEC 8a); the visit stays booked until someone takes the time. */
  releasedAt: instant.nullable(),
  doctor: z.object({ id: z.number(), name: z.string(), specialty: z.string(), room: z.string() }),
  organisation: z.object({ id: z.number(), name: z.string(), address: z.string(), phone: z.string() }),
  /** Whether the caller may cancel it now. */
  cancellable: z.boolean(),
  /** The cut-off instant for cancelling through the portal (the organisation's, else the region's cut-off time, the day before). */
  cancelUntil: instant,
});
export type ChannelVisit = z.infer<typeof channelVisit>;
export const channelSource = z.enum(['registry', 'doctor', 'infomat', 'electronic_queue']);
