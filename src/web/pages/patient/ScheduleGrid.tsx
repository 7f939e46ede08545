// A doctor's schedule as days × times. Free times are actions (a button or a link), the
// account's own appointments have a red frame PLUS an icon and the words «Ваша запись»,
// other people's appointments are only «Занято».
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { ScheduleSlot } from '../../../shared/api/index.js';
import { formatDayLong } from '../../ui/format.js';
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

export function ScheduleGrid({
  days,
  onFree,
  freeHref,
  onMine,
  pendingSlotId = null,
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
}) {
  const busy = pendingSlotId !== null;
  const cell = (slot: ScheduleSlot, date: string): ReactNode => {
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
          <Link className="slot slot-free" to={freeHref(slot)} aria-label={`${name}, записаться`}>
            {content}
          </Link>
        );
      }
      return (
        <span className="slot slot-free slot-static">
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
            onClick={() => onMine(slot, label)}
          >
            {content}
          </button>
        );
      }
      return (
        <span className="slot slot-mine slot-static">
          {hiddenDate}
          {content}
        </span>
      );
    }
    return (
      <span className={`slot slot-${slot.state}`}>
        {hiddenDate}
        <span className="slot-time">{slot.time}</span>
        <span className="slot-text">{slot.state === 'busy' ? 'Занято' : 'Нет приёма'}</span>
      </span>
    );
  };
  return (
    <div className="schedule">
      {days.map((day) => (
        <section className="schedule-day" key={day.date} aria-labelledby={`day-${day.date}`}>
          <h3 id={`day-${day.date}`}>{formatDayLong(day.date)}</h3>
          {day.slots.length === 0 ? (
            <p className="hint">Приёма нет</p>
          ) : (
            <ul className="slot-list">
              {day.slots.map((s) => (
                <li key={s.id}>{cell(s, day.date)}</li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}

export function ScheduleLegend({ signedIn, freeText }: { signedIn: boolean; freeText: string }) {
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
            <span>
              запись, сделанная под вашей учётной записью: красная рамка и значок. Нажмите на неё, чтобы отменить
            </span>
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
