// «Талон на приём»: the printable talon of a visit — the reference, the patient's initials, the
// doctor, the room, the organisation and its address, the local time with its zone named, and
// the QR code of the reference that the registry desk and the infomat scan. The print
// stylesheet (styles.css, «Талон») leaves the talon alone on one A5 page.
import { Link, useParams } from 'react-router';
import type { TalonResponse } from '../../../shared/api/index.js';
import { formatLocalDateTime } from '../../ui/format.js';
import { Notice } from '../../ui/Notice.js';
import { Page } from '../../ui/Page.js';
import { capitalise } from '../patient/labels.js';
import { LoadState, useApiData } from '../patient/useApiData.js';

/** The QR code as an SVG: the server's path of dark modules inside a four-module quiet zone. */
export function QrCode({ qr, label }: { qr: TalonResponse['qr']; label: string }) {
  const side = qr.size + 8;
  return (
    <svg
      className="talon-qr-code"
      viewBox={`-4 -4 ${side} ${side}`}
      role="img"
      aria-label={label}
      shapeRendering="crispEdges"
    >
      <rect x={-4} y={-4} width={side} height={side} fill="#fff" />
      <path d={qr.path} fill="#000" />
    </svg>
  );
}

export function TalonPage() {
  const { id = '' } = useParams();
  const state = useApiData<TalonResponse>(`/api/appointments/${encodeURIComponent(id)}/talon`);
  const back = { to: `/appointments/${encodeURIComponent(id)}`, label: 'К записи' };
  const t = state.data;
  if (!t) {
    return (
      <Page title="Талон на приём" back={back}>
        <LoadState state={state} />
      </Page>
    );
  }
  if (t.status !== 'booked') {
    return (
      <Page title="Талон на приём" back={back}>
        <Notice kind="warning" title="Талон недействителен">
          <p>{t.status === 'cancelled' ? 'Эта запись отменена.' : 'Этот визит уже состоялся.'}</p>
        </Notice>
        <p>
          <Link to="/cardfile">Перейти в «Мою картотеку»</Link>
        </p>
      </Page>
    );
  }
  return (
    <Page title="Талон на приём" back={back}>
      <p className="no-print">
        Распечатайте талон или сохраните его в PDF. В регистратуре и на инфомате поликлиники отсканируйте QR-код или
        назовите номер записи.
      </p>
      <p className="no-print">
        <button type="button" className="button" onClick={() => window.print()}>
          Распечатать талон
        </button>
      </p>
      <section className="talon" aria-labelledby="talon-title">
        <h2 id="talon-title" className="talon-title">
          Талон на приём к врачу
        </h2>
        <div className="talon-body">
          <dl className="talon-facts">
            <div className="talon-reference">
              <dt>Номер записи</dt>
              <dd>{t.reference}</dd>
            </div>
            <div>
              <dt>Дата и время</dt>
              <dd>
                <strong>{formatLocalDateTime(t.localStart)}</strong>
                <br />
                <span className="talon-zone">{t.zoneLabel}</span>
              </dd>
            </div>
            <div>
              <dt>Пациент</dt>
              <dd>{t.patientInitials}</dd>
            </div>
            <div>
              <dt>Врач</dt>
              <dd>
                {t.doctor.name}, {t.doctor.specialty.toLocaleLowerCase('ru-RU')}
              </dd>
            </div>
            <div>
              <dt>Кабинет</dt>
              <dd>{t.doctor.room}</dd>
            </div>
            <div>
              <dt>Медицинская организация</dt>
              <dd>
                {capitalise(t.organisation.name)}
                <br />
                {t.organisation.address}
              </dd>
            </div>
            <div>
              <dt>Телефон регистратуры</dt>
              <dd>{t.organisation.phone}</dd>
            </div>
          </dl>
          <figure className="talon-qr">
            <QrCode qr={t.qr} label={`QR-код номера записи ${t.reference}`} />
            <figcaption>Покажите код в регистратуре или поднесите к сканеру инфомата</figcaption>
          </figure>
        </div>
        <p className="talon-note">
          Приходите за 10–15 минут до приёма. Отменить запись можно в личном кабинете на портале или по телефону
          регистратуры.
        </p>
      </section>
    </Page>
  );
}
