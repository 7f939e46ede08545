// The confirmation after a booking at the desk or by a doctor: reference number, when, who,
// where — shown on the page the journey returns to, taking focus so it is heard.
import { useEffect, useRef } from 'react';
import { capitalise } from '../patient/labels.js';
import { formatLocalDateTime, zoneNote } from '../../ui/format.js';
import type { BookedNotice } from './staff.js';

export function BookedPanel({ notice }: { notice: BookedNotice }) {
  const ref = useRef<HTMLDivElement>(null);
  // After the page has focused its heading (a parent's effect runs after this one).
  useEffect(() => {
    const id = requestAnimationFrame(() => ref.current?.focus());
    return () => cancelAnimationFrame(id);
  }, []);
  const v = notice.booked;
  const zone = zoneNote(v.timeZone, v.organisation.address);
  return (
    <div className="notice notice-success staff-booked" role="status" tabIndex={-1} ref={ref}>
      <p className="notice-title">Пациент записан</p>
      <p>
        Номер записи: <strong className="staff-nowrap">{v.reference}</strong>
      </p>
      <dl className="staff-facts">
        <div>
          <dt>Пациент</dt>
          <dd>{notice.patientName}</dd>
        </div>
        <div>
          <dt>Дата и время</dt>
          <dd>{formatLocalDateTime(v.localStart)}</dd>
        </div>
        <div>
          <dt>Врач</dt>
          <dd>
            {v.doctor.name}, {capitalise(v.doctor.specialty)}
          </dd>
        </div>
        <div>
          <dt>Кабинет</dt>
          <dd>{v.doctor.room}</dd>
        </div>
        <div>
          <dt>Адрес</dt>
          <dd>{v.organisation.address}</dd>
        </div>
      </dl>
      {zone && <p className="hint">{zone}</p>}
      <p>Скажите пациенту номер записи, дату, время и кабинет. С собой: паспорт и полис ОМС.</p>
    </div>
  );
}
