// The HTTP contract of integration API: one schema per endpoint, shared by the server and the web app.
import { z } from 'zod';
import { calendarDate } from '../dates.js';
import { freeText } from '../text.js';
import { decimalId, idNumber } from '../ids.js';
import { appointmentSource, appointmentStatus, instant, sex } from './common.js';
import { channelSource, patientIdentity } from './patients.js';

// Clinics' information systems and electronic queues (SPEC section 8): the operator issues an
// API key per organisation and channel (/api/operator/api-keys); the systems call
// /api/integration/v1/... with `Authorization: Bearer <key>` (or `X-Api-Key`). The same reads
// are offered as HL7 FHIR R4 at /fhir/R4. Personal data travels in bodies only, never in URLs.

export const apiChannel = z.enum(['electronic_queue', 'registry', 'doctor', 'infomat', 'mis'], {
  message: 'Выберите канал',
});
export type ApiChannelValue = z.infer<typeof apiChannel>;
export const apiKeyIssueBody = z.object({
  organisationId: idNumber('Выберите медицинскую организацию', 'Выберите медицинскую организацию'),
  channel: apiChannel,
  label: freeText({
    field: 'Название',
    max: 80,
    minMessage: 'Введите название ключа, например «Электронная очередь, корпус 1»',
  }),
});
export type ApiKeyIssueBody = z.infer<typeof apiKeyIssueBody>;
export const apiKeyItem = z.object({
  id: z.uuid(),
  /** The key's first characters, to tell keys apart; the full key is shown only once. */
  prefix: z.string(),
  organisation: z.object({ id: z.number(), shortName: z.string() }),
  channel: apiChannel,
  label: z.string(),
  createdAt: instant,
  /** E-mail of the operator who issued it. */
  createdBy: z.string().nullable(),
  /** Written at most once a minute. */
  lastUsedAt: instant.nullable(),
  revokedAt: instant.nullable(),
});
export type ApiKeyItem = z.infer<typeof apiKeyItem>;
export const apiKeyList = z.object({ keys: z.array(apiKeyItem) });
export const apiKeyIssued = z.object({
  /** The full key: shown once, never stored by the portal (only its HMAC). */
  key: z.string(),
  apiKey: apiKeyItem,
});
export type ApiKeyIssued = z.infer<typeof apiKeyIssued>;

const maxRangeDays = 31;
export const integrationSlotsQuery = z
  .object({
    /** One doctor of the key's organisation; without it, every doctor of the organisation. */
    doctorId: decimalId('Неверный идентификатор врача').optional(),
    /** First local date (YYYY-MM-DD, the organisation's time zone), inclusive. */
    from: calendarDate,
    /** Last local date, inclusive; at most 31 days after `from`. */
    to: calendarDate,
  })
  .superRefine((q, issue) => {
    const days = (Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`)) / 86_400_000;
    if (days < 0) issue.addIssue({ code: 'custom', path: ['to'], message: 'Дата «to» раньше даты «from»' });
    else if (days >= maxRangeDays)
      issue.addIssue({ code: 'custom', path: ['to'], message: 'Не больше 31 дня за один запрос' });
  });
export const integrationSlotStatus = z.enum(['free', 'busy', 'blocked']);
export const integrationSlot = z.object({
  id: z.number(),
  doctorId: z.number(),
  startAt: instant,
  endAt: instant,
  /** Local 'YYYY-MM-DDTHH:MM' in the organisation's zone. */
  localStart: z.string(),
  /** free; busy (booked or held for someone: never who); blocked (the doctor does not see patients then). */
  status: integrationSlotStatus,
});
export const integrationSlotsResponse = z.object({ timeZone: z.string(), slots: z.array(integrationSlot) });
export const integrationDoctor = z.object({
  id: z.number(),
  name: z.string(),
  specialty: z.string(),
  room: z.string(),
  active: z.boolean(),
});
export const integrationDoctorsResponse = z.object({
  organisation: z.object({ id: z.number(), name: z.string(), timeZone: z.string() }),
  doctors: z.array(integrationDoctor),
});
/** The patient's identity as the clinic's system records it. */
export const integrationPatient = z.object({
  lastName: z.string(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  birthDate: z.string(),
  sex,
  snils: z.string(),
  policy: z.string(),
});
export const integrationAppointment = z.object({
  id: z.uuid(),
  reference: z.string(),
  /** The clinic system's own id when it pushed the appointment, else null. */
  externalId: z.string().nullable(),
  source: appointmentSource,
  status: appointmentStatus,
  cancelledBy: z.enum(['patient', 'clinic']).nullable(),
  /** Why the patient's cancel happened: moved (to another time: see the new visit's movedFromId) or released (taken from the waitlist after «Не смогу прийти»). */
  cancelReason: z.enum(['moved', 'released']).nullable(),
  /** The patient warned the clinic after the cancel time that they will not come («Не смогу прийти»); the visit stays booked until the waitlist takes the time. */
  releasedAt: instant.nullable(),
  /** A moved visit's new appointment: the id of the appointment it replaced. */
  movedFromId: z.uuid().nullable(),
  slotId: z.number(),
  doctor: z.object({ id: z.number(), name: z.string(), specialty: z.string(), room: z.string() }),
  startAt: instant,
  endAt: instant,
  localStart: z.string(),
  timeZone: z.string(),
  patient: integrationPatient,
  createdAt: instant,
  /** When it was made or its status last changed (the order of the change feed). */
  changedAt: instant,
});
export type IntegrationAppointment = z.infer<typeof integrationAppointment>;
export const integrationAppointmentsQuery = z.object({
  /** `nextCursor` of the previous page; without it the feed starts from the beginning. */
  since: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/, 'Неверный курсор: передайте nextCursor предыдущего ответа')
    .optional(),
  limit: z.coerce.number().int().min(1, 'Не меньше 1').max(500, 'Не больше 500').default(100),
  /** Only appointments from this source (e.g. portal); all sources by default. */
  source: appointmentSource.optional(),
});
export const integrationAppointmentsResponse = z.object({
  appointments: z.array(integrationAppointment),
  /** Pass as `since` to get the changes after this page (the same value when nothing changed). */
  nextCursor: z.string().nullable(),
  /** Whether more changes are waiting right now. */
  hasMore: z.boolean(),
});
const externalIdValue = z
  .string()
  .trim()
  .min(1, 'Укажите идентификатор записи в вашей системе')
  .max(100, 'Не длиннее 100 символов')
  .regex(/^[A-Za-z0-9._:-]+$/, 'Латинские буквы, цифры и знаки . _ : -');
export const integrationPushBody = z
  .object({
    /** The clinic system's id of the appointment: pushing it again returns the same appointment. */
    externalId: externalIdValue,
    patient: patientIdentity,
    /** Our slot id (from /slots or FHIR Slot), or the doctor and the start instant of the slot. */
    slotId: idNumber('Неверный идентификатор времени').optional(),
    doctorId: idNumber('Неверный идентификатор врача').optional(),
    startAt: z.iso
      .datetime({ offset: true, message: 'Время в формате ISO 8601 со смещением, например 2026-11-26T10:00:00+04:00' })
      .optional(),
    /** Required for a clinic information system's key (channel mis); others push their own channel. */
    source: channelSource.optional(),
  })
  .superRefine((b, issue) => {
    if (b.slotId === undefined && (b.doctorId === undefined || b.startAt === undefined)) {
      issue.addIssue({ code: 'custom', path: ['slotId'], message: 'Укажите slotId или doctorId вместе со startAt' });
    }
    if (b.slotId !== undefined && (b.doctorId !== undefined || b.startAt !== undefined)) {
      issue.addIssue({ code: 'custom', path: ['slotId'], message: 'Укажите либо slotId, либо doctorId со startAt' });
    }
  });
export type IntegrationPushBody = z.input<typeof integrationPushBody>;
export const integrationStatusBody = z.object({
  status: z.enum(['visited', 'no_show', 'cancelled'], { message: 'Укажите статус: visited, no_show или cancelled' }),
  /** For cancelled: clinic (the clinic cancelled the visit, default) or patient (the patient asked). */
  cancelledBy: z.enum(['patient', 'clinic']).default('clinic'),
});
export const integrationIdParam = z.object({ id: z.uuid('Неверный идентификатор записи') });
export const integrationExternalIdParam = z.object({ externalId: externalIdValue });
