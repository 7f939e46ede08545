// A person in «Моя картотека»: name, birth date, verification status and what follows
// from it, and the person's future and past visits.
import { Link } from 'react-router';
import type { CardFilePerson } from '../../../shared/api/index.js';
import { formatDate } from '../../ui/format.js';
import { Notice } from '../../ui/Notice.js';
import { personName, StatusTag } from './labels.js';
import { VisitItem } from './VisitItem.js';
import { EmailSessionNotice } from './EmailSessionNotice.js';
import { WaitlistSection } from '../waitlist/WaitlistSection.js';
import { ReferralsSection } from './ReferralsSection.js';
import { OFFLINE_REASON, useOfflineContext } from '../../ui/offline.js';

export function PersonCard({ person, onCancelled }: { person: CardFilePerson; onCancelled(message: string): void }) {
  const headingId = `person-${person.id}`;
  const name = personName(person);
  const offline = useOfflineContext();
  return (
    <section className="person-card" aria-labelledby={headingId}>
      <div className="person-head">
        <h2 id={headingId}>{name}</h2>
        <div className="person-tags">
          {person.isMain && <span className="tag tag-main">Главный пользователь</span>}
          <StatusTag status={person.status} sex={person.sex} />
        </div>
      </div>
      <p className="person-birth">Дата рождения: {formatDate(person.birthDate)}</p>
      {person.birthCertificate && (
        <p className="person-birth">
          Свидетельство о рождении: {person.birthCertificate.series} № {person.birthCertificate.number} (из Госуслуг)
        </p>
      )}
      {person.isMain && <EmailSessionNotice />}

      {person.status === 'confirmed' && !offline && (
        <p>
          <Link className="button" to={`/book/${person.id}/specialty`}>
            Записать к врачу<span className="visually-hidden"> ({name})</span>
          </Link>
        </p>
      )}
      {person.status === 'confirmed' && offline && (
        <p>
          <button type="button" className="button" disabled aria-describedby={`${headingId}-offline`}>
            Записать к врачу<span className="visually-hidden"> ({name})</span>
          </button>{' '}
          <span id={`${headingId}-offline`} className="hint">
            {OFFLINE_REASON}
          </span>
        </p>
      )}
      {person.status === 'pending' && (
        <p>
          Запись к врачу станет доступна, когда модератор подтвердит данные.{' '}
          <Link to={`/cardfile/${person.id}/edit`}>
            Изменить данные<span className="visually-hidden"> ({name})</span>
          </Link>
        </p>
      )}
      {person.status === 'rejected' && (
        <Notice kind="warning" title="Данные отклонены модератором">
          {person.rejectReason && <p>Причина: {person.rejectReason}</p>}
          <p>
            Запись к врачу станет доступна после того, как исправленные данные подтвердят.{' '}
            <Link to={`/cardfile/${person.id}/edit`}>
              Исправить данные<span className="visually-hidden"> ({name})</span>
            </Link>
          </p>
        </Notice>
      )}

      <h3>Будущие визиты</h3>
      {person.futureVisits.length === 0 ? (
        <p className="hint">Будущих визитов нет.</p>
      ) : (
        <ul className="visit-list">
          {person.futureVisits.map((v) => (
            <VisitItem key={v.id} visit={v} sex={person.sex} future onCancelled={onCancelled} />
          ))}
        </ul>
      )}
      {!offline && <WaitlistSection person={person} personName={name} />}
      <ReferralsSection person={person} personName={name} offline={offline} />
      <h3>Прошедшие визиты</h3>
      {person.pastVisits.length === 0 ? (
        <p className="hint">Прошедших визитов нет.</p>
      ) : (
        <ul className="visit-list">
          {person.pastVisits.map((v) => (
            <VisitItem key={v.id} visit={v} sex={person.sex} future={false} onCancelled={onCancelled} />
          ))}
        </ul>
      )}
      <p className="person-history-link">
        <Link to={`/cardfile/${person.id}/history`}>
          История записей<span className="visually-hidden"> ({name})</span>
        </Link>{' '}
        — кто и когда записал, перенёс или отменил визит.
      </p>
      {!person.isMain && !offline && (
        <p className="person-remove-link">
          <Link to={`/cardfile/${person.id}/remove`}>
            Удалить из картотеки<span className="visually-hidden"> ({name})</span>
          </Link>
        </p>
      )}
      {person.isMain && !offline && (
        <p className="person-remove-link">
          <Link to="/profile/data">Мои данные</Link> — скачать всё, что портал хранит о вас и вашей картотеке, или
          удалить учётную запись.
        </p>
      )}
    </section>
  );
}
