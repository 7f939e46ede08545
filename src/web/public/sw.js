// The portal's service worker: shows Web Push notifications and opens the portal page a
// notification points to. It caches nothing: every page comes from the server.
/* eslint-env serviceworker */

self.addEventListener('install', () => {
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

/** Only a page of this portal may be opened from a notification. */
function portalUrl(path) {
  try {
    const url = new URL(typeof path === 'string' ? path : '/notifications', self.location.origin);
    if (url.origin === self.location.origin) return url.href;
  } catch {
    /* fall through */
  }
  return new URL('/notifications', self.location.origin).href;
}

self.addEventListener('push', (event) => {
  let message = { title: 'Приём', body: 'Новое уведомление на портале.', url: '/notifications' };
  try {
    const data = event.data ? event.data.json() : null;
    if (data && typeof data.title === 'string') {
      message = { title: data.title, body: typeof data.body === 'string' ? data.body : '', url: data.url };
    }
  } catch {
    /* not JSON: the generic text above */
  }
  event.waitUntil(
    (async () => {
      await self.registration.showNotification(message.title, {
        body: message.body,
        lang: 'ru',
        icon: '/icon-192.png',
        data: { url: portalUrl(message.url) },
      });
      // Open pages refresh their unread count.
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      for (const client of windows) client.postMessage({ type: 'priyom:notification' });
    })(),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = portalUrl(event.notification.data?.url);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const same = windows.find((c) => c.url === target);
      if (same) return same.focus();
      const any = windows.find((c) => new URL(c.url).origin === self.location.origin);
      if (any && 'navigate' in any) {
        try {
          const navigated = await any.navigate(target);
          if (navigated) return navigated.focus();
        } catch {
          /* a page this worker does not control: open a new window instead */
        }
      }
      return self.clients.openWindow(target);
    })(),
  );
});
