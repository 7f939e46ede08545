// The service worker as every page needs it: registered after load, and its messages heard.
// Kept apart from push.ts (subscriptions, loaded only by the settings page and at sign-out) so
// that a first visit does not carry the push code.

export const SW_URL = '/sw.js';

/** Whether this browser can receive Web Push at all (iOS: only when added to the home screen). */
export function pushSupported(): boolean {
  return (
    typeof window !== 'undefined' &&
    window.isSecureContext &&
    'serviceWorker' in navigator &&
    'PushManager' in window &&
    'Notification' in window
  );
}

/** Registers the service worker (once per page load; the browser keeps it). */
export function registerServiceWorker(): void {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator) || !window.isSecureContext) return;
  const register = () => {
    navigator.serviceWorker.register(SW_URL).catch(() => {
      /* no worker: the portal works without it, only push is missing */
    });
  };
  // After the page has loaded, so that the worker does not compete with the first render.
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}

/** Calls `onMessage` when the service worker shows a notification (to refresh counts). */
export function onPushShown(onMessage: () => void): () => void {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return () => undefined;
  const handler = (e: MessageEvent) => {
    if (e.data && typeof e.data === 'object' && (e.data as { type?: unknown }).type === 'priyom:notification')
      onMessage();
  };
  navigator.serviceWorker.addEventListener('message', handler);
  return () => navigator.serviceWorker.removeEventListener('message', handler);
}
