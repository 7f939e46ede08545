// Pure rules of the other channels (SPEC section 8): which source an actor's booking
// records, and who may cancel which visit through which channel. No I/O, no clock.
import { isBeforeCutoff } from '../booking/booking.rules.js';
import type { AppointmentStatus, Source } from '../booking/visibility.rules.js';

export type ChannelSource = 'registry' | 'doctor' | 'infomat' | 'electronic_queue';
export type ApiChannel = ChannelSource | 'mis';

export type ChannelActor =
  | { kind: 'staff'; organisationId: number; accountId: string; role: 'registrar' | 'doctor'; doctorId: number | null }
  | { kind: 'kiosk'; organisationId: number; deviceId: string }
  | { kind: 'api'; organisationId: number; apiKeyId: string; channel: ApiChannel };

/**
 * The source an actor's booking records: the registry desk `registry`, a doctor `doctor`, a
 * kiosk `infomat`, an API key its own channel. Only a clinic information system's key
 * (`mis`) names the source, and must. Null: the requested source is not this actor's.
 */
export function sourceFor(actor: ChannelActor, requested: ChannelSource | undefined): ChannelSource | null {
  let own: ChannelSource | null;
  if (actor.kind === 'staff') own = actor.role === 'registrar' ? 'registry' : 'doctor';
  else if (actor.kind === 'kiosk') own = 'infomat';
  else own = actor.channel === 'mis' ? null : actor.channel;
  if (own === null) return requested ?? null;
  if (requested !== undefined && requested !== own) return null;
  return own;
}

/** The `cancelled_via` value of a cancel through this actor. */
export function cancelledVia(actor: ChannelActor): 'registry' | 'doctor' | 'infomat' | 'integration' {
  if (actor.kind === 'staff') return actor.role === 'registrar' ? 'registry' : 'doctor';
  if (actor.kind === 'kiosk') return 'infomat';
  return 'integration';
}

export type ChannelCancelRefusal = 'ALREADY_CANCELLED' | 'VISIT_IN_PAST' | 'NOT_CANCELLABLE_AT_KIOSK' | 'CUTOFF_PASSED';

export interface ChannelCancelFacts {
  source: Source;
  status: AppointmentStatus;
  startAt: Date;
  timeZone: string;
  /** The organisation's effective cut-off wall time, 'HH:MM'. */
  cutoff: string;
}

/**
 * Whether the actor may cancel this visit of its organisation now; null when it may.
 * Staff and clinic systems cancel any booked visit that has not started (the registry is
 * where the cut-off sends people). A kiosk cancels only visits made outside the portal
 * (a portal booking belongs to the account that made it, SPEC section 7), and only
 * before the cut-off, like the portal.
 */
export function channelCancelRefusal(
  actor: ChannelActor,
  f: ChannelCancelFacts,
  now: Date,
): ChannelCancelRefusal | null {
  if (f.status === 'cancelled') return 'ALREADY_CANCELLED';
  if (f.status !== 'booked' || f.startAt.getTime() <= now.getTime()) return 'VISIT_IN_PAST';
  if (actor.kind !== 'kiosk') return null;
  if (f.source === 'portal') return 'NOT_CANCELLABLE_AT_KIOSK';
  if (!isBeforeCutoff(now, f.startAt, f.timeZone, f.cutoff)) return 'CUTOFF_PASSED';
  return null;
}

/** Whether a visit's outcome (visited / no-show) can be recorded: it has started and was not cancelled. */
export function outcomeRefusal(
  f: { status: AppointmentStatus; startAt: Date },
  now: Date,
): 'ALREADY_CANCELLED' | 'VISIT_NOT_FINISHED' | null {
  if (f.status === 'cancelled') return 'ALREADY_CANCELLED';
  if (f.startAt.getTime() > now.getTime()) return 'VISIT_NOT_FINISHED';
  return null;
}

/** Normalises a surname or name for search: trimmed, lower case (the index is on lower()). */
export function nameKey(s: string): string {
  return s.trim().toLocaleLowerCase('ru-RU');
}
