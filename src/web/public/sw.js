// The portal's service worker: shows Web Push notifications and opens the portal page a
// notification points to; and keeps the card file and its visits readable offline (issue 20):
// the page shell and its files, the session, GET /api/cardfile and a visit's GET
// /api/appointments/:id are fetched from the network first and the last good answer is kept;
// without a network that answer is served, stamped with the time it was received
// (X-Priyom-Saved-At) so the page can say «данные на HH:MM». A kept visit that the newest card
// file no longer lists is dropped. No other API answer is kept, and nothing is ever written offline. Signing out deletes the kept data (forgetThisDeviceOnSignOut in pages/notify/push.ts).
/* eslint-env serviceworker */

self.addEventListener('install', () => {
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

/** The page shell and its static files. */
const SHELL_CACHE = 'priyom-shell-v1';
/** The signed-in person's data: deleted at sign-out. */
const DATA_CACHE = 'priyom-data-v1';
/** API answers kept for offline reading: the session, the card file and its visits, nothing else. */
const KEPT_API = new Set(['/api/session', '/api/cardfile']);
const KEPT_VISIT = /^\/api\/appointments\/[0-9a-f-]{36}$/;

function kept(url) {
  return !url.search && (KEPT_API.has(url.pathname) || KEPT_VISIT.test(url.pathname));
}

/** Drops the kept visits the card file `body` no longer lists (a cancelled one stays listed). */
async function dropUnlistedVisits(body) {
  let listed;
  try {
    const persons = JSON.parse(new TextDecoder().decode(body)).persons;
    listed = new Set(
      persons.flatMap((p) => [...p.futureVisits, ...p.pastVisits].map((v) => `/api/appointments/${v.id}`)),
    );
  } catch {
    return;
  }
  const cache = await caches.open(DATA_CACHE);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (KEPT_VISIT.test(path) && !listed.has(path)) await cache.delete(request);
  }
}

async function networkFirst(request, cacheName, key, stamp) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const cache = await caches.open(cacheName);
      if (stamp) {
        const headers = new Headers(response.headers);
        headers.set('X-Priyom-Saved-At', new Date().toISOString());
        const body = await response.clone().arrayBuffer();
        await cache.put(key, new Response(body, { status: 200, headers }));
        if (key === '/api/cardfile') await dropUnlistedVisits(body);
      } else {
        await cache.put(key, response.clone());
      }
    }
    return response;
  } catch (error) {
    const cached = await caches.match(key, { cacheName });
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && !url.pathname.startsWith('/api/')) {
    // Every page is the same shell (the app routes in the browser).
    event.respondWith(networkFirst(request, SHELL_CACHE, '/__shell', false));
  } else if (kept(url)) {
    event.respondWith(networkFirst(request, DATA_CACHE, url.pathname, true));
  } else if (
    request.mode !== 'navigate' &&
    !url.pathname.startsWith('/api/') &&
    !url.pathname.startsWith('/.well-known/')
  ) {
    event.respondWith(networkFirst(request, SHELL_CACHE, url.pathname, false));
  }
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
