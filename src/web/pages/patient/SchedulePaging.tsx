// Moving through a schedule a few days at a time; the first shown day is `?from=` in the
// page's address so the back button and reloads keep the place.
import { Link, useLocation, useSearchParams } from 'react-router';
import type { ScheduleResponse } from '../../../shared/api/index.js';
import { addDays } from '../../../shared/time.js';
import { formatDayMonth, todayIn } from '../../ui/datetime.js';

/** The schedule endpoint's URL for this page's `?from=`. */
export function useScheduleUrl(doctorId: string): string {
  const [params] = useSearchParams();
  const from = params.get('from');
  const q = from && /^\d{4}-\d{2}-\d{2}$/.test(from) ? `?from=${from}` : '';
  return `/api/doctors/${encodeURIComponent(doctorId)}/schedule${q}`;
}

export function SchedulePaging({ schedule }: { schedule: ScheduleResponse }) {
  const location = useLocation();
  const [params] = useSearchParams();
  const days = schedule.days;
  if (days.length === 0) return null;
  const first = days[0].date;
  const last = days[days.length - 1].date;
  const today = todayIn(schedule.doctor.organisation.timeZone);
  const withFrom = (from: string | null) => {
    const p = new URLSearchParams(params);
    if (from) p.set('from', from);
    else p.delete('from');
    const q = p.toString();
    return `${location.pathname}${q ? `?${q}` : ''}`;
  };
  const prevFrom = addDays(first, -days.length);
  const showPrev = first > today;
  const showNext = last < schedule.horizonEnd;
  if (!showPrev && !showNext) return null;
  return (
    <nav className="schedule-paging" aria-label="Другие дни расписания">
      {showPrev && <Link to={withFrom(prevFrom <= today ? null : prevFrom)}>‹ Предыдущие дни</Link>}
      <span className="hint">
        {formatDayMonth(first)} — {formatDayMonth(last)}
      </span>
      {showNext && <Link to={withFrom(addDays(last, 1))}>Следующие дни ›</Link>}
    </nav>
  );
}
