// The unread count shown in the header: loaded on every page change, every minute while
// the page is visible, when a notification is marked read here, and when a push arrives.
import { useCallback, useEffect, useState } from 'react';
import { useLocation } from 'react-router';
import { api } from '../../api.js';
import { onPushShown } from './sw.js';

const CHANGED = 'priyom:notifications-changed';
const EVERY_MS = 60_000;

/** Tells the header that notifications were read or arrived. */
export function notificationsChanged(): void {
  window.dispatchEvent(new Event(CHANGED));
}

export function useUnreadCount(enabled: boolean): number | null {
  const [count, setCount] = useState<number | null>(null);
  const location = useLocation();
  const load = useCallback(async () => {
    if (!enabled) return;
    try {
      setCount((await api.get<{ unreadCount: number }>('/api/notifications/unread-count')).unreadCount);
    } catch {
      /* signed out or offline: keep what is shown */
    }
  }, [enabled]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the count is read again on every page change (location.pathname), on purpose
  useEffect(() => {
    if (!enabled) {
      setCount(null);
      return;
    }
    void load();
  }, [enabled, load, location.pathname]);

  useEffect(() => {
    if (!enabled) return undefined;
    const refresh = () => void load();
    const whenVisible = () => {
      if (document.visibilityState === 'visible') refresh();
    };
    const timer = setInterval(whenVisible, EVERY_MS);
    window.addEventListener(CHANGED, refresh);
    document.addEventListener('visibilitychange', whenVisible);
    const stopPush = onPushShown(refresh);
    return () => {
      clearInterval(timer);
      window.removeEventListener(CHANGED, refresh);
      document.removeEventListener('visibilitychange', whenVisible);
      stopPush();
    };
  }, [enabled, load]);

  return count;
}
