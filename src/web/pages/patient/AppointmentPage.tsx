// A visit: the done page after booking (`?done=1`: «Вы записаны на приём» with the
// reference) and the visit page otherwise — who, where, when, what to bring, how to cancel,
// the calendar file and «Отменить визит». Offline (issue 20) it shows what the service worker
// kept: this visit's own answer when it was opened online before, else the visit from the kept
// card file; it says when the data was received, and nothing can be changed.
import { useState } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import type { AppointmentDetail, CardFileResponse } from '../../../shared/api/index.js';
import { visitDetail } from '../../../shared/visit-detail.js';
import { eventZone, formatInstantLong } from '../../ui/datetime.js';
import { OfflineNotice, useOffline, useSavedAt } from '../../ui/offline.js';
import { formatLocalDateTime, zoneNote } from '../../ui/format.js';
import { Page } from '../../ui/Page.js';
import { SummaryList } from '../../ui/SummaryList.js';
import { CancelVisit } from './CancelVisit.js';
import { RELEASED_TAKEN_TEXT, ReleaseVisit } from './ReleaseVisit.js';
import { capitalise } from './labels.js';
import { sourceLabel, visitStatusLabel } from './labels.js';
import { LiveMessage } from './LiveMessage.js';
import { LoadState, useApiData } from './useApiData.js';
import { MOVED_AWAY_TEXT, movePath } from './movePath.js';

/** The visit `id` as the card file `cardFile` lists it, with its page's fields; null when not listed. */
export function visitFromCardFile(cardFile: CardFileResponse, id: string): AppointmentDetail | null {
  for (const person of cardFile.persons) {
    const visit = [...person.futureVisits, ...person.pastVisits].find((v) => v.id === id);
    if (visit) return visitDetail(visit, person);
  }
  return null;
}

export function AppointmentPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const url = `/api/appointments/${encodeURIComponent(id)}`;
  const state = useApiData<AppointmentDetail>(url);
  const offline = useOffline();
  // Offline, a visit not opened on this phone before: from the card file the worker kept.
  const cardFile = useApiData<CardFileResponse>(offline && state.error ? '/api/cardfile' : null);
  const [cancelled, setCancelled] = useState<string | null>(null);
  const a = state.data ?? (cardFile.data ? visitFromCardFile(cardFile.data, id) : null);
  const savedAt = useSavedAt(state.data ? url : '/api/cardfile', offline && a !== null);
  const done = params.get('done') === '1' && a?.status === 'booked';
  // The done page of a move (`?moved=1`): «Визит перенесён», the old time from the move's answer.
  const moved = params.get('moved') === '1' && a?.status === 'booked';
  const movedFrom = (useLocation().state as { movedFrom?: string } | null)?.movedFrom ?? null;
  const back = { to: '/cardfile', label: 'Моя картотека' };
  if (!a) {
    return (
      <Page title="Ваша запись" back={back}>
        <LoadState state={state.error && cardFile.loading ? cardFile : state} />
      </Page>
    );
  }
  const upcoming = a.status === 'booked' && new Date(a.startAt).getTime() > Date.now();
  const zone = zoneNote(a.timeZone, a.organisation.address);
  const when = formatLocalDateTime(a.localStart);
  const phone = <a href={`tel:${a.organisation.phone.replace(/[^\d+]/g, '')}`}>{a.organisation.phone}</a>;
  return (
    <Page
      title={moved ? 'Визит перенесён' : done ? 'Запись подтверждена' : 'Ваша запись'}
      back={done || moved ? undefined : back}
    >
      <LiveMessage message={cancelled} title="Визит отменён" />
      {offline && <OfflineNotice savedAt={savedAt} zone={eventZone(a.timeZone)} />}
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
      {moved && (
        <div className="panel-confirmation">
          <p className="panel-title">Визит перенесён</p>
          <p className="panel-body">
            Новое время: <strong>{when}</strong>
            <br />
            Номер записи
            <br />
            <strong className="panel-reference">{a.reference}</strong>
          </p>
        </div>
      )}
      {moved && (
        <p>
          {movedFrom && <>Прежнее время ({formatLocalDateTime(movedFrom)}) освободилось. </>}
          Запись перенесена в <Link to="/cardfile">«Моей картотеке»</Link>; номер записи изменился. Уведомление о
          переносе отправлено на электронную почту.
        </p>
      )}
      {done && (
        <p>
          Запись появилась в <Link to="/cardfile">«Моей картотеке»</Link>.
          {a.cancellable ? ' Там же её можно отменить.' : ' Как отменить её — ниже.'}
        </p>
      )}
      {a.status === 'cancelled' && !cancelled && (
        <div className="card">
          <p>
            <strong>Запись отменена.</strong>
          </p>
          {a.cancelReason === 'released' && <p>{RELEASED_TAKEN_TEXT}</p>}
          {a.cancelReason === 'moved' && (
            <p>
              {MOVED_AWAY_TEXT} Новая запись — в <Link to="/cardfile">«Моей картотеке»</Link>.
            </p>
          )}
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
          // The registry's phone once on the page: for an upcoming visit it is under «Как отменить запись».
          ...(upcoming ? [] : [{ key: 'Телефон регистратуры', value: phone }]),
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
      {upcoming && !offline && (
        <p>
          <a className="button button-secondary" href={`/api/appointments/${encodeURIComponent(a.id)}/ics`} download>
            Добавить в календарь
          </a>{' '}
          <Link className="button button-secondary" to={`/appointments/${encodeURIComponent(a.id)}/print`}>
            Распечатать талон
          </Link>
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
          <h2>{a.cancellable ? 'Как перенести или отменить запись' : 'Как отменить запись'}</h2>
          {a.cancellable ? (
            <>
              <p>
                Отменить запись через портал можно до <strong>{formatInstantLong(a.cancelUntil, a.timeZone)}</strong> —
                здесь или на странице <Link to="/cardfile">«Моя картотека»</Link>. Позже отменить запись можно только по
                телефону регистратуры: {phone}.
              </p>
              {!offline && (
                <>
                  <p>
                    <Link className="button button-secondary" to={movePath.start(a.id)}>
                      Перенести<span className="visually-hidden"> визит {when}</span>
                    </Link>
                  </p>
                  <CancelVisit
                    visit={a}
                    onCancelled={(m) => {
                      setCancelled(m);
                      void state.reload();
                    }}
                  />
                </>
              )}
            </>
          ) : (
            <>
              <p>
                {/* The reason names the registry's phone already. */}
                {a.cancelBlockedReason ?? (
                  <>Эту запись можно отменить только через регистратуру медицинской организации по телефону {phone}.</>
                )}
              </p>
              {!offline && <ReleaseVisit visit={a} />}
            </>
          )}
        </>
      )}
      <p className="page-end-links">
        <Link to="/cardfile">Перейти в «Мою картотеку»</Link>
      </p>
    </Page>
  );
}
