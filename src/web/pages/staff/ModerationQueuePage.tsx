// «Проверка данных»: the moderator's queue of people waiting for a check, oldest first.
import { Link, useLocation } from 'react-router';
import type { ModerationItem } from '../../../shared/api/index.js';
import { plural } from '../../ui/format.js';
import { Notice } from '../../ui/Notice.js';
import { Page } from '../../ui/Page.js';
import { LoadProblem, Loading } from '../../ui/staff/Access.js';
import { formatBirthDate, formatInstant, fullName, isoOf } from '../../ui/staff/format.js';
import { useApiData } from '../../ui/staff/useApiData.js';

const TITLE = 'Проверка данных';

/** What the person page passes back after a decision (router state, never the URL). */
export interface DecisionNotice {
  title: string;
  text: string;
}

function isDecisionNotice(v: unknown): v is DecisionNotice {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as DecisionNotice).title === 'string' &&
    typeof (v as DecisionNotice).text === 'string'
  );
}

export function ModerationQueuePage() {
  const location = useLocation();
  const state: unknown = location.state;
  const decided = typeof state === 'object' && state !== null && 'decided' in state ? state.decided : null;
  const { data, error, loading, reload } = useApiData<{ items: ModerationItem[] }>('/api/moderation/queue');

  if (error) return <LoadProblem title={TITLE} error={error} role="moderator" onRetry={() => void reload()} />;

  // Oldest submission first, whatever order the server used.
  const items = [...(data?.items ?? [])].sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));

  return (
    <Page title={TITLE}>
      {isDecisionNotice(decided) && (
        <Notice kind="success" title={decided.title}>
          <p>{decided.text}</p>
        </Notice>
      )}
      <p className="lead">
        Проверьте персональные данные людей, добавленных в картотеки, и подтвердите их или отклоните с указанием
        причины. Запись к врачу доступна только после подтверждения.
      </p>
      {!data && loading && <Loading />}
      {data && items.length === 0 && (
        <Notice title="Очередь пуста">
          <p>Сейчас нет данных, ожидающих проверки.</p>
        </Notice>
      )}
      {data && items.length > 0 && (
        <>
          <p className="staff-count" aria-live="polite">
            Ожидают проверки: {items.length} {plural(items.length, ['человек', 'человека', 'человек'])}. Сначала
            показаны самые давние.
          </p>
          <ol className="list-plain staff-queue">
            {items.map((item) => (
              <li key={item.id} className="card staff-queue-item">
                <h2 className="staff-queue-name">
                  <Link to={`/moderation/${item.id}`}>{fullName(item)}</Link>
                </h2>
                {item.history.length > 0 && <p className="tag tag-pending">Отправлено повторно</p>}
                <dl className="staff-facts">
                  <div>
                    <dt>Дата рождения</dt>
                    <dd>{formatBirthDate(item.birthDate)}</dd>
                  </div>
                  <div>
                    <dt>Учётная запись</dt>
                    <dd className="staff-break">{item.accountEmail ?? 'вход только через Госуслуги'}</dd>
                  </div>
                  <div>
                    <dt>Отправлено на проверку</dt>
                    <dd>
                      <time dateTime={isoOf(item.submittedAt)}>{formatInstant(item.submittedAt)}</time>
                    </dd>
                  </div>
                </dl>
              </li>
            ))}
          </ol>
        </>
      )}
      {data && (
        <p>
          <button type="button" className="button button-secondary" onClick={() => void reload()} disabled={loading}>
            Обновить список
          </button>
        </p>
      )}
    </Page>
  );
}
