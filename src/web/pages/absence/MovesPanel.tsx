// In «Моя картотека», above the people: moves offered after a doctor's days were closed,
// each with the old and the new time, the deadline, «Подтвердить» and «Отказаться» — as a
// waitlist offer sits on its person's row. After a decline: «Встать в очередь».
import { useState } from 'react';
import { Link } from 'react-router';
import type { MoveOffer } from '../../../shared/api/absence.js';
import { formatInstantLong } from '../../ui/datetime.js';
import { Notice } from '../../ui/Notice.js';
import { useApiData } from '../../ui/staff/useApiData.js';
import { joinPath } from '../waitlist/paths.js';
import { MoveActions } from './MoveActions.js';

export function MovesPanel() {
  const { data, reload } = useApiData<{ moves: MoveOffer[] }>('/api/moves');
  const [declined, setDeclined] = useState<number | null>(null);
  return (
    <>
      {declined !== null && (
        <Notice kind="success" title="Запись отменена">
          <p>
            Вы отказались от переноса. Вы можете <Link to={joinPath(declined)}>встать в очередь</Link> к врачу этой
            специальности.
          </p>
        </Notice>
      )}
      {data?.moves.map((m) => {
        const when = (i: string) => formatInstantLong(i, m.timeZone);
        return (
          <section key={m.id} className="card offer-deadline-panel" aria-labelledby={`move-${m.id}`}>
            <h2 id={`move-${m.id}`}>Врач не сможет принять: {m.personName}</h2>
            <p>
              Запись на {when(m.old.startAt)} ({m.old.doctorName}). Предлагаем {when(m.offered.startAt)},{' '}
              {m.offered.doctorName}, кабинет {m.offered.room}. <strong>Ответьте до {when(m.deadline)}.</strong>
            </p>
            <MoveActions
              move={m}
              context={`для ${m.personName}`}
              onDeclined={(doctorId) => {
                setDeclined(doctorId);
                void reload();
              }}
              onStale={() => void reload()}
            />
          </section>
        );
      })}
    </>
  );
}
