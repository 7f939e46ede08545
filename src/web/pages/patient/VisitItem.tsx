// One visit in the card file: when, who and where, its reference and source, and the
// way to cancel it (or why it cannot be cancelled online).
import { Link } from 'react-router';
import type { Visit } from '../../../shared/api/index.js';
import { formatLocalDateTime, zoneNote } from '../../ui/format.js';
import { CancelVisit } from './CancelVisit.js';
import { RELEASED_TAKEN_TEXT, ReleaseVisit } from './ReleaseVisit.js';
import { MOVED_AWAY_TEXT, movePath } from './movePath.js';
import type { Sex } from '../../../shared/agreement.js';
import { sourceLabel, visitStatusText } from './labels.js';
import { OFFLINE_REASON, useOfflineContext } from '../../ui/offline.js';

export function VisitItem({
  visit,
  sex,
  future,
  onCancelled,
}: {
  visit: Visit;
  /** The patient's sex: the status word agrees with it («Записана»). */
  sex: Sex;
  future: boolean;
  onCancelled(message: string): void;
}) {
  const zone = zoneNote(visit.timeZone);
  const offline = useOfflineContext();
  return (
    <li className="visit">
      <div className="visit-head">
        <p className="visit-when">
          <Link to={`/appointments/${visit.id}`}>{formatLocalDateTime(visit.localStart)}</Link>
        </p>
        <span className={`visit-status visit-status-${visit.status}`}>{visitStatusText(visit.status, sex)}</span>
      </div>
      {zone && <p className="hint">{zone}</p>}
      <dl className="visit-details">
        <div>
          <dt>Врач</dt>
          <dd>
            {visit.doctor.name}, {visit.doctor.specialty.toLowerCase()}
          </dd>
        </div>
        <div>
          <dt>Кабинет</dt>
          <dd>{visit.doctor.room}</dd>
        </div>
        <div>
          <dt>Медицинская организация</dt>
          <dd>{visit.organisation.name}</dd>
        </div>
        <div>
          <dt>Адрес</dt>
          <dd>{visit.organisation.address}</dd>
        </div>
        <div>
          <dt>Номер записи</dt>
          <dd>{visit.reference}</dd>
        </div>
        <div>
          <dt>Источник записи</dt>
          <dd>{sourceLabel[visit.source]}</dd>
        </div>
      </dl>
      {future && visit.status === 'booked' && offline && <p className="hint">{OFFLINE_REASON}</p>}
      {future && visit.status === 'booked' && !offline && (
        <div className="visit-actions">
          {visit.cancellable && (
            <Link className="button button-secondary" to={movePath.start(visit.id)}>
              Перенести<span className="visually-hidden"> визит {formatLocalDateTime(visit.localStart)}</span>
            </Link>
          )}
          <CancelVisit visit={visit} onCancelled={onCancelled} />
          <ReleaseVisit visit={visit} />
        </div>
      )}
      {visit.status === 'cancelled' && visit.cancelReason === 'released' && (
        <p className="hint">{RELEASED_TAKEN_TEXT}</p>
      )}
      {visit.status === 'cancelled' && visit.cancelReason === 'moved' && <p className="hint">{MOVED_AWAY_TEXT}</p>}
    </li>
  );
}
