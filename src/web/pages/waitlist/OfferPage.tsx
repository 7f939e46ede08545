// /offers/:id — the page the offer's e-mail and notification open (signed-out visitors sign
// in first and come back here): the offered time, the deadline, «Подтвердить» (books it and
// opens the done page) and «Отказаться» (after a confirmation: back in the queue at the same
// place, or out of it after the last offer). Answered or expired offers say so.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { WaitlistOffer } from '../../../shared/api/index.js';
import { Notice } from '../../ui/Notice.js';
import { formatLocalDateTime, zoneNote } from '../../ui/format.js';
import { Page } from '../../ui/Page.js';
import { SummaryList } from '../../ui/SummaryList.js';
import { capitalise } from '../patient/labels.js';
import { LoadState, useApiData } from '../patient/useApiData.js';
import { OfferActions, type DeclineResult } from './OfferActions.js';
import { closedOfferText, declineConsequence, declinedMessage, isOpen } from './words.js';

const back = { to: '/cardfile', label: 'Моя картотека' };

function OfferSummary({ offer }: { offer: WaitlistOffer }) {
  const zone = zoneNote(offer.timeZone, offer.organisation.address);
  return (
    <SummaryList
      rows={[
        { key: 'Пациент', value: offer.person.name },
        {
          key: 'Дата и время',
          value: (
            <>
              <strong>{formatLocalDateTime(offer.localStart)}</strong>
              {zone && (
                <>
                  <br />
                  <span className="hint">{zone}</span>
                </>
              )}
            </>
          ),
        },
        { key: 'Врач', value: offer.doctor.name },
        { key: 'Специальность', value: capitalise(offer.doctor.specialty) },
        { key: 'Кабинет', value: offer.doctor.room },
        { key: 'Медицинская организация', value: offer.organisation.name },
        { key: 'Адрес', value: offer.organisation.address },
        {
          key: 'Телефон регистратуры',
          value: <a href={`tel:${offer.organisation.phone.replace(/[^\d+]/g, '')}`}>{offer.organisation.phone}</a>,
        },
      ]}
    />
  );
}

function CardFileLink() {
  return (
    <p className="page-end-links">
      <Link to="/cardfile">Перейти в «Мою картотеку»</Link>
    </p>
  );
}

export function OfferPage() {
  const { id = '' } = useParams();
  const state = useApiData<WaitlistOffer>(`/api/offers/${encodeURIComponent(id)}`);
  const [declined, setDeclined] = useState<DeclineResult | null>(null);
  const offer = state.data;

  if (declined) {
    return (
      <Page title={declined.removed ? 'Вы исключены из очереди' : 'Вы остаётесь в очереди'} back={back}>
        <Notice kind="success" title="Вы отказались от предложенного времени">
          <p>{declinedMessage(declined.removed, declined.offersLeft)}</p>
        </Notice>
        {!declined.removed && (
          <p>
            Следующее свободное время придёт уведомлением на электронную почту или в мобильное приложение. Очередь видна
            в «Моей картотеке».
          </p>
        )}
        <CardFileLink />
      </Page>
    );
  }
  if (!offer) {
    return (
      <Page title={state.error ? 'Предложение не найдено' : 'Предложенное время'} back={back}>
        <LoadState state={state} />
        {state.error && (
          <p>
            Проверьте ссылку из письма. Все предложения и очередь видны в <Link to="/cardfile">«Моей картотеке»</Link>.
          </p>
        )}
      </Page>
    );
  }

  if (!isOpen(offer)) {
    const closed = closedOfferText(offer);
    return (
      <Page title={closed.title} back={back}>
        <p>{closed.text}</p>
        <h2>Предложенное время</h2>
        <OfferSummary offer={offer} />
        <CardFileLink />
      </Page>
    );
  }

  return (
    <Page title="Предложено время для записи на приём" back={back}>
      <p className="lead">В очереди освободилось время. Подтвердите запись или откажитесь от этого времени.</p>
      <OfferSummary offer={offer} />
      <div className="offer-deadline-panel">
        <p>
          <strong>Ответьте до {formatLocalDateTime(offer.localDeadline)}.</strong> До этого срока время закреплено за
          вами. Если не ответить, предложение считается отказом.
        </p>
        <p>Если отказаться: {declineConsequence(offer).replace(/^./, (c) => c.toLowerCase())}</p>
      </div>
      <OfferActions offer={offer} onDeclined={setDeclined} onStale={() => void state.reload()} />
    </Page>
  );
}
