// A visit as staff, the kiosk and clinic systems see it (no personal data beyond the
// patient's opaque id: the caller already knows whom it asked about).
import type { ChannelVisit } from '../../../shared/api/index.js';
import { localDateTimeOf } from '../../../shared/time.js';
import type { VisitRow } from '../booking/booking.service.js';
import type { AppointmentStatus, Source } from '../booking/visibility.rules.js';
import { fullName } from '../../../shared/person.js';
import { cancellationDeadline } from '../booking/booking.rules.js';
import { channelCancelRefusal, type ChannelActor } from './channels.rules.js';

export function toChannelVisit(
  row: VisitRow,
  patientId: string,
  actor: ChannelActor,
  cutoff: string,
  now: Date,
): ChannelVisit {
  const tz = row.organisation.timeZone;
  const refusal = channelCancelRefusal(
    actor,
    {
      source: row.source as Source,
      status: row.status as AppointmentStatus,
      startAt: row.startAt,
      timeZone: tz,
      cutoff,
    },
    now,
  );
  return {
    id: row.id,
    reference: row.reference,
    patientId,
    startAt: row.startAt.toISOString(),
    endAt: row.endAt.toISOString(),
    localStart: localDateTimeOf(row.startAt, tz),
    timeZone: tz,
    status: row.status as AppointmentStatus,
    source: row.source as Source,
    cancelledBy: (row.cancelledBy as 'patient' | 'clinic' | null) ?? null,
    cancelReason: row.cancelReason === 'moved' || row.cancelReason === 'released' ? row.cancelReason : null,
    releasedAt: row.releasedAt?.toISOString() ?? null,
    doctor: { id: row.doctor.id, name: fullName(row.doctor), specialty: row.specialty.name, room: row.doctor.room },
    organisation: {
      id: row.organisation.id,
      name: row.organisation.name,
      address: row.organisation.address,
      phone: row.organisation.phone,
    },
    cancellable: refusal === null && row.organisation.id === actor.organisationId,
    cancelUntil: cancellationDeadline(row.startAt, tz, cutoff).toISOString(),
  };
}
