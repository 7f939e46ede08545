// The HTTP contract of kiosk: one schema per endpoint, shared by the server and the web app.
import { z } from 'zod';
import { calendarDate } from '../dates.js';
import { freeText } from '../text.js';
import { decimalId, idNumber } from '../ids.js';
import { instant } from './common.js';
import { channelVisit } from './patients.js';
import { doctorSummary } from './catalogue.js';

// The infomat (SPEC section 8): a browser switched to kiosk mode for one organisation by its
// registry (or an operator) carries an HttpOnly device cookie; a patient identifies with the
// полис and date of birth and gets a short-lived patient token, kept in the page's memory
// and sent in the header below — never in a URL.

export const KIOSK_PATIENT_HEADER = 'x-kiosk-patient';

export const kioskEnrolBody = z.object({
  label: freeText({ field: 'Название', max: 80, minMessage: 'Введите название инфомата, например «Холл, 1 этаж»' }),
  /** The operator chooses the organisation; a registrar's is their own. */
  organisationId: idNumber().optional(),
});
export type KioskEnrolBody = z.input<typeof kioskEnrolBody>;
export const kioskDevicesQuery = z.object({ organisationId: decimalId().optional() });
export const kioskDevice = z.object({
  id: z.uuid(),
  label: z.string(),
  organisation: z.object({ id: z.number(), shortName: z.string() }),
  createdAt: instant,
  /** E-mail of the staff member who switched it on. */
  createdBy: z.string().nullable(),
  lastSeenAt: instant.nullable(),
  revokedAt: instant.nullable(),
});
export type KioskDevice = z.infer<typeof kioskDevice>;
export const kioskDeviceList = z.object({ devices: z.array(kioskDevice) });

/** What the kiosk page shows before anyone identifies: this device and its organisation. */
export const kioskHome = z.object({
  device: z.object({ id: z.uuid(), label: z.string() }),
  organisation: z.object({
    id: z.number(),
    name: z.string(),
    shortName: z.string(),
    address: z.string(),
    phone: z.string(),
    timeZone: z.string(),
  }),
});
export type KioskHome = z.infer<typeof kioskHome>;

export const kioskIdentifyBody = z.object({
  policy: z.string().regex(/^\d{16}$/, 'Номер полиса ОМС состоит из 16 цифр'),
  birthDate: calendarDate.refine((v) => v >= '1900-01-01', 'Проверьте дату рождения'),
});
export type KioskIdentifyBody = z.infer<typeof kioskIdentifyBody>;
const kioskPatient = z.object({
  /** Name and patronymic for the greeting («Анна Сергеевна»): no surname on a public screen. */
  greeting: z.string(),
});
export const kioskIdentifyResponse = z.object({
  /** Send in the x-kiosk-patient header; valid for a few minutes, on this device only. */
  patientToken: z.string(),
  expiresAt: instant,
  patient: kioskPatient,
});
export type KioskIdentifyResponse = z.infer<typeof kioskIdentifyResponse>;

export const kioskVisit = channelVisit.omit({ patientId: true }).extend({
  /** Why it cannot be cancelled here, in Russian (null when it can). */
  cancelNote: z.string().nullable(),
});
export type KioskVisit = z.infer<typeof kioskVisit>;
export const kioskVisitsResponse = z.object({ patient: kioskPatient, visits: z.array(kioskVisit) });
export type KioskVisitsResponse = z.infer<typeof kioskVisitsResponse>;

export const kioskSpecialty = z.object({
  id: z.number(),
  name: z.string(),
  doctorCount: z.number(),
  /** Some doctor of this specialty has free time inside the horizon. */
  hasFreeTime: z.boolean(),
  /** Why this patient cannot book this specialist here (age, sex, a visit already booked), or null. */
  refusal: z.string().nullable(),
});
export type KioskSpecialty = z.infer<typeof kioskSpecialty>;
export const kioskSpecialtiesResponse = z.object({ specialties: z.array(kioskSpecialty) });
export const kioskDoctorsQuery = z.object({ specialtyId: decimalId('Выберите специальность') });
export const kioskDoctorsResponse = z.object({ doctors: z.array(doctorSummary) });
export const kioskBookBody = z.object({ slotId: idNumber('Выберите время') });
