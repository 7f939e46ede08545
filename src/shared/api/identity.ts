// The HTTP contract of identity: one schema per endpoint, shared by the server and the web app.
import { z } from 'zod';
import { isoDate } from '../dates.js';
import { checkedText, freeText, hasForbiddenCharacters, forbiddenCharactersMessage } from '../text.js';
import { isStrongPassword, isValidSnils, normaliseDigits } from '../validation.js';
import { authMethod, personStatus, role, sex } from './common.js';

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
  freeText({ field: nominative, max: 100, minMessage: `Введите ${accusative}` }).regex(
    /^[А-Яа-яЁё][А-Яа-яЁё\s'-]*$/u,
    `${nominative}: только русские буквы, дефис и пробел`,
  );

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
  /** The birth certificate of a child brought from Госуслуги (ЕСИА), or null. */
  birthCertificate: z.object({ series: z.string(), number: z.string() }).nullable(),
});
export type Person = z.infer<typeof person>;
