// «Уведомления»: the account's notifications, newest first. Unread ones are marked with
// the word «Новое» (not colour alone); opening one's link or pressing «Отметить как
// прочитанное» marks it read, and the header's count follows.
import { useState } from 'react';
import { Link } from 'react-router';
import type { NotificationItem, NotificationList } from '../../../shared/api/index.js';
import { api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { eventZone, formatInstantShort } from '../../ui/datetime.js';
import { plural } from '../../ui/format.js';
import { Page } from '../../ui/Page.js';
import { LiveMessage } from '../patient/LiveMessage.js';
import { asApiError, LoadState, useApiData } from '../patient/useApiData.js';
import { notificationsChanged } from './unread.js';

function unreadText(n: number): string {
  if (n === 0) return 'Все уведомления прочитаны.';
  return `${n} ${plural(n, ['непрочитанное уведомление', 'непрочитанных уведомления', 'непрочитанных уведомлений'])}.`;
}

function Item({ item, onRead, pending }: { item: NotificationItem; onRead(id: number): void; pending: boolean }) {
  const titleId = `notification-${item.id}-title`;
  return (
    <li>
      <article className={item.read ? 'notification' : 'notification notification-unread'} aria-labelledby={titleId}>
        <div className="notification-head">
          <h2 id={titleId} className="notification-title">
            {!item.read && <span className="tag tag-new">Новое</span>} {item.title}
          </h2>
          <time className="notification-time" dateTime={item.createdAt}>
            {formatInstantShort(item.createdAt, eventZone())}
          </time>
        </div>
        <p className="notification-body">{item.body}</p>
        <div className="button-row notification-actions">
          {item.link && (
            <Link to={item.link} onClick={() => !item.read && onRead(item.id)} aria-describedby={titleId}>
              Подробнее
            </Link>
          )}
          {!item.read && (
            <Button variant="secondary" onPress={() => onRead(item.id)} isPending={pending} aria-describedby={titleId}>
              Отметить как прочитанное
            </Button>
          )}
        </div>
      </article>
    </li>
  );
}

export function NotificationsPage() {
  const state = useApiData<NotificationList>('/api/notifications');
  const [readIds, setReadIds] = useState<Set<number>>(new Set());
  const [pendingId, setPendingId] = useState<number | null>(null);
  const [allPending, setAllPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const items = (state.data?.items ?? []).map((i) => (readIds.has(i.id) ? { ...i, read: true } : i));
  const unread = items.filter((i) => !i.read).length;
  const hiddenUnread = Math.max(
    0,
    (state.data?.unreadCount ?? 0) - (state.data?.items.filter((i) => !i.read).length ?? 0),
  );

  const markRead = async (id: number) => {
    setPendingId(id);
    setError(null);
    try {
      await api.post(`/api/notifications/${id}/read`);
      setReadIds((s) => new Set(s).add(id));
      notificationsChanged();
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      setPendingId(null);
    }
  };

  const markAll = async () => {
    setAllPending(true);
    setError(null);
    try {
      await api.post('/api/notifications/read-all');
      setReadIds(new Set(items.map((i) => i.id)));
      notificationsChanged();
      await state.reload();
      setDone('Все уведомления отмечены как прочитанные.');
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      setAllPending(false);
    }
  };

  return (
    <Page title="Уведомления">
      <p>
        Здесь собраны сообщения о ваших записях к врачу, очереди и проверке данных. Как ещё получать уведомления — по
        почте или на телефон, — можно выбрать в <Link to="/settings">настройках уведомлений</Link>.
      </p>
      <LiveMessage message={done} />
      {error && <ErrorSummary message={error} />}
      {!state.data && <LoadState state={state} />}
      {state.data && (
        <>
          <div className="button-row notification-toolbar">
            <p className="notification-count" aria-live="polite">
              {unreadText(unread + hiddenUnread)}
            </p>
            {unread + hiddenUnread > 0 && (
              <Button variant="secondary" onPress={() => void markAll()} isPending={allPending}>
                Отметить все как прочитанные
              </Button>
            )}
          </div>
          {items.length === 0 ? (
            <p className="notification-empty">
              Уведомлений пока нет. Когда вы запишетесь к врачу, встанете в очередь или модератор проверит данные,
              сообщение появится здесь.
            </p>
          ) : (
            <ol className="list-plain notification-list" aria-label="Уведомления, сначала новые">
              {items.map((item) => (
                <Item key={item.id} item={item} onRead={(id) => void markRead(id)} pending={pendingId === item.id} />
              ))}
            </ol>
          )}
          {state.data.items.length >= 50 && <p className="hint">Показаны 50 последних уведомлений.</p>}
        </>
      )}
    </Page>
  );
}
