// On a doctor's schedule with no free time inside the booking horizon (SPEC §4): «Встать в
// очередь» when the organisation keeps a waitlist, else the registry's phone.
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { ScheduleResponse } from '../../../shared/api/index.js';
import { formatDate } from '../../ui/format.js';
import { joinPath } from './paths.js';

export function WaitlistPanel({
  schedule,
  personId,
  children,
}: {
  schedule: ScheduleResponse;
  /** The person of the booking journey, when known (skips «Кого поставить в очередь?»). */
  personId?: string;
  /** More ways on (e.g. «Выбрать другого врача»). */
  children?: ReactNode;
}) {
  if (schedule.hasFreeInHorizon) return null;
  const { doctor } = schedule;
  const org = doctor.organisation;
  const phone = org.phone;
  return (
    <section className="card waitlist-panel" aria-labelledby="waitlist-panel-title">
      <h2 id="waitlist-panel-title" className="waitlist-panel-title">
        Нет свободного времени для записи
      </h2>
      <p>
        У этого врача нет свободного времени для записи на приём до {formatDate(schedule.horizonEnd)} — на все дни, на
        которые открыта запись.
      </p>
      {org.waitlistAllowed ? (
        <>
          <p>
            Встаньте в очередь: когда время освободится, мы предложим его вам по электронной почте или в мобильном
            приложении. Ждать можно этого врача или любого врача этой специальности в этой медицинской организации.
          </p>
          <p>
            <Link className="button" to={joinPath(doctor.id, personId)}>
              Встать в очередь
            </Link>
          </p>
        </>
      ) : (
        <p>
          Медицинская организация не ведёт очередь. Записаться можно по телефону регистратуры{' '}
          <a href={`tel:${phone.replace(/[^\d+]/g, '')}`}>{phone}</a>.
        </p>
      )}
      {children}
    </section>
  );
}
