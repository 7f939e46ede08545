// A person's referrals (направления) in «Моя картотека» (SPEC 8a): the specialty, where, until
// when, whether it is used; «Записаться по направлению» starts the booking journey with this
// person and the specialty chosen (and the organisation, when the referral names one).
import { Link } from 'react-router';
import type { CardFilePerson, ReferralView } from '../../../shared/api/index.js';
import { capitalise } from './labels.js';
import { formatReferralDate, referralBookable, referralStateText } from './referrals.words.js';

/** Where «Записаться по направлению» leads: the doctors of the specialty (of the organisation named). */
export function referralBookingPath(personId: string, r: ReferralView): string {
  const base = `/book/${encodeURIComponent(personId)}/specialty/${r.specialty.id}`;
  return r.organisation ? `${base}?organisationId=${r.organisation.id}` : base;
}

export function ReferralsSection({
  person,
  personName,
  offline,
}: {
  person: CardFilePerson;
  personName: string;
  offline: boolean;
}) {
  if (person.referrals.length === 0) return null;
  return (
    <>
      <h3>Направления</h3>
      <ul className="visit-list">
        {person.referrals.map((r) => {
          const headId = `referral-${r.id}`;
          return (
            <li key={r.id} className="visit referral" aria-labelledby={headId}>
              <div className="visit-head">
                <p className="visit-when" id={headId}>
                  {capitalise(r.specialty.name)}
                </p>
                <span className={`visit-status referral-state-${r.state}`}>{referralStateText(r.state)}</span>
              </div>
              <dl className="visit-details">
                <div>
                  <dt>Куда</dt>
                  <dd>{r.organisation ? r.organisation.name : 'Любая медицинская организация региона'}</dd>
                </div>
                <div>
                  <dt>Действует</dt>
                  <dd>
                    {r.state === 'not_yet_valid' ? `с ${formatReferralDate(r.validFrom)} ` : ''}по{' '}
                    {formatReferralDate(r.validUntil)}
                  </dd>
                </div>
                <div>
                  <dt>Выдано</dt>
                  <dd>
                    {r.issuedBy.doctorName ? `${r.issuedBy.doctorName}, ` : ''}
                    {r.issuedBy.organisation.name}
                  </dd>
                </div>
              </dl>
              {referralBookable(r.state) && person.status === 'confirmed' && !offline && (
                <div className="visit-actions button-row">
                  <Link className="button" to={referralBookingPath(person.id, r)}>
                    Записаться по направлению
                    <span className="visually-hidden">
                      {' '}
                      — {r.specialty.name}, {personName}
                    </span>
                  </Link>
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
