// After the chosen time was just taken: the doctor's nearest free times the refusal named
// (409 SLOT_TAKEN, details.freeSlots), each a button that holds it, so the patient need not
// search the schedule again.
import type { SlotTakenDetails } from '../../../shared/api/slot-taken.js';
import type { ApiError } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { formatInstantShort } from '../../ui/datetime.js';

export type FreeTimes = SlotTakenDetails['freeSlots'];

/**
 * Whether `value` is SLOT_TAKEN's list of free times (shared/api/slot-taken.ts, which the server
 * answers by). Checked by hand: the schema's zod/mini would be 15 kB of a booking page's code
 * for one list that only a refusal carries.
 */
export function isFreeTimes(value: unknown): value is FreeTimes {
  return (
    Array.isArray(value) &&
    value.every((t: unknown) => {
      if (typeof t !== 'object' || t === null) return false;
      const { id, startAt } = t as { id?: unknown; startAt?: unknown };
      return typeof id === 'number' && typeof startAt === 'string';
    })
  );
}

/** The free times a SLOT_TAKEN refusal names, or null (another refusal, or nothing named). */
export function namedFreeTimes(e: ApiError): FreeTimes | null {
  if (e.code !== 'SLOT_TAKEN') return null;
  const times = e.details.freeSlots;
  return isFreeTimes(times) ? times : null;
}

export function NearestFreeTimes({
  times,
  timeZone,
  pendingSlotId,
  onChoose,
}: {
  times: FreeTimes;
  timeZone: string;
  pendingSlotId: number | null;
  onChoose: (slotId: number) => void;
}) {
  if (times.length === 0) return null;
  return (
    <section className="card nearest-times" aria-labelledby="nearest-times-title">
      <h2 id="nearest-times-title">Ближайшее свободное время у этого врача</h2>
      <ul className="nearest-times-list">
        {times.map((t) => (
          <li key={t.id}>
            <Button
              variant="secondary"
              isPending={pendingSlotId === t.id}
              isDisabled={pendingSlotId !== null && pendingSlotId !== t.id}
              onPress={() => onChoose(t.id)}
            >
              {formatInstantShort(t.startAt, timeZone)}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
