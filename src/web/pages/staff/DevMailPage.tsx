// «Почтовый ящик разработчика»: in demo mode without SMTP the portal does not send
// e-mail; the messages are listed here so links (e-mail confirmation, password reset)
// can be followed. The text part is shown as text with clickable addresses; the HTML
// part is never injected.
import type { DevMail } from '../../../shared/api/index.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Notice } from '../../ui/Notice.js';
import { Page } from '../../ui/Page.js';
import { plural } from '../../ui/format.js';
import { Loading } from '../../ui/staff/Access.js';
import { LinkifiedText } from '../../ui/staff/LinkifiedText.js';
import { formatInstant, isoOf } from '../../ui/staff/format.js';
import { useApiData } from '../../ui/staff/useApiData.js';

const TITLE = 'Почтовый ящик разработчика';

const statusText: Record<string, string> = {
  pending: 'ожидает доставки',
  sent: 'доставлено',
  failed: 'не доставлено',
};

export function DevMailPage() {
  const { data, error, loading, reload } = useApiData<{ messages: DevMail[] }>('/api/dev/mail');

  if (error?.status === 404) {
    return (
      <Page title={TITLE}>
        <Notice kind="warning" title="Недоступно">
          <p>
            Почтовый ящик разработчика работает только в демонстрационном режиме, когда портал не подключён к почтовому
            серверу. Здесь письма отправляются по-настоящему.
          </p>
        </Notice>
      </Page>
    );
  }

  const messages = [...(data?.messages ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);

  return (
    <Page title={TITLE}>
      <Notice kind="warning" title="Инструмент разработчика">
        <p>Только в демонстрационном режиме: письма не отправляются, а показываются здесь.</p>
      </Notice>
      {error && <ErrorSummary message={error.message} />}
      <div className="button-row staff-toolbar">
        <button type="button" className="button button-secondary" onClick={() => void reload()} disabled={loading}>
          Обновить
        </button>
        {data && (
          <p className="staff-count" aria-live="polite">
            {messages.length === 0
              ? 'Писем нет.'
              : `${messages.length} ${plural(messages.length, ['письмо', 'письма', 'писем'])}, сначала новые.`}
          </p>
        )}
      </div>
      {!data && !error && <Loading />}
      {messages.length > 0 && (
        <ol className="list-plain">
          {messages.map((m) => (
            <li key={m.id}>
              <article className="card staff-mail" aria-labelledby={`mail-${m.id}-subject`}>
                <h2 id={`mail-${m.id}-subject`} className="staff-mail-subject">
                  {m.subject}
                </h2>
                <dl className="staff-facts">
                  <div>
                    <dt>Кому</dt>
                    <dd className="staff-break">{m.to}</dd>
                  </div>
                  <div>
                    <dt>Когда</dt>
                    <dd>
                      <time dateTime={isoOf(m.createdAt)}>{formatInstant(m.createdAt)}</time>
                    </dd>
                  </div>
                  <div>
                    <dt>Состояние</dt>
                    <dd>{statusText[m.status] ?? m.status}</dd>
                  </div>
                </dl>
                <LinkifiedText text={m.text} className="staff-mail-text" />
              </article>
            </li>
          ))}
        </ol>
      )}
    </Page>
  );
}
