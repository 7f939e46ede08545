// Offline reading (issue 20): whether the browser is offline, and when the answer the service
// worker (public/sw.js) kept was received. Pages read the card file and a visit offline but
// nothing can be booked, moved or cancelled: the actions are disabled or left out with this reason.
import { createContext, useContext, useEffect, useState } from 'react';
import { formatInstantTime } from './datetime.js';
import { Notice } from './Notice.js';

/** Why an action is unavailable offline (shown next to disabled actions). */
export const OFFLINE_REASON =
  'Нет соединения с интернетом: записаться или отменить запись можно, когда связь вернётся.';

/** True while the browser reports no network. */
export function useOffline(): boolean {
  const [offline, setOffline] = useState(() => typeof navigator !== 'undefined' && !navigator.onLine);
  useEffect(() => {
    const update = () => setOffline(!navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return offline;
}

/** When the service worker received the kept answer for `path` (null when none is kept). */
export function useSavedAt(path: string, when: boolean): string | null {
  const [savedAt, setSavedAt] = useState<string | null>(null);
  useEffect(() => {
    if (!when || typeof caches === 'undefined') {
      setSavedAt(null);
      return;
    }
    let live = true;
    caches
      .match(path, { cacheName: 'priyom-data-v1' })
      .then((r) => {
        if (live) setSavedAt(r?.headers.get('X-Priyom-Saved-At') ?? null);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [path, when]);
  return savedAt;
}

/** The kept data's notice: «Данные на HH:MM» (in `zone`, the visits' organisation's) and why nothing can be done. */
export function OfflineNotice({ savedAt, zone }: { savedAt: string | null; zone: string }) {
  return (
    <Notice kind="info" title={savedAt ? `Данные на ${formatInstantTime(savedAt, zone)}` : 'Нет соединения'}>
      <p>{OFFLINE_REASON}</p>
    </Notice>
  );
}

/** Set by a page shown from kept data: its actions are disabled. */
export const OfflineContext = createContext(false);
export const useOfflineContext = () => useContext(OfflineContext);
