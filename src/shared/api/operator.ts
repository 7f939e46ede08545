// The HTTP contract of operator: one schema per endpoint, shared by the server and the web app.
import { z } from 'zod';
import { hhmm, instant } from './common.js';
import { organisation } from './catalogue.js';

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
