// The HTTP contract of a person's history (SPEC 8a): who booked, moved, cancelled, released
// or marked each visit the session may see, when and through which channel.
import { z } from 'zod';
import { instant } from './common.js';

/** What happened to the visit. */
export const historyKind = z.enum(['booked', 'moved', 'released', 'cancelled', 'visited', 'no_show']);
export type HistoryKind = z.infer<typeof historyKind>;

/** Who did it: this account («вы»), the registry, the doctor, or the clinic (its decision or its system). Never another account. */
export const historyActor = z.enum(['you', 'registry', 'doctor', 'clinic']);
export type HistoryActor = z.infer<typeof historyActor>;

/** Through which channel; clinic_decision: «решение медицинской организации». Null when the record does not say. */
export const historyChannel = z.enum([
  'portal',
  'registry',
  'doctor',
  'infomat',
  'electronic_queue',
  'clinic_decision',
]);
export type HistoryChannel = z.infer<typeof historyChannel>;

export const historyEntry = z.object({
  appointmentId: z.uuid(),
  kind: historyKind,
  /** The cancel was a release taken by the waitlist («освобождена пациентом»). */
  released: z.boolean(),
  at: instant,
  /** When, in the organisation's zone: "2026-11-26T09:30". */
  localAt: z.string(),
  timeZone: z.string(),
  who: historyActor,
  channel: historyChannel.nullable(),
  visit: z.object({
    reference: z.string(),
    /** The visit's time in the organisation's zone. */
    localStart: z.string(),
    doctor: z.string(),
    specialty: z.string(),
    organisation: z.string(),
  }),
  /** For a move: the time it was moved from, in the organisation's zone (null when that visit is not shown). */
  movedFromLocalStart: z.string().nullable(),
});
export type HistoryEntry = z.infer<typeof historyEntry>;

export const personHistoryResponse = z.object({
  person: z.object({ id: z.uuid(), name: z.string() }),
  /** Newest first. */
  entries: z.array(historyEntry),
});
export type PersonHistoryResponse = z.infer<typeof personHistoryResponse>;
