// A visit: the done page after booking (`?done=1`: «Вы записаны на приём» with the
// reference) and the visit page otherwise — who, where, when, what to bring, how to cancel,
// the calendar file and «Отменить визит».
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { AppointmentDetail } from '../../../shared/api/index.js';
import { formatInstantLong } from '../../ui/datetime.js';
import { formatLocalDateTime, zoneNote } from '../../ui/format.js';
import { Page } from '../../ui/Page.js';
import { SummaryList } from '../../ui/SummaryList.js';
import { CancelVisit } from './CancelVisit.js';
import { capitalise } from './labels.js';
import { sourceLabel, visitStatusLabel } from './labels.js';
import { LiveMessage } from './LiveMessage.js';
import { LoadState, useApiData } from './useApiData.js';

export function AppointmentPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const state = useApiData<AppointmentDetail>(`/api/appointments/${encodeURIComponent(id)}`);
  const [cancelled, setCancelled] = useState<string | null>(null);
  const a = state.data;
  const done = params.get('done') === '1' && a?.status === 'booked';
  const back = { to: '/cardfile', label: 'Моя картотека' };
  if (!a) {
    return (
      <Page title="Ваша запись" back={back}>
        <LoadState state={state} />
      </Page>
    );
  }
  const upcoming = a.status === 'booked' && new Date(a.startAt).getTime() > Date.now();
  const zone = zoneNote(a.timeZone);
  const when = formatLocalDateTime(a.localStart);
  return (
    <Page title={done ? 'Запись подтверждена' : 'Ваша запись'} back={done ? undefined : back}>
      <LiveMessage message={cancelled} title="Визит отменён" />
      {done && (
        <div className="panel-confirmation">
          <p className="panel-title">Вы записаны на приём</p>
          <p className="panel-body">
            Номер записи
            <br />
            <strong className="panel-reference">{a.reference}</strong>
          </p>
        </div>
      )}
      {done && (
        <p>
          Запись появилась в <Link to="/cardfile">«Моей картотеке»</Link>. Там же её можно отменить.
        </p>
      )}
      {a.status === 'cancelled' && !cancelled && (
        <div className="card">
          <p>
            <strong>Запись отменена.</strong>
          </p>
        </div>
      )}
      <h2>Детали записи</h2>
      <SummaryList
        rows={[
          { key: 'Пациент', value: a.person.name },
          { key: 'Врач', value: a.doctor.name },
          { key: 'Специальность', value: capitalise(a.doctor.specialty) },
          { key: 'Кабинет', value: a.doctor.room },
          { key: 'Медицинская организация', value: a.organisation.name },
          { key: 'Адрес', value: a.organisation.address },
          {
            key: 'Телефон',
            value: <a href={`tel:${a.organisation.phone.replace(/[^\d+]/g, '')}`}>{a.organisation.phone}</a>,
          },
          {
            key: 'Дата и время',
            value: (
              <>
                <strong>{when}</strong>
                {zone && (
                  <>
                    <br />
                    <span className="hint">{zone}</span>
                  </>
                )}
              </>
            ),
          },
          { key: 'Номер записи', value: a.reference },
          { key: 'Статус', value: visitStatusLabel[a.status] },
          { key: 'Источник записи', value: sourceLabel[a.source] },
        ]}
      />
      {upcoming && (
        <p>
          <a className="button button-secondary" href={`/api/appointments/${encodeURIComponent(a.id)}/ics`} download>
            Добавить в календарь
          </a>
        </p>
      )}
      {a.whatToBring.length > 0 && upcoming && (
        <>
          <h2>Что взять с собой</h2>
          <ul>
            {a.whatToBring.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </>
      )}
      {upcoming && (
        <>
          <h2>Как отменить запись</h2>
          {a.cancellable ? (
            <>
              <p>
                Отменить запись через портал можно до <strong>{formatInstantLong(a.cancelUntil, a.timeZone)}</strong> —
                здесь или на странице <Link to="/cardfile">«Моя картотека»</Link>. Позже отменить запись можно только по
                телефону регистратуры: {a.organisation.phone}.
              </p>
              <CancelVisit
                visit={a}
                onCancelled={(m) => {
                  setCancelled(m);
                  void state.reload();
                }}
              />
            </>
          ) : (
            <p>
              {a.cancelBlockedReason ?? 'Эту запись можно отменить только через регистратуру медицинской организации.'}{' '}
              Телефон регистратуры: {a.organisation.phone}.
            </p>
          )}
        </>
      )}
      <p className="page-end-links">
        <Link to="/cardfile">Перейти в «Мою картотеку»</Link>
      </p>
    </Page>
  );
}
