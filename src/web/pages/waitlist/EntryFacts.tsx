// The facts of a waitlist entry and of an offered time, as the card file and the offer page
// show them.
import type { WaitlistEntry, WaitlistOffer } from '../../../shared/api/index.js';
import { eventZone, formatInstantLong } from '../../ui/datetime.js';
import { formatLocalDateTime, zoneNote } from '../../ui/format.js';
import { capitalise } from '../patient/labels.js';

/** When the entry joined the waitlist, '26 ноября 2026, 10:42', in the organisation's zone. */
export function formatSince(entry: Pick<WaitlistEntry, 'since' | 'organisation'>): string {
  return formatInstantLong(entry.since, eventZone(entry.organisation.timeZone));
}

export function EntryFacts({ entry }: { entry: WaitlistEntry }) {
  return (
    <>
      <dl className="visit-details">
        {entry.kind === 'doctor' && (
          <div>
            <dt>Специальность</dt>
            <dd>{capitalise(entry.specialty.name)}</dd>
          </div>
        )}
        <div>
          <dt>Медицинская организация</dt>
          <dd>{entry.organisation.name}</dd>
        </div>
        <div>
          <dt>Адрес</dt>
          <dd>{entry.organisation.address}</dd>
        </div>
        <div>
          <dt>В очереди с</dt>
          <dd>{formatSince(entry)}</dd>
        </div>
      </dl>
      <ul className="waitlist-counts">
        <li>
          Место в очереди: <strong>{entry.place}</strong>
        </li>
        <li>
          Осталось предложений: <strong>{entry.offersLeft}</strong>
        </li>
      </ul>
    </>
  );
}

/** The offered time: when (local), the doctor, the room and the address. */
export function OfferFacts({ offer, headingId }: { offer: WaitlistOffer; headingId: string }) {
  const zone = zoneNote(offer.timeZone, offer.organisation.address);
  return (
    <>
      <h4 id={headingId} className="offer-title">
        Предложено время: {formatLocalDateTime(offer.localStart)}
      </h4>
      {zone && <p className="hint">{zone}</p>}
      <dl className="visit-details">
        <div>
          <dt>Врач</dt>
          <dd>
            {offer.doctor.name}, {offer.doctor.specialty.toLowerCase()}
          </dd>
        </div>
        <div>
          <dt>Кабинет</dt>
          <dd>{offer.doctor.room}</dd>
        </div>
        <div>
          <dt>Медицинская организация</dt>
          <dd>{offer.organisation.name}</dd>
        </div>
        <div>
          <dt>Адрес</dt>
          <dd>{offer.organisation.address}</dd>
        </div>
      </dl>
    </>
  );
}
