// The HTTP contract of the ЕСИА sign-in (server and web app). The browser's part of the
// protocol is redirects: GET /api/esia/start -> ЕСИА -> GET /api/esia/callback -> a page.
import { z } from 'zod';
import { normaliseDigits, isValidSnils } from '../validation.js';
import { checkedText } from '../text.js';

export const esiaConfigResponse = z.object({ enabled: z.boolean() });
export type EsiaConfigResponse = z.infer<typeof esiaConfigResponse>;

export const esiaErrorParams = z.object({ code: z.string().regex(/^[A-Z_]{2,40}$/) });
export const esiaErrorResponse = z.object({ code: z.string(), message: z.string() });
export type EsiaErrorResponse = z.infer<typeof esiaErrorResponse>;

/** What a first sign-in shows read-only on the registration page. */
export const esiaRegistration = z.object({
  lastName: z.string(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  birthDate: z.string(),
  sex: z.enum(['M', 'F']),
  /** 11 digits, or null: ЕСИА has no СНИЛС and the person types it in. */
  snils: z.string().nullable(),
  email: z.string().nullable(),
  /** True: the main person is confirmed at once; false: it waits for the moderator. */
  confirmed: z.boolean(),
  /** Completing an existing account (linked from the settings) rather than a new one. */
  existingAccount: z.boolean(),
});
export type EsiaRegistration = z.infer<typeof esiaRegistration>;

export const esiaRegistrationBody = z.object({
  policy: checkedText('Полис ОМС')
    .transform(normaliseDigits)
    .refine((v) => /^\d{16}$/.test(v), 'Номер полиса ОМС состоит из 16 цифр'),
  snils: checkedText('СНИЛС')
    .optional()
    .transform((v) => (v ? normaliseDigits(v) : null))
    .refine((v) => v === null || /^\d{11}$/.test(v), 'СНИЛС состоит из 11 цифр')
    .refine((v) => v === null || isValidSnils(v), 'Проверьте СНИЛС: контрольное число не совпадает'),
});
export type EsiaRegistrationBody = z.input<typeof esiaRegistrationBody>;

export const esiaLinkStatus = z.object({
  linked: z.boolean(),
  linkedAt: z.string().nullable(),
  /** Linking needs the password; an account without one sets it first. */
  hasPassword: z.boolean(),
  enabled: z.boolean(),
});
export type EsiaLinkStatus = z.infer<typeof esiaLinkStatus>;

export const esiaLinkBody = z.object({ password: z.string().min(1, 'Введите пароль').max(200) });
/** Where the browser goes next (ЕСИА's consent page). */
export const esiaRedirect = z.object({ url: z.string() });
