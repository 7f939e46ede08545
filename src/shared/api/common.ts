// The HTTP contract, common parts: ids, errors, enums shared by every module. Messages are Russian: they are shown next to form fields.
import { z } from 'zod';
import { wallClockTime } from '../dates.js';
import { decimalId } from '../ids.js';

// Russian messages for every validation error; a missing field reads as a request to fill it.
z.config(z.locales.ru());
z.config({
  customError: (issue) =>
    issue.code === 'invalid_type' && issue.input === undefined ? 'Заполните это поле' : undefined,
});

// Integer ids from clients: decimalId() in paths and query strings, idNumber() in bodies (ids.ts).

export const errorBody = z.object({
  code: z.string(),
  message: z.string(),
  /** Field path -> Russian message, for VALIDATION_FAILED. */
  fields: z.record(z.string(), z.string()).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorBody = z.infer<typeof errorBody>;

// SLOT_TAKEN's details: slot-taken.ts (zod/mini, for the web app's booking pages).
export { slotTakenDetails, type SlotTakenDetails } from './slot-taken.js';

export const okBody = z.object({ ok: z.literal(true) });

export const uuidParam = z.object({ id: z.uuid('Неверный идентификатор') });
export const intIdParam = z.object({ id: decimalId() });

export const hhmm = wallClockTime('18:00');
export const instant = z.string(); // ISO 8601 with offset, produced by the server

export const role = z.enum(['patient', 'moderator', 'operator', 'registrar', 'doctor', 'clinic_admin']);
export type Role = z.infer<typeof role>;
export const authMethod = z.enum(['password', 'esia']);
export const personStatus = z.enum(['pending', 'confirmed', 'rejected']);
export type PersonStatus = z.infer<typeof personStatus>;
export const sex = z.enum(['M', 'F'], { message: 'Укажите пол' });
export const appointmentSource = z.enum(['portal', 'electronic_queue', 'doctor', 'registry', 'infomat']);
export type AppointmentSource = z.infer<typeof appointmentSource>;
export const appointmentStatus = z.enum(['booked', 'cancelled', 'visited', 'no_show']);
