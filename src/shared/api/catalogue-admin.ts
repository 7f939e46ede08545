// The HTTP contract of the catalogue's management (issue 16): organisations and specialties
// edited by the regional operator, the organisation's details and its doctors edited by the
// clinic administrator, and the organisation's change log. Messages are Russian, per field.
import { z } from 'zod';
import { personInput } from './identity.js';
import { organisationSettingsBody } from './operator.js';
import { idNumber } from '../ids.js';
import { freeText } from '../text.js';

/** The time zones of Russia (IANA), west to east, with what a person recognises them by. */
export const RUSSIAN_TIME_ZONES: readonly { zone: string; label: string }[] = [
  { zone: 'Europe/Kaliningrad', label: 'Калининград (МСК−1)' },
  { zone: 'Europe/Moscow', label: 'Москва (МСК)' },
  { zone: 'Europe/Simferopol', label: 'Симферополь (МСК)' },
  { zone: 'Europe/Kirov', label: 'Киров (МСК)' },
  { zone: 'Europe/Volgograd', label: 'Волгоград (МСК)' },
  { zone: 'Europe/Astrakhan', label: 'Астрахань (МСК+1)' },
  { zone: 'Europe/Saratov', label: 'Саратов (МСК+1)' },
  { zone: 'Europe/Ulyanovsk', label: 'Ульяновск (МСК+1)' },
  { zone: 'Europe/Samara', label: 'Самара, Ижевск (МСК+1)' },
  { zone: 'Asia/Yekaterinburg', label: 'Екатеринбург (МСК+2)' },
  { zone: 'Asia/Omsk', label: 'Омск (МСК+3)' },
  { zone: 'Asia/Novosibirsk', label: 'Новосибирск (МСК+4)' },
  { zone: 'Asia/Barnaul', label: 'Барнаул (МСК+4)' },
  { zone: 'Asia/Tomsk', label: 'Томск (МСК+4)' },
  { zone: 'Asia/Novokuznetsk', label: 'Новокузнецк (МСК+4)' },
  { zone: 'Asia/Krasnoyarsk', label: 'Красноярск (МСК+4)' },
  { zone: 'Asia/Irkutsk', label: 'Иркутск (МСК+5)' },
  { zone: 'Asia/Chita', label: 'Чита (МСК+6)' },
  { zone: 'Asia/Yakutsk', label: 'Якутск (МСК+6)' },
  { zone: 'Asia/Khandyga', label: 'Хандыга (МСК+6)' },
  { zone: 'Asia/Vladivostok', label: 'Владивосток (МСК+7)' },
  { zone: 'Asia/Ust-Nera', label: 'Усть-Нера (МСК+7)' },
  { zone: 'Asia/Magadan', label: 'Магадан (МСК+8)' },
  { zone: 'Asia/Sakhalin', label: 'Сахалин (МСК+8)' },
  { zone: 'Asia/Srednekolymsk', label: 'Среднеколымск (МСК+8)' },
  { zone: 'Asia/Kamchatka', label: 'Камчатка (МСК+9)' },
  { zone: 'Asia/Anadyr', label: 'Анадырь (МСК+9)' },
];

/** Whether this runtime's Intl knows the zone (a name in the list that Intl refuses is refused too). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('ru-RU', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A zone of Russia that Intl knows. */
export function isRussianTimeZone(zone: string): boolean {
  return RUSSIAN_TIME_ZONES.some((z) => z.zone === zone) && isKnownTimeZone(zone);
}

const timeZone = z
  .string({ message: 'Выберите часовой пояс' })
  .refine(isRussianTimeZone, 'Часовой пояс: выберите пояс из списка часовых поясов России');

const phone = freeText({ field: 'Телефон регистратуры', max: 40, minMessage: 'Введите телефон регистратуры' }).regex(
  /^\+?[0-9][0-9 ()-]{4,}$/,
  'Телефон регистратуры: цифры, пробелы, скобки и дефис, например +7 (3412) 00-41-10',
);

// ---------- organisations ----------

/** An organisation's details: what the operator creates and what both roles edit. */
export const organisationDetails = z.object({
  name: freeText({ field: 'Полное название', max: 200, minMessage: 'Введите полное название' }),
  shortName: freeText({ field: 'Краткое название', max: 80, minMessage: 'Введите краткое название' }),
  address: freeText({ field: 'Адрес', max: 300, minMessage: 'Введите адрес' }),
  phone,
  timeZone,
  waitlistAllowed: z.boolean({ message: 'Укажите, можно ли вставать в очередь' }),
});
export type OrganisationDetails = z.infer<typeof organisationDetails>;

/** The organisation as the clinic administrator and the operator's edit page see it. */
export const organisationFull = organisationDetails.extend({ id: z.number(), cutoffOverride: z.string().nullable() });
export type OrganisationFull = z.infer<typeof organisationFull>;

// ---------- specialties ----------

const age = (what: string) =>
  z
    .number({ message: `${what}: укажите число лет` })
    .int(`${what}: целое число лет`)
    .min(0, `${what}: не меньше 0`)
    .max(121, `${what}: не больше 121`)
    .nullable();

export const specialtyBody = z
  .object({
    name: freeText({ field: 'Название', max: 100, minMessage: 'Введите название специальности' }).regex(
      /^[А-Яа-яЁё][А-Яа-яЁё0-9\s,()-]*$/u,
      'Название: русские буквы, цифры, пробел, дефис, запятая и скобки',
    ),
    /** Inclusive minimum age in full years, or null. */
    minAge: age('Возраст от'),
    /** Exclusive maximum age in full years (18 = "under 18"), or null. */
    maxAge: age('Возраст до'),
    sex: z.enum(['M', 'F'], { message: 'Выберите пол или «Любой»' }).nullable(),
    /** False: only with a referral (stored and shown; the booking rule comes with the referral work). */
    selfBooking: z.boolean({ message: 'Укажите, можно ли записаться самостоятельно' }),
  })
  .superRefine((s, issue) => {
    if (s.minAge !== null && s.minAge > 120)
      issue.addIssue({ code: 'custom', path: ['minAge'], message: 'Возраст от: не больше 120' });
    if (s.maxAge !== null && s.maxAge < 1)
      issue.addIssue({ code: 'custom', path: ['maxAge'], message: 'Возраст до: не меньше 1' });
    if (s.minAge !== null && s.maxAge !== null && s.maxAge <= s.minAge) {
      issue.addIssue({ code: 'custom', path: ['maxAge'], message: 'Возраст до должен быть больше, чем возраст от' });
    }
  });
export type SpecialtyBody = z.infer<typeof specialtyBody>;

export const specialtyFull = z.object({
  id: z.number(),
  name: z.string(),
  minAge: z.number().nullable(),
  maxAge: z.number().nullable(),
  sex: z.enum(['M', 'F']).nullable(),
  selfBooking: z.boolean(),
  /** Active doctors of this specialty in the region. */
  doctorCount: z.number(),
});
export type SpecialtyFull = z.infer<typeof specialtyFull>;

// ---------- doctors ----------

const names = personInput.pick({ lastName: true, firstName: true, middleName: true });

export const doctorBody = names.extend({
  specialtyId: idNumber('Выберите специальность', 'Выберите специальность'),
  position: freeText({ field: 'Должность', max: 120, min: 0 }),
  room: freeText({ field: 'Кабинет', max: 20, minMessage: 'Введите номер кабинета' }),
});
export type DoctorBody = z.input<typeof doctorBody>;

export const clinicDoctor = z.object({
  id: z.number(),
  lastName: z.string(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  specialtyId: z.number(),
  specialtyName: z.string(),
  position: z.string(),
  room: z.string(),
  active: z.boolean(),
});
export type ClinicDoctor = z.infer<typeof clinicDoctor>;

/** The specialties a clinic administrator chooses from. */
export const specialtyChoice = z.object({ id: z.number(), name: z.string(), selfBooking: z.boolean() });
export type SpecialtyChoice = z.infer<typeof specialtyChoice>;

export const createdId = z.object({ id: z.number() });

/**
 * PUT /api/operator/organisations/:id: the organisation's settings (the waitlist, its own
 * cut-off) and, optionally, its details; what is left out stays as it is.
 */
export const organisationUpdateBody = organisationSettingsBody.extend(organisationDetails.partial().shape);
export type OrganisationUpdateBody = z.infer<typeof organisationUpdateBody>;
