// A person's history (SPEC 8a), derived from the appointment rows alone: who booked, moved,
// released, cancelled or marked each visit, when and through which channel. Pure: the caller
// passes only rows the session may see (visibility.rules.ts) and the viewing account.
import type { HistoryActor, HistoryChannel, HistoryKind } from '../../../shared/api/history.js';
import type { Source } from '../booking/visibility.rules.js';

/** An appointment row with what its history needs. */
export interface HistoryRow {
  id: string;
  source: Source;
  status: 'booked' | 'cancelled' | 'visited' | 'no_show';
  bookedByAccountId: string | null;
  createdAt: Date;
  endAt: Date;
  movedFromId: string | null;
  releasedAt: Date | null;
  cancelledAt: Date | null;
  /** patient | clinic */
  cancelledBy: string | null;
  /** portal | registry | infomat | doctor | electronic_queue | integration */
  cancelledVia: string | null;
  cancelledByAccountId: string | null;
  /** moved | released */
  cancelReason: string | null;
  statusChangedAt: Date | null;
  /** registry | doctor | integration */
  statusChangedVia: string | null;
}

export interface HistoryLine {
  appointmentId: string;
  kind: HistoryKind;
  released: boolean;
  at: Date;
  who: HistoryActor;
  channel: HistoryChannel | null;
  /** For a move: the visit it replaced. */
  movedFromId: string | null;
}

type By = { who: HistoryActor; channel: HistoryChannel | null };

/**
 * Who acted through a channel. Infomat visits are the holder's own (the kiosk identifies the
 * patient); the electronic queue and a clinic's system through the integration API are the
 * clinic's. A portal action shown to this account is always its own (another account's
 * portal bookings are never shown).
 */
const BY_CHANNEL: Record<string, By> = {
  portal: { who: 'you', channel: 'portal' },
  registry: { who: 'registry', channel: 'registry' },
  doctor: { who: 'doctor', channel: 'doctor' },
  infomat: { who: 'you', channel: 'infomat' },
  electronic_queue: { who: 'clinic', channel: 'electronic_queue' },
  integration: { who: 'clinic', channel: 'electronic_queue' },
};

/** Not known: recorded before the channel was. */
const UNKNOWN: By = { who: 'clinic', channel: null };

/** Who made a visit, by its source. */
export function bookedBy(source: Source): By {
  return BY_CHANNEL[source];
}

/** Who cancelled: the clinic's decision, the channel that recorded the patient's cancel, or this account online. */
export function cancelledBy(row: HistoryRow, viewerAccountId: string): By {
  if (row.cancelledBy === 'clinic') return { who: 'clinic', channel: 'clinic_decision' };
  const by = row.cancelledVia === null ? undefined : BY_CHANNEL[row.cancelledVia];
  if (by) return by;
  // Online cancels before the channel was recorded carry the account that cancelled.
  if (row.cancelledByAccountId !== null && row.cancelledByAccountId === viewerAccountId) return BY_CHANNEL.portal;
  return UNKNOWN;
}

/** Who marked the outcome (visited / no-show): the registry, the doctor or the clinic's system. */
export function markedBy(via: string | null): By {
  return via === 'registry' || via === 'doctor' || via === 'integration' ? BY_CHANNEL[via] : UNKNOWN;
}

/**
 * The history lines of the visible rows, newest first. A visit made by a move is one «moved»
 * line (the visit it replaced, cancelled with reason 'moved', adds no cancel line of its own
 * when it is shown too); a release is its own line, and a released visit the waitlist took is
 * a cancel marked `released`. Ties keep the order of what happened to one visit.
 */
export function historyLines(rows: readonly HistoryRow[], viewerAccountId: string): HistoryLine[] {
  const shown = new Set(rows.map((r) => r.id));
  const successorOf = new Set(rows.filter((r) => r.movedFromId !== null).map((r) => r.movedFromId));
  const lines: Array<HistoryLine & { order: number }> = [];
  for (const row of rows) {
    const base = { appointmentId: row.id, released: false, movedFromId: null };
    const made = bookedBy(row.source);
    const movedFrom = row.movedFromId !== null && shown.has(row.movedFromId) ? row.movedFromId : null;
    lines.push({
      ...base,
      ...made,
      kind: row.movedFromId !== null ? 'moved' : 'booked',
      movedFromId: movedFrom,
      at: row.createdAt,
      order: 0,
    });
    if (row.releasedAt !== null)
      lines.push({ ...base, kind: 'released', at: row.releasedAt, who: 'you', channel: 'portal', order: 1 });
    if (row.status === 'cancelled' && row.cancelledAt !== null) {
      const movedAway = row.cancelReason === 'moved' && successorOf.has(row.id);
      if (!movedAway) {
        const by: By =
          row.cancelReason === 'released' || row.cancelReason === 'moved'
            ? { who: 'you', channel: 'portal' }
            : cancelledBy(row, viewerAccountId);
        lines.push({
          ...base,
          ...by,
          kind: 'cancelled',
          released: row.cancelReason === 'released',
          at: row.cancelledAt,
          order: 2,
        });
      }
    }
    if (row.status === 'visited' || row.status === 'no_show') {
      lines.push({
        ...base,
        ...markedBy(row.statusChangedVia),
        kind: row.status,
        // Outcomes recorded before the time was kept: the end of the visit.
        at: row.statusChangedAt ?? row.endAt,
        order: 3,
      });
    }
  }
  lines.sort(
    (a, b) => b.at.getTime() - a.at.getTime() || b.order - a.order || a.appointmentId.localeCompare(b.appointmentId),
  );
  return lines.map(({ order: _order, ...line }) => line);
}
