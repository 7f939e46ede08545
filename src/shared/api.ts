// The HTTP contract: one schema per endpoint, shared by the server (validation and
// response serialisation) and the web app (types and client-side checks).
// Messages are Russian: they are shown next to form fields.
import { z } from 'zod';
import { calendarDate, isoDate, wallClockTime } from './dates.js';
import { checkedText, freeText, hasForbiddenCharacters, forbiddenCharactersMessage } from './text.js';
import { isStrongPassword, isValidSnils, normaliseDigits } from './validation.js';
import { decimalId, idNumber } from './ids.js';

// Russian messages for every validation error; a missing field reads as a request to fill it.
z.config(z.locales.ru());
z.config({
  customError: (issue) =>
    issue.code === 'invalid_type' && issue.input === undefined ? 'Заполните это поле' : undefined,
});

// ---------- common ----------

// Integer ids from clients: decimalId() in paths and query strings, idNumber() in bodies (ids.ts).

export const errorBody = z.object({
  code: z.string(),
  message: z.string(),
  /** Field path -> Russian message, for VALIDATION_FAILED. */
  fields: z.record(z.string(), z.string()).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorBody = z.infer<typeof errorBody>;

/**
 * `details` of a 409 SLOT_TAKEN from POST /api/holds and POST /api/appointments: the doctor's
 * nearest free times (at most 10, in order of start); empty when nothing is left.
 */
export const slotTakenDetails = z.object({ freeSlots: z.array(z.object({ id: z.number(), startAt: z.string() })) });
export type SlotTakenDetails = z.infer<typeof slotTakenDetails>;

export const okBody = z.object({ ok: z.literal(true) });

export const uuidParam = z.object({ id: z.uuid('Неверный идентификатор') });
export const intIdParam = z.object({ id: decimalId() });

const hhmm = wallClockTime('18:00');
const instant = z.string(); // ISO 8601 with offset, produced by the server

export const role = z.enum(['patient', 'moderator', 'operator', 'registrar', 'doctor', 'clinic_admin']);
export type Role = z.infer<typeof role>;
export const authMethod = z.enum(['password', 'esia']);
export const personStatus = z.enum(['pending', 'confirmed', 'rejected']);
export type PersonStatus = z.infer<typeof personStatus>;
export const sex = z.enum(['M', 'F'], { message: 'Укажите пол' });
export const appointmentSource = z.enum(['portal', 'electronic_queue', 'doctor', 'registry', 'infomat']);
export type AppointmentSource = z.infer<typeof appointmentSource>;
export const appointmentStatus = z.enum(['booked', 'cancelled', 'visited', 'no_show']);

// ---------- identity ----------

const email = freeText({ field: 'Адрес электронной почты', max: 254, minMessage: 'Введите адрес электронной почты' })
  .email('Введите адрес электронной почты в формате name@example.ru')
  .transform((v) => v.toLowerCase());
const newPassword = z
  .string()
  .refine((v) => !hasForbiddenCharacters(v), forbiddenCharactersMessage('Пароль'))
  .refine(isStrongPassword, 'Пароль должен быть не короче 10 символов и содержать буквы и цифры');

export const sessionAccount = z.object({
  id: z.uuid(),
  /** Null for an account made through ЕСИА without an e-mail. */
  email: z.string().nullable(),
  /** Staff (registrar, doctor): the organisation they work for. */
  organisationId: z.number().int().nullable(),
  /** Staff (doctor): the doctor this account is. */
  doctorId: z.number().int().nullable(),
  role,
  authMethod,
  /** Status of the main person, or null when personal data is not yet entered. */
  mainPersonStatus: personStatus.nullable(),
});
export type SessionAccount = z.infer<typeof sessionAccount>;
export const sessionResponse = z.object({ account: sessionAccount.nullable(), csrfToken: z.string() });
export type SessionResponse = z.infer<typeof sessionResponse>;

export const signupBody = z.object({ email, password: newPassword });
export const loginBody = z.object({ email, password: z.string().min(1, 'Введите пароль').max(200) });
/** The token of an e-mailed link (base64url, as randomToken makes it). */
const linkToken = z.string().regex(/^[A-Za-z0-9_-]{10,200}$/, 'Ссылка повреждена');
export const tokenBody = z.object({ token: linkToken });
export const forgotBody = z.object({ email });
export const resetBody = z.object({ token: linkToken, password: newPassword });

/** A name part; `accusative` for "Введите …", `nominative` starts the format message. */
const name = (accusative: string, nominative: string) =>
  freeText({ field: nominative, max: 100, minMessage: `Введите ${accusative}` })
    .regex(/^[А-Яа-яЁё][А-Яа-яЁё\s'-]*$/u, `${nominative}: только русские буквы, дефис и пробел`);

export const personInput = z.object({
  lastName: name('фамилию', 'Фамилия'),
  firstName: name('имя', 'Имя'),
  middleName: freeText({ field: 'Отчество', max: 100, min: 0 })
    .regex(/^([А-Яа-яЁё][А-Яа-яЁё\s'-]*)?$/u, 'Отчество: только русские буквы, дефис и пробел')
    .optional()
    .transform((v) => (v ? v : null)),
  birthDate: isoDate.refine((v) => {
    // A real calendar date (no 1990-02-30), not before 1900.
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v && v >= '1900-01-01';
  }, 'Проверьте дату рождения: такой даты нет'),
  sex,
  snils: checkedText('СНИЛС')
    .transform(normaliseDigits)
    .refine((v) => /^\d{11}$/.test(v), 'СНИЛС состоит из 11 цифр')
    .refine(isValidSnils, 'Проверьте СНИЛС: контрольное число не совпадает'),
  policy: checkedText('Полис ОМС')
    .transform(normaliseDigits)
    .refine((v) => /^\d{16}$/.test(v), 'Номер полиса ОМС состоит из 16 цифр'),
  phone: freeText({ field: 'Телефон', max: 30, min: 0 })
    .optional()
    .transform((v) => (v ? v.replace(/[\s()-]/g, '') : null))
    .refine((v) => v === null || /^\+7\d{10}$|^8\d{10}$/.test(v), 'Телефон в формате +7 900 000-00-00'),
});
export type PersonInput = z.input<typeof personInput>;

export const person = z.object({
  id: z.uuid(),
  isMain: z.boolean(),
  lastName: z.string(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  birthDate: z.string(),
  sex,
  snils: z.string(),
  policy: z.string(),
  phone: z.string().nullable(),
  status: personStatus,
  rejectReason: z.string().nullable(),
});
export type Person = z.infer<typeof person>;

// ---------- waitlist (SPEC section 4) ----------

export const waitlistKind = z.enum(['doctor', 'specialty'], { message: 'Выберите тип записи в очередь' });
export const joinWaitlistBody = z.object({
  personId: z.uuid('Выберите человека'),
  /** The doctor whose schedule had no free time; with kind "specialty" any doctor of that doctor's specialty in the same organisation. */
  doctorId: idNumber(),
  kind: waitlistKind,
});
const place = z.object({ id: z.number(), name: z.string(), address: z.string(), phone: z.string() });
export const waitlistOffer = z.object({
  id: z.uuid(),
  entryId: z.uuid(),
  /** pending | accepted | declined | expired | withdrawn */
  status: z.string(),
  slotId: z.number(),
  startAt: instant,
  endAt: instant,
  localStart: z.string(),
  timeZone: z.string(),
  /** Answer before this instant, or the offer expires (counts as declined). */
  deadline: instant,
  /** Local 'YYYY-MM-DDTHH:MM' of the deadline in the organisation's zone. */
  localDeadline: z.string(),
  person: z.object({ id: z.uuid(), name: z.string() }),
  doctor: z.object({ id: z.number(), name: z.string(), specialty: z.string(), room: z.string() }),
  organisation: place,
  /** Offers still possible for this entry after this one. */
  offersLeftAfter: z.number(),
});
export type WaitlistOffer = z.infer<typeof waitlistOffer>;
export const waitlistEntry = z.object({
  id: z.uuid(),
  personId: z.uuid(),
  kind: waitlistKind,
  doctor: z.object({ id: z.number(), name: z.string() }).nullable(),
  specialty: z.object({ id: z.number(), name: z.string() }),
  organisation: place,
  /** waiting | offered */
  status: z.enum(['waiting', 'offered']),
  since: instant,
  /** 1-based place among the entries waiting for the same doctor / specialty. */
  place: z.number(),
  /** Offers that can still be made (including a pending one). */
  offersLeft: z.number(),
  offer: waitlistOffer.nullable(),
});
export type WaitlistEntry = z.infer<typeof waitlistEntry>;
export const declineResponse = z.object({
  ok: z.literal(true),
  /** True when this was the last allowed offer and the person left the waitlist. */
  removed: z.boolean(),
  offersLeft: z.number(),
});

// ---------- visits (card file) ----------

export const visit = z.object({
  id: z.uuid(),
  reference: z.string(),
  personId: z.uuid(),
  startAt: instant,
  endAt: instant,
  /** Local wall time of the organisation, e.g. "2026-11-26T09:30". */
  localStart: z.string(),
  timeZone: z.string(),
  status: appointmentStatus,
  source: appointmentSource,
  doctor: z.object({ id: z.number(), name: z.string(), specialty: z.string(), room: z.string() }),
  organisation: z.object({ id: z.number(), name: z.string(), address: z.string(), phone: z.string() }),
  /** Whether this account can cancel online right now. */
  cancellable: z.boolean(),
  /** The cut-off instant for online cancellation. */
  cancelUntil: instant,
  /** Why it cannot be cancelled online, in Russian (null when cancellable or not booked). */
  cancelBlockedReason: z.string().nullable(),
});
export type Visit = z.infer<typeof visit>;

export const cardFilePerson = person.extend({
  futureVisits: z.array(visit),
  pastVisits: z.array(visit),
  /** Active waitlist entries of this person made by this account (filled by the waitlist module). */
  waitlist: z.array(waitlistEntry),
});
export type CardFilePerson = z.infer<typeof cardFilePerson>;
export const cardFileResponse = z.object({ persons: z.array(cardFilePerson) });
export type CardFileResponse = z.infer<typeof cardFileResponse>;

// ---------- channels: the patients clinics know, and their visits (SPEC section 8) ----------

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
  doctor: z.object({ id: z.number(), name: z.string(), specialty: z.string(), room: z.string() }),
  organisation: z.object({ id: z.number(), name: z.string(), address: z.string(), phone: z.string() }),
  /** Whether the caller may cancel it now. */
  cancellable: z.boolean(),
});
export type ChannelVisit = z.infer<typeof channelVisit>;
export const channelSource = z.enum(['registry', 'doctor', 'infomat', 'electronic_queue']);

// ---------- moderation ----------

export const moderationItem = person.extend({
  submittedAt: instant,
  accountEmail: z.string().nullable(),
  /** Earlier decisions on this person (newest first). */
  history: z.array(z.object({ at: instant, action: z.string(), reason: z.string().nullable() })),
});
export type ModerationItem = z.infer<typeof moderationItem>;
export const moderationQueue = z.object({ items: z.array(moderationItem) });
export const rejectBody = z.object({
  reason: freeText({ field: 'Причина', max: 500, min: 5, minMessage: 'Укажите причину (не короче 5 символов)', multiline: true }),
});

// ---------- catalogue ----------

export const organisation = z.object({
  id: z.number(),
  name: z.string(),
  shortName: z.string(),
  address: z.string(),
  phone: z.string(),
  timeZone: z.string(),
  waitlistAllowed: z.boolean(),
});
export type Organisation = z.infer<typeof organisation>;

export const specialty = z.object({
  id: z.number(),
  name: z.string(),
  /** Human-readable restriction, e.g. "только до 18 лет", or null. */
  restriction: z.string().nullable(),
  /** When a personId is given: null if that person may see this specialist, else the Russian reason. */
  refusal: z.string().nullable(),
});
export type Specialty = z.infer<typeof specialty>;
export const specialtiesQuery = z.object({ personId: z.uuid().optional() });

export const doctorSummary = z.object({
  id: z.number(),
  name: z.string(),
  specialty: z.object({ id: z.number(), name: z.string() }),
  organisation: organisation,
  room: z.string(),
  /** The nearest free slot inside the horizon, or null. */
  nearestFreeAt: instant.nullable(),
  freeCount: z.number(),
});
export type DoctorSummary = z.infer<typeof doctorSummary>;
export const doctorsQuery = z.object({
  specialtyId: decimalId().optional(),
  organisationId: decimalId().optional(),
});

export const slotState = z.enum(['free', 'busy', 'mine', 'blocked', 'held_by_me']);
export const scheduleSlot = z.object({
  id: z.number(),
  startAt: instant,
  endAt: instant,
  /** Local HH:MM in the organisation's zone. */
  time: z.string(),
  state: slotState,
  /** For state "mine": the appointment, so it can be cancelled from the schedule. */
  appointmentId: z.uuid().nullable(),
  cancellable: z.boolean(),
  /** Staff views only: who may book it (the portal shows only portal slots). */
  channel: z.enum(['portal', 'registry', 'referral']).optional(),
});
export type ScheduleSlot = z.infer<typeof scheduleSlot>;
export const scheduleQuery = z.object({
  from: calendarDate.optional(),
  days: z.coerce.number().int('Целое число дней').min(1, 'Не меньше 1 дня').max(31, 'Не больше 31 дня').optional(),
});
export const scheduleResponse = z.object({
  doctor: doctorSummary,
  /** Local dates shown (YYYY-MM-DD), each with its slots. */
  days: z.array(z.object({ date: z.string(), slots: z.array(scheduleSlot) })),
  /** Local date of the last bookable day. */
  horizonEnd: z.string(),
  hasFreeInHorizon: z.boolean(),
});
export type ScheduleResponse = z.infer<typeof scheduleResponse>;

// ---------- booking ----------

export const holdBody = z.object({ slotId: idNumber(), personId: z.uuid('Выберите человека') });
export const holdResponse = z.object({
  slotId: z.number(),
  personId: z.uuid(),
  heldUntil: instant,
  startAt: instant,
  endAt: instant,
  localStart: z.string(),
  timeZone: z.string(),
  person: z.object({ id: z.uuid(), name: z.string(), birthDate: z.string() }),
  doctor: z.object({ id: z.number(), name: z.string(), specialty: z.string(), room: z.string() }),
  organisation: z.object({ id: z.number(), name: z.string(), address: z.string(), phone: z.string() }),
});
export type HoldResponse = z.infer<typeof holdResponse>;
export const holdQuery = z.object({ personId: z.uuid() });
export const slotIdParam = z.object({ slotId: decimalId() });

export const bookBody = holdBody;
export const appointmentDetail = visit.extend({
  person: z.object({ id: z.uuid(), name: z.string() }),
  whatToBring: z.array(z.string()),
});
export type AppointmentDetail = z.infer<typeof appointmentDetail>;

// ---------- registry desk and doctor ----------
// Staff of one organisation (SPEC section 8): the registry desk (/api/desk/...) and the
// doctor (/api/doctor/...). Personal data travels in bodies only; pages use the opaque patientId.

/** A patient as staff see them, with the opaque id to book with (the core's patientMatch). */
export const staffPatient = patientMatch;
export type StaffPatient = z.infer<typeof staffPatient>;

const searchName = (accusative: string, nominative: string) =>
  freeText({ field: nominative, max: 100, minMessage: `Введите ${accusative}` })
    .regex(/^[А-Яа-яЁё][А-Яа-яЁё\s'-]*$/u, 'Только русские буквы, дефис и пробел');

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

// ---------- notifications (SPEC section 5) ----------

export const notificationItem = z.object({
  id: z.number(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  createdAt: instant,
  read: z.boolean(),
});
export type NotificationItem = z.infer<typeof notificationItem>;
export const notificationList = z.object({ items: z.array(notificationItem), unreadCount: z.number() });
export const notificationPreferences = z.object({ email: z.boolean(), push: z.boolean() });
export const pushPublicKey = z.object({ publicKey: z.string() });
/** A push service's subscription URL: plain text, then a URL. */
const pushEndpoint = z
  .string()
  .refine((v) => !hasForbiddenCharacters(v), forbiddenCharactersMessage('Адрес подписки'))
  .url('Неверный адрес подписки')
  .max(2000);
/** The browser's subscription keys: base64url. */
const pushKey = (min: number, max: number) =>
  z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${min},${max}}={0,2}$`), 'Неверный ключ подписки');
export const pushSubscriptionBody = z.object({
  endpoint: pushEndpoint,
  keys: z.object({ p256dh: pushKey(10, 200), auth: pushKey(8, 100) }),
});
export type PushSubscriptionBody = z.infer<typeof pushSubscriptionBody>;
export type NotificationPreferences = z.infer<typeof notificationPreferences>;
export type NotificationList = z.infer<typeof notificationList>;
export const notificationUnread = z.object({ unreadCount: z.number() });
export const pushEndpointQuery = z.object({ endpoint: pushEndpoint });
/** Whether this browser's subscription (by endpoint) is the signed-in account's. */
export const pushSubscriptionStatus = z.object({ subscribed: z.boolean() });

// ---------- operator ----------

export const regionSettings = z.object({
  cutoffTime: hhmm,
  horizonDays: z.number().int().min(1, 'Не меньше 1 дня').max(90, 'Не больше 90 дней'),
  maxPerSpecialty: z.number().int().min(1, 'Не меньше 1').max(10, 'Не больше 10'),
  holdMinutes: z.number().int().min(1, 'Не меньше 1 минуты').max(60, 'Не больше 60 минут'),
  offerWindowHours: z.number().int().min(1, 'Не меньше 1 часа').max(72, 'Не больше 72 часов'),
  maxOffers: z.number().int().min(1, 'Не меньше 1').max(10, 'Не больше 10'),
});
export type RegionSettings = z.infer<typeof regionSettings>;
export const regionSettingsResponse = regionSettings.extend({ updatedAt: instant, updatedBy: z.string().nullable() });
export const organisationSettingsBody = z.object({
  waitlistAllowed: z.boolean(),
  cutoffOverride: hhmm.nullable(),
});
export const organisationWithSettings = organisation.extend({ cutoffOverride: z.string().nullable() });
export const auditEntry = z.object({
  id: z.number(),
  at: instant,
  actor: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof auditEntry>;

// ---------- dev mailbox ----------

export const devMail = z.object({
  id: z.number(),
  createdAt: instant,
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  status: z.string(),
});
export type DevMail = z.infer<typeof devMail>;

// ---------- kiosk ----------
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

// ---------- integration API ----------
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
  label: freeText({ field: 'Название', max: 80, minMessage: 'Введите название ключа, например «Электронная очередь, корпус 1»' }),
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
    else if (days >= maxRangeDays) issue.addIssue({ code: 'custom', path: ['to'], message: 'Не больше 31 дня за один запрос' });
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
  since: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'Неверный курсор: передайте nextCursor предыдущего ответа').optional(),
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
    startAt: z.iso.datetime({ offset: true, message: 'Время в формате ISO 8601 со смещением, например 2026-11-26T10:00:00+04:00' }).optional(),
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
