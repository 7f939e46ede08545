// A doctor's schedule as days × times: one ARIA grid (a day per row) with a single Tab stop and
// arrow keys between times (roving tabindex); on a phone one day at a time, chosen in the day
// picker above it (CSS shows all days side by side on a wide screen), and only that day's times
// are rendered there: two weeks of times cost a slow phone's CPU most of a second to render,
// for cells the phone hides anyway. Free times are actions (a button or a link), the
// account's own appointments have a red frame PLUS an icon and the words «Ваша запись»,
// other people's appointments are only «Занято».
import { type KeyboardEvent, type ReactNode, useRef, useState, useSyncExternalStore } from 'react';
import { Link } from 'react-router';
import type { ScheduleSlot } from '../../../shared/api/index.js';
import { formatDayLong, formatDayShort, plural } from '../../ui/format.js';
import { formatDayMonth } from '../../ui/datetime.js';
import { capitalise } from './labels.js';

export interface ScheduleDay {
  date: string;
  slots: ScheduleSlot[];
}

/** The mark of the account's own appointment: never colour alone. */
export function MineIcon() {
  return (
    <svg className="slot-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="7" fill="currentColor" />
      <path d="M4.5 8.2l2.3 2.3 4.7-4.9" fill="none" stroke="#fff" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

/** The screens that show one day at a time (the same width as styles.css's day picker). */
const ONE_DAY_SCREEN = '(max-width: 560px)';

function subscribeToWidth(onChange: () => void): () => void {
  const query = window.matchMedia(ONE_DAY_SCREEN);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

/** Whether this screen shows one day at a time. */
function useOneDayScreen(): boolean {
  return useSyncExternalStore(
    subscribeToWidth,
    () => window.matchMedia(ONE_DAY_SCREEN).matches,
    () => false,
  );
}

/** A cell's id for the roving tab stop. */
const cellKey = (slot: ScheduleSlot) => `slot-${slot.id}`;

/** The first free (or held) time of a day, else its first time. */
function firstCell(day: ScheduleDay | undefined): string | null {
  if (!day || day.slots.length === 0) return null;
  const free = day.slots.find((s) => s.state === 'free' || s.state === 'held_by_me');
  return cellKey(free ?? day.slots[0]);
}

/** The day to show first on a phone: the first with a free time, else the first with any. */
function firstDay(days: ScheduleDay[]): string | null {
  const free = days.find((d) => d.slots.some((s) => s.state === 'free' || s.state === 'held_by_me'));
  return (free ?? days.find((d) => d.slots.length > 0) ?? days[0])?.date ?? null;
}

type Direction = 'left' | 'right' | 'up' | 'down';

/**
 * The cell a person sees next in `direction` from `from`, by position on screen: the grid
 * moves the same way whether days stand side by side (desktop) or one day wraps its times
 * into rows (a phone). Hidden cells (other days on a phone) have no box and are skipped.
 */
export function nextCellByPosition(
  from: DOMRect,
  cells: { key: string; rect: DOMRect }[],
  direction: Direction,
): string | null {
  const cx = from.left + from.width / 2;
  const cy = from.top + from.height / 2;
  let best: { key: string; score: number } | null = null;
  for (const { key, rect } of cells) {
    if (rect.width === 0 && rect.height === 0) continue;
    const x = rect.left + rect.width / 2;
    const y = rect.top + rect.height / 2;
    const dx = x - cx;
    const dy = y - cy;
    const along = direction === 'left' ? -dx : direction === 'right' ? dx : direction === 'up' ? -dy : dy;
    const across = direction === 'left' || direction === 'right' ? Math.abs(dy) : Math.abs(dx);
    if (along < 1) continue;
    // In line first (same row or column), then the nearest.
    const inLine = across < (direction === 'left' || direction === 'right' ? from.height : from.width) / 2;
    const score = (inLine ? 0 : 1_000_000) + along + across * 4;
    if (!best || score < best.score) best = { key, score };
  }
  return best?.key ?? null;
}

export function ScheduleGrid({
  days,
  onFree,
  freeHref,
  onMine,
  pendingSlotId = null,
  label = 'Время приёма',
}: {
  days: ScheduleDay[];
  /** A free time as a button (the booking journey). */
  onFree?(slot: ScheduleSlot, label: string): void;
  /** A free time as a link (the public schedule). */
  freeHref?(slot: ScheduleSlot): string;
  /** The account's own appointment as a button (cancel from the schedule). */
  onMine?(slot: ScheduleSlot, label: string): void;
  /** The slot whose request is in flight: its button is busy, the others wait. */
  pendingSlotId?: number | null;
  /** The grid's accessible name. */
  label?: string;
}) {
  const busy = pendingSlotId !== null;
  const grid = useRef<HTMLDivElement>(null);
  // The day shown on a phone (on a wide screen all days are shown; the picker is hidden).
  const [picked, setPicked] = useState<string | null>(null);
  const day = days.some((d) => d.date === picked) ? picked : firstDay(days);
  // On a phone only the picked day's times are in the page.
  const oneDay = useOneDayScreen();
  const rendered = (date: string) => !oneDay || date === day;
  // The one cell in the Tab order (roving tabindex), among the times in the page.
  const [active, setActive] = useState<string | null>(null);
  const allKeys = days.filter((d) => rendered(d.date)).flatMap((d) => d.slots.map(cellKey));
  const current =
    active && allKeys.includes(active) ? active : (firstCell(days.find((d) => d.date === day)) ?? allKeys[0] ?? null);

  const focusCell = (key: string) => {
    const el = grid.current?.querySelector<HTMLElement>(`[data-cell="${key}"]`);
    if (!el) return;
    setActive(key);
    const owner = days.find((d) => d.slots.some((s) => cellKey(s) === key));
    if (owner) setPicked(owner.date);
    el.focus();
  };

  const pickDay = (date: string) => {
    setPicked(date);
    setActive(firstCell(days.find((d) => d.date === date)));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    const from = target.closest<HTMLElement>('[data-cell]');
    if (!from || !grid.current) return;
    const cells = [...grid.current.querySelectorAll<HTMLElement>('[data-cell]')]
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => ({ key: el.dataset.cell ?? '', rect: el.getBoundingClientRect() }));
    const rowOf = (key: string) => days.find((d) => d.slots.some((s) => cellKey(s) === key));
    let next: string | null = null;
    const move: Record<string, Direction> = {
      ArrowLeft: 'left',
      ArrowRight: 'right',
      ArrowUp: 'up',
      ArrowDown: 'down',
    };
    if (event.key in move) {
      next = nextCellByPosition(from.getBoundingClientRect(), cells, move[event.key]);
      // At the end of a line of wrapped times (a phone), left and right go on in reading order.
      if (!next && (event.key === 'ArrowLeft' || event.key === 'ArrowRight')) {
        const at = cells.findIndex((c) => c.key === from.dataset.cell);
        next = cells[at + (event.key === 'ArrowRight' ? 1 : -1)]?.key ?? null;
      }
    } else if (event.key === 'Home' || event.key === 'End') {
      const keys = event.ctrlKey
        ? cells.map((c) => c.key)
        : (rowOf(from.dataset.cell ?? '')?.slots.map(cellKey) ?? []).filter((k) => cells.some((c) => c.key === k));
      next = (event.key === 'Home' ? keys[0] : keys[keys.length - 1]) ?? null;
    } else {
      return;
    }
    event.preventDefault();
    if (next) focusCell(next);
  };

  const cell = (slot: ScheduleSlot, date: string): ReactNode => {
    const key = cellKey(slot);
    const roving = {
      'data-cell': key,
      tabIndex: key === current ? 0 : -1,
      onFocus: () => setActive(key),
    };
    const label = `${formatDayMonth(date)}, ${slot.time}`;
    const hiddenDate = <span className="visually-hidden">{formatDayMonth(date)}, </span>;
    if (slot.state === 'free' || slot.state === 'held_by_me') {
      // Staff schedules name a time kept for the registry or for referrals (the portal never shows one).
      const kept =
        slot.channel === 'registry' ? 'для регистратуры' : slot.channel === 'referral' ? 'по направлению' : null;
      const name = `${label}, ${slot.state === 'free' ? 'свободно' : 'закреплено за вами'}${kept ? `, ${kept}` : ''}`;
      const content = (
        <>
          <span className="slot-time">{slot.time}</span>
          {slot.state === 'held_by_me' && <span className="slot-text">Закреплено за вами</span>}
          {kept && <span className="slot-text">{kept === 'для регистратуры' ? 'Регистратура' : 'По направлению'}</span>}
        </>
      );
      if (onFree) {
        return (
          <button
            type="button"
            className="slot slot-free"
            aria-label={name}
            aria-disabled={busy || undefined}
            data-pending={pendingSlotId === slot.id || undefined}
            {...roving}
            onClick={() => {
              if (!busy) onFree(slot, label);
            }}
          >
            {content}
            {pendingSlotId === slot.id && <span className="slot-text">Закрепляем…</span>}
          </button>
        );
      }
      if (freeHref) {
        return (
          <Link className="slot slot-free" to={freeHref(slot)} aria-label={`${name}, записаться`} {...roving}>
            {content}
          </Link>
        );
      }
      return (
        <span className="slot slot-free slot-static" {...roving}>
          <span className="visually-hidden">{name}</span>
          <span aria-hidden="true">{content}</span>
        </span>
      );
    }
    if (slot.state === 'mine') {
      const content = (
        <>
          <span className="slot-time">{slot.time}</span>
          <span className="slot-text">
            <MineIcon /> Ваша запись
          </span>
        </>
      );
      if (onMine) {
        return (
          <button
            type="button"
            className="slot slot-mine"
            aria-label={`${label}, Ваша запись`}
            {...roving}
            onClick={() => onMine(slot, label)}
          >
            {content}
          </button>
        );
      }
      return (
        <span className="slot slot-mine slot-static" {...roving}>
          {hiddenDate}
          {content}
        </span>
      );
    }
    return (
      <span className={`slot slot-${slot.state}`} {...roving}>
        {hiddenDate}
        <span className="slot-time">{slot.time}</span>
        <span className="slot-text">{slot.state === 'busy' ? 'Занято' : 'Нет приёма'}</span>
      </span>
    );
  };
  const freeCount = (d: ScheduleDay) => d.slots.filter((s) => s.state === 'free' || s.state === 'held_by_me').length;
  return (
    <div className="schedule-wrap">
      {days.length > 1 && (
        <fieldset className="day-picker">
          <legend className="visually-hidden">Выберите день</legend>
          {days.map((d) => {
            const n = freeCount(d);
            return (
              <button
                key={d.date}
                type="button"
                className="day-pick"
                aria-pressed={d.date === day}
                onClick={() => pickDay(d.date)}
              >
                <span className="day-pick-date">{formatDayShort(d.date)}</span>
                <span className="day-pick-free">
                  {n > 0 ? `${n} ${plural(n, ['свободно', 'свободно', 'свободно'])}` : 'нет свободных'}
                </span>
              </button>
            );
          })}
        </fieldset>
      )}
      {/* biome-ignore lint/a11y/useSemanticElements: a table cannot lay days out as wrapping columns; this is the ARIA grid pattern */}
      <div className="schedule" role="grid" aria-label={label} ref={grid} onKeyDown={onKeyDown}>
        {days.map((d) => (
          // biome-ignore lint/a11y/useSemanticElements lint/a11y/useFocusableInteractive: a row of the ARIA grid pattern (one day); its cells take focus, not the row
          <div className="schedule-day" role="row" key={d.date} data-picked={d.date === day || undefined}>
            {/* biome-ignore lint/a11y/useSemanticElements lint/a11y/useFocusableInteractive: the day's header cell in the ARIA grid; the times take focus */}
            <div role="rowheader" className="schedule-day-head">
              <h3 id={`day-${d.date}`}>{formatDayLong(d.date)}</h3>
            </div>
            {!rendered(d.date) ? null : d.slots.length === 0 ? (
              // biome-ignore lint/a11y/useSemanticElements lint/a11y/useFocusableInteractive: a day without times, read as the row's only cell
              <div role="gridcell" className="hint">
                Приёма нет
              </div>
            ) : (
              <div className="slot-list">
                {d.slots.map((s) => (
                  // biome-ignore lint/a11y/useSemanticElements lint/a11y/useFocusableInteractive: a time in the ARIA grid; the time inside it takes focus
                  <div key={s.id} role="gridcell" className="slot-cell">
                    {cell(s, d.date)}
                  </div>
                ))}
              </div>
            )}
          </div>
        ))}
      </div>
    </div>
  );
}

export function ScheduleLegend({
  signedIn,
  freeText,
  mineText = 'запись, сделанная под вашей учётной записью: красная рамка и значок. Нажмите на неё, чтобы отменить',
}: {
  signedIn: boolean;
  freeText: string;
  /** What the account's own appointment means here (the move's schedule: the visit being moved). */
  mineText?: string;
}) {
  return (
    <div className="schedule-legend">
      <h2 className="legend-title">Обозначения</h2>
      <ul className="legend-list">
        <li>
          <span className="slot slot-free legend-sample" aria-hidden="true">
            09:00
          </span>
          <span>{freeText}</span>
        </li>
        <li>
          <span className="slot slot-busy legend-sample" aria-hidden="true">
            09:00 <span className="slot-text">Занято</span>
          </span>
          <span>время занято другим пациентом</span>
        </li>
        <li>
          <span className="slot slot-blocked legend-sample" aria-hidden="true">
            09:00 <span className="slot-text">Нет приёма</span>
          </span>
          <span>врач в это время не принимает</span>
        </li>
        {signedIn && (
          <li>
            <span className="slot slot-mine legend-sample" aria-hidden="true">
              09:00{' '}
              <span className="slot-text">
                <MineIcon /> Ваша запись
              </span>
            </span>
            <span>{mineText}</span>
          </li>
        )}
      </ul>
    </div>
  );
}

/** Doctor, specialty, organisation, address and room. */
export function DoctorFacts({
  doctor,
}: {
  doctor: {
    name: string;
    room: string;
    specialty: { name: string };
    organisation: { name: string; address: string; phone?: string };
  };
}) {
  return (
    <dl className="doctor-facts">
      <div>
        <dt>Врач</dt>
        <dd>{doctor.name}</dd>
      </div>
      <div>
        <dt>Специальность</dt>
        <dd>{capitalise(doctor.specialty.name)}</dd>
      </div>
      <div>
        <dt>Медицинская организация</dt>
        <dd>{doctor.organisation.name}</dd>
      </div>
      <div>
        <dt>Адрес</dt>
        <dd>{doctor.organisation.address}</dd>
      </div>
      <div>
        <dt>Кабинет</dt>
        <dd>{doctor.room}</dd>
      </div>
    </dl>
  );
}
