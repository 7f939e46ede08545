// /moves/:id — the page the «Врач не сможет принять» e-mail and notification open: the old
// visit, the new time offered with another doctor and the deadline; «Подтвердить» books it
// (the old visit is cancelled together) and opens the done page; «Отказаться», after a
// confirmation, cancels the visit by the clinic's decision and offers «Встать в очередь».
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { MoveOffer } from '../../../shared/api/absence.js';
import { formatInstantLong } from '../../ui/datetime.js';
import { Notice } from '../../ui/Notice.js';
import { Page } from '../../ui/Page.js';
import { SummaryList } from '../../ui/SummaryList.js';
import { capitalise } from '../patient/labels.js';
import { LoadState, useApiData } from '../patient/useApiData.js';
import { joinPath } from '../waitlist/paths.js';
import { MoveActions } from './MoveActions.js';

const back = { to: '/cardfile', label: 'Моя картотека' };

const CLOSED: Record<Exclude<MoveOffer['status'], 'pending'>, string> = {
  confirmed: 'Вы подтвердили перенос. Новая запись — в «Моей картотеке».',
  declined: 'Вы отказались от переноса. Запись отменена по решению медицинской организации.',
  expired: 'Срок ответа истёк. Запись отменена по решению медицинской организации.',
  withdrawn: 'Предложение больше не действует. Подробности — в регистратуре.',
};

export function MovePage() {
  const { id = '' } = useParams();
  const state = useApiData<MoveOffer>(`/api/moves/${encodeURIComponent(id)}`);
  const [declined, setDeclined] = useState<number | null>(null);
  const m = state.data;

  if (declined !== null) {
    return (
      <Page title="Запись отменена" back={back}>
        <Notice kind="success" title="Вы отказались от переноса">
          <p>Запись отменена по решению медицинской организации: врач не сможет принять.</p>
        </Notice>
        <p>Вы можете встать в очередь к врачу этой специальности — свободное время будет предложено вам.</p>
        <p>
          <Link className="button" to={joinPath(declined)}>
            Встать в очередь
          </Link>
        </p>
        <p className="page-end-links">
          <Link to="/cardfile">Перейти в «Мою картотеку»</Link>
        </p>
      </Page>
    );
  }
  if (!m) {
    return (
      <Page title={state.error ? 'Предложение не найдено' : 'Перенос записи'} back={back}>
        <LoadState state={state} />
      </Page>
    );
  }
  const when = (i: string) => formatInstantLong(i, m.timeZone);
  const summary = (
    <SummaryList
      rows={[
        { key: 'Пациент', value: m.personName },
        { key: 'Было', value: `${when(m.old.startAt)}, ${m.old.doctorName}` },
        { key: 'Новое время', value: <strong>{when(m.offered.startAt)}</strong> },
        { key: 'Врач', value: `${m.offered.doctorName} (${m.specialty.name})` },
        { key: 'Кабинет', value: m.offered.room },
        { key: 'Медицинская организация', value: `${m.organisation.name}, ${m.organisation.address}` },
        {
          key: 'Телефон регистратуры',
          value: <a href={`tel:${m.organisation.phone.replace(/[^\d+]/g, '')}`}>{m.organisation.phone}</a>,
        },
      ]}
    />
  );
  if (m.status !== 'pending') {
    return (
      <Page title="Перенос записи" back={back}>
        <p>{CLOSED[m.status]}</p>
        {summary}
        <p className="page-end-links">
          <Link to="/cardfile">Перейти в «Мою картотеку»</Link>
        </p>
      </Page>
    );
  }

  return (
    <Page title={`${capitalise(m.specialty.name)}: врач не сможет принять`} back={back}>
      <p className="lead">Медицинская организация предлагает перенести приём к другому врачу той же специальности.</p>
      {summary}
      <div className="offer-deadline-panel">
        <p>
          <strong>Ответьте до {when(m.deadline)}.</strong> До этого срока новое время закреплено за вами.
        </p>
        <p>
          Если отказаться или не ответить, запись будет отменена по решению медицинской организации; вы сможете встать в
          очередь.
        </p>
      </div>
      <MoveActions move={m} onDeclined={setDeclined} onStale={() => void state.reload()} />
    </Page>
  );
}
