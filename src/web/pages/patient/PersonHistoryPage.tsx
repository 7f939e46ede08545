// «История записей» of one person of the card file: who booked, moved, cancelled, released or
// marked each visit this session may see, when (in the organisation's zone) and how.
import { Link, useParams } from 'react-router';
import type { PersonHistoryResponse } from '../../../shared/api/index.js';
import { useSession } from '../../session.js';
import { formatLocalDateTime, zoneNote } from '../../ui/format.js';
import { Page } from '../../ui/Page.js';
import { historyChannelText, historyWhat, historyWho } from './history.words.js';
import { LoadState, useApiData } from './useApiData.js';

export function PersonHistoryPage() {
  const { personId = '' } = useParams();
  const { account } = useSession();
  const state = useApiData<PersonHistoryResponse>(`/api/persons/${encodeURIComponent(personId)}/history`);
  const back = { to: '/cardfile', label: 'Моя картотека' };
  const h = state.data;
  if (!h) {
    return (
      <Page title="История записей" back={back}>
        <LoadState state={state} />
      </Page>
    );
  }
  const zones = [...new Set(h.entries.map((e) => e.timeZone))];
  const zone = zones.length === 1 ? zoneNote(zones[0]) : null;
  return (
    <Page title={`История записей: ${h.person.name}`} back={back}>
      <p>
        Кто и когда записал, перенёс, отменил визит или отметил его результат. Время указано по месту медицинской
        организации.
        {account?.authMethod === 'password' &&
          ' Вы вошли по адресу электронной почты: здесь только записи, сделанные через портал с этой учётной записью.'}
      </p>
      {zone && <p className="hint">{zone}</p>}
      {h.entries.length === 0 ? (
        <p className="hint">Записей пока нет.</p>
      ) : (
        <ol className="history-list">
          {h.entries.map((e) => (
            <li key={`${e.appointmentId}-${e.kind}-${e.at}`} className="history-entry">
              <p className="history-when">
                <time dateTime={e.at}>{formatLocalDateTime(e.localAt)}</time>
              </p>
              <p className="history-what">{historyWhat(e)}</p>
              <dl className="visit-details">
                <div>
                  <dt>Кто</dt>
                  <dd>{historyWho[e.who]}</dd>
                </div>
                <div>
                  <dt>Способ</dt>
                  <dd>{historyChannelText(e.channel)}</dd>
                </div>
                <div className="history-visit">
                  <dt>Визит</dt>
                  <dd>
                    <Link to={`/appointments/${e.appointmentId}`}>{formatLocalDateTime(e.visit.localStart)}</Link>,{' '}
                    {e.visit.specialty.toLowerCase()}, {e.visit.doctor}, {e.visit.organisation}
                  </dd>
                </div>
                <div>
                  <dt>Номер записи</dt>
                  <dd>{e.visit.reference}</dd>
                </div>
              </dl>
            </li>
          ))}
        </ol>
      )}
    </Page>
  );
}
