// The clinic's view of «Не смогу прийти» (SPEC section 8a): a booked visit whose patient
// warned on the portal that they will not come, with the time they did (the organisation's zone).
import { formatInstantLong } from '../../ui/datetime.js';

export function ReleasedNote({ releasedAt, timeZone }: { releasedAt: string | null; timeZone: string }) {
  if (!releasedAt) return null;
  return (
    <p className="visit-released">
      <strong>Пациент предупредил, что не придёт</strong> — {formatInstantLong(releasedAt, timeZone)}
    </p>
  );
}
