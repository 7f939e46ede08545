// The HTTP contract of registry desk and doctor: one schema per endpoint, shared by the server and the web app.
import { z } from 'zod';
import { checkedText, freeText } from '../text.js';
import { normaliseDigits } from '../validation.js';
import { idNumber } from '../ids.js';
import { appointmentSource, appointmentStatus, instant, sex } from './common.js';
import { personInput } from './identity.js';
import { channelVisit, patientIdentity, patientMatch } from './patients.js';
import { doctorSummary, organisation } from './catalogue.js';

// Staff of one organisation (SPEC section 8): the registry desk (/api/desk/...) and the
// doctor (/api/doctor/...). Personal data travels in bodies only; pages use the opaque patientId.

/** A patient as staff see them, with the opaque id to book with (the core's patientMatch). */
export const staffPatient = patientMatch;
export type StaffPatient = z.infer<typeof staffPatient>;

const searchName = (accusative: string, nominative: string) =>
  freeText({ field: nominative, max: 100, minMessage: `Введите ${accusative}` }).regex(
    /^[А-Яа-яЁё][А-Яа-яЁё\s'-]*$/u,
    'Только русские буквы, дефис и пробел',
  );

/** Find a patient: by полис, by СНИЛС, or by surname and name (+ date of birth). */
export const patientSearchBody = z.discriminatedUnion(
  'by',
  [
    z.object({ by: z.literal('policy'), policy: personInput.shape.policy }),
    z.object({
      by: z.literal('snils'),
      snils: checkedText('СНИЛС')
        .transform(normaliseDigits)
        .refine((v) => /^\d{11}$/.test(v), 'СНИЛС состоит из 11 цифр'),
    }),
    z.object({
      by: z.literal('name'),
      lastName: searchName('фамилию', 'Фамилия'),
      firstName: searchName('имя', 'Имя'),
      birthDate: personInput.shape.birthDate.optional(),
    }),
  ],
  { message: 'Выберите, как искать пациента' },
);
export type PatientSearchBody = z.input<typeof patientSearchBody>;
export const patientSearchResponse = z.object({ patients: z.array(staffPatient) });
export type PatientSearchResponse = z.infer<typeof patientSearchResponse>;

/** A new patient registered at the desk (not found by search). */
export const registerPatientBody = patientIdentity;
export type RegisterPatientBody = z.input<typeof registerPatientBody>;

export const patientIdParam = z.object({ patientId: z.uuid('Неверный идентификатор пациента') });

/** One patient with their visits at the staff member's organisation (every source), future first. */
export const staffPatientResponse = z.object({ patient: staffPatient, visits: z.array(channelVisit) });
export type StaffPatientResponse = z.infer<typeof staffPatientResponse>;

/** The staff member's organisation and its active doctors (with free time). */
export const staffDoctorsResponse = z.object({ organisation, doctors: z.array(doctorSummary) });
export type StaffDoctorsResponse = z.infer<typeof staffDoctorsResponse>;

export const staffBookBody = z.object({
  patientId: z.uuid('Выберите пациента'),
  slotId: idNumber('Выберите время', 'Выберите время'),
});
export type StaffBookBody = z.infer<typeof staffBookBody>;

export const staffCancelBody = z.object({
  /** patient: «по просьбе пациента»; clinic: «по решению медицинской организации». */
  by: z.enum(['patient', 'clinic'], { message: 'Выберите причину отмены' }),
});
export type StaffCancelBody = z.infer<typeof staffCancelBody>;

export const visitOutcomeBody = z.object({
  status: z.enum(['visited', 'no_show'], { message: 'Выберите, состоялся ли приём' }),
});
export type VisitOutcomeBody = z.infer<typeof visitOutcomeBody>;

/** The registry blocks a free slot of its doctor (the doctor does not see patients then) or frees a blocked one. */
export const slotStatusResponse = z.object({ slotId: z.number(), status: z.enum(['free', 'blocked', 'held']) });
export type SlotStatusResponse = z.infer<typeof slotStatusResponse>;

/** One appointment in the doctor's list (names are for staff only). */
export const doctorAppointment = z.object({
  id: z.uuid(),
  reference: z.string(),
  patientId: z.uuid(),
  patient: z.object({ name: z.string(), birthDate: z.string(), sex }),
  startAt: instant,
  endAt: instant,
  /** Local wall time of the organisation, e.g. "2026-11-26T09:30". */
  localStart: z.string(),
  status: appointmentStatus,
  source: appointmentSource,
  /** Whether visited / no-show can be recorded now (the visit has started, not cancelled). */
  outcomeAllowed: z.boolean(),
  /** When the patient said «Не смогу прийти» on the portal (SPEC 8a); the visit stays booked until someone takes the time. */
  releasedAt: instant.nullable(),
});
export type DoctorAppointment = z.infer<typeof doctorAppointment>;
export const doctorPatientsResponse = z.object({
  doctor: doctorSummary,
  /** Today's local date in the organisation's zone. */
  today: z.string(),
  /** Today (always) and the following days up to the horizon that have appointments; cancelled ones are left out. */
  days: z.array(z.object({ date: z.string(), appointments: z.array(doctorAppointment) })),
});
export type DoctorPatientsResponse = z.infer<typeof doctorPatientsResponse>;
