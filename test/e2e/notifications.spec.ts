// Notifications (SPEC §5) in the browser: a booking appears in «Уведомления» with the
// unread count in the header; marking it read clears the count; the settings page keeps the
// account's channels and says whether this browser receives push notifications. The
// installable app: the manifest and the service worker. A second account on a browser
// whose push subscription belongs to another account gets a fresh subscription.
import { createECDH, randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import type { NotificationPreferences } from '../../src/shared/api/index.js';
import { apiCall, apiGet, demo, expectFitsNarrowScreen, loginViaApi, logoutViaApi } from './support.js';
import { bookViaApi, cancelViaApi, demoPeople, expectAccessible, personNamed } from './patient-support.js';

test('a booking shows up in «Уведомления» with the unread count, and is marked read', async ({ page }) => {
  await loginViaApi(page, demo.single.email);
  await apiCall(page, 'POST', '/api/notifications/read-all', {});
  const petrov = await personNamed(page, demoPeople.single);
  const specialty = ['хирург', 'кардиолог', 'эндокринолог', 'невролог'].find(
    (s) => !petrov.futureVisits.some((v) => v.status === 'booked' && v.doctor.specialty === s),
  )!;
  const booked = await bookViaApi(page, { personId: petrov.id, specialty });
  try {
    await page.goto('/cardfile');
    const header = page.getByRole('navigation', { name: 'Основное меню' });
    // Seen: «Уведомления (1)»; heard: «Уведомления (1 непрочитанное)».
    const link = header.getByRole('link', { name: /^Уведомления \(1 непрочитанное\s?\)$/ });
    await expect(link).toBeVisible();
    const seen = await link.evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      for (const n of copy.querySelectorAll('.visually-hidden')) n.remove();
      return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
    });
    expect(seen).toBe('Уведомления (1)');
    await link.click();

    await expect(page.getByRole('heading', { level: 1, name: 'Уведомления' })).toBeVisible();
    await expect(page.getByText('1 непрочитанное уведомление.')).toBeVisible();
    const item = page.getByRole('article', { name: /Вы записаны на приём/ }).first();
    await expect(item).toContainText('Новое');
    await expect(item).toContainText(`Номер записи ${booked.reference}`);
    // The lock-screen rule holds on the page too: no name, no specialty in the title.
    await expect(item.getByRole('heading', { level: 2 })).not.toContainText(specialty);
    await expectAccessible(page);
    await expectFitsNarrowScreen(page);

    await item.getByRole('button', { name: 'Отметить как прочитанное' }).click();
    await expect(item).not.toContainText('Новое');
    await expect(page.getByText('Все уведомления прочитаны.')).toBeVisible();
    await expect(header.getByRole('link', { name: 'Уведомления', exact: true })).toBeVisible();

    // «Подробнее» opens the visit.
    await item.getByRole('link', { name: 'Подробнее' }).click();
    await expect(page).toHaveURL(new RegExp(`/appointments/${booked.id}$`));
  } finally {
    await cancelViaApi(page, booked.id);
  }
});

test('the settings keep the account’s channels and tell whether this browser gets push', async ({ page }) => {
  await loginViaApi(page, demo.single.email);
  const before = await apiGet<NotificationPreferences>(page, '/api/notifications/preferences');
  try {
    await page.goto('/settings');
    await expect(page.getByRole('heading', { level: 1, name: 'Настройки уведомлений' })).toBeVisible();
    const email = page.getByRole('checkbox', { name: 'По электронной почте' });
    const push = page.getByRole('checkbox', { name: 'На устройства, где включены уведомления (push)' });
    await expect(email).toBeChecked({ checked: before.email });
    await expect(push).toBeChecked({ checked: before.push });
    // This browser: a push subscription needs the browser's push service, so it is off here.
    await expect(page.getByRole('heading', { level: 2, name: 'Это устройство' })).toBeVisible();
    await expect(page.getByText(/Это устройство не получает уведомления|не умеет получать уведомления/)).toBeVisible();
    await expectAccessible(page);
    await expectFitsNarrowScreen(page);

    await page.locator('label').filter({ hasText: 'По электронной почте' }).click();
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Настройки сохранены.' })).toBeVisible();
    expect(await apiGet<NotificationPreferences>(page, '/api/notifications/preferences')).toEqual({
      email: !before.email,
      push: before.push,
    });
    await page.reload();
    await expect(page.getByRole('checkbox', { name: 'По электронной почте' })).toBeChecked({ checked: !before.email });
  } finally {
    await apiCall(page, 'PUT', '/api/notifications/preferences', before);
  }
});

test('the portal is an installable app: manifest, icons and a service worker', async ({ page }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBe('/manifest.webmanifest');
  const manifest = await apiGet<{
    name: string;
    short_name: string;
    start_url: string;
    display: string;
    theme_color: string;
    icons: { src: string; sizes: string }[];
  }>(page, href!);
  expect(manifest).toMatchObject({
    short_name: 'Приём',
    start_url: '/',
    display: 'standalone',
    theme_color: '#0b5cad',
  });
  expect(manifest.name).toContain('Приём');
  for (const size of ['192x192', '512x512']) {
    const icon = manifest.icons.find((i) => i.sizes === size);
    expect(icon, `an icon of ${size}`).toBeTruthy();
    const res = await page.request.get(icon!.src);
    expect(res.headers()['content-type']).toBe('image/png');
  }
  const scriptURL = await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    return reg.active?.scriptURL ?? null;
  });
  expect(scriptURL).toMatch(/\/sw\.js$/);
});

/** A browser's push subscription as the stand-in push service below records it. */
interface FakeSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  /** The VAPID public key it was made with (base64url). */
  serverKey?: string;
}

function browserKeys(): { p256dh: string; auth: string } {
  const ecdh = createECDH('prime256v1');
  return { p256dh: ecdh.generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

/**
 * Headless Chromium has no push service, so PushManager is replaced by a stand-in that keeps
 * one subscription per browser (in localStorage), as a real browser does: `seeded` is the
 * subscription a previous user left on this browser; `subscribe` returns the current one
 * while there is one, else makes `next`. Everything else — the web app, the service worker,
 * the server — is real.
 */
async function standInPushService(page: Page, seeded: FakeSubscription, next: FakeSubscription): Promise<void> {
  await page.addInitScript(
    ({ seeded, next }) => {
      if (typeof PushManager === 'undefined' || !location.origin.startsWith('http')) return;
      const STORE = 'priyom-e2e-push';
      if (localStorage.getItem(`${STORE}:seeded`) === null) {
        localStorage.setItem(STORE, JSON.stringify(seeded));
        localStorage.setItem(`${STORE}:seeded`, '1');
      }
      const bytes = (b64url: string) => {
        const b64 = b64url.replace(/-/g, '+').replace(/_/g, '/');
        const raw = atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, '='));
        return Uint8Array.from(raw, (c) => c.charCodeAt(0)).buffer;
      };
      const load = (): FakeSubscription | null => JSON.parse(localStorage.getItem(STORE) ?? 'null');
      const make = (rec: FakeSubscription | null) =>
        rec && {
          endpoint: rec.endpoint,
          expirationTime: null,
          options: { applicationServerKey: bytes(rec.serverKey ?? ''), userVisibleOnly: true },
          toJSON: () => ({ endpoint: rec.endpoint, expirationTime: null, keys: rec.keys }),
          getKey: () => null,
          unsubscribe: async () => {
            localStorage.setItem(STORE, 'null');
            return true;
          },
        };
      PushManager.prototype.getSubscription = async () => make(load()) as unknown as PushSubscription;
      PushManager.prototype.subscribe = async (options?: PushSubscriptionOptionsInit) => {
        const current = load();
        if (current) return make(current) as unknown as PushSubscription;
        const key = new Uint8Array(options?.applicationServerKey as ArrayBuffer);
        const serverKey = btoa(String.fromCharCode(...key))
          .replace(/\+/g, '-')
          .replace(/\//g, '_')
          .replace(/=+$/, '');
        const rec = { ...next, serverKey };
        localStorage.setItem(STORE, JSON.stringify(rec));
        return make(rec) as unknown as PushSubscription;
      };
    },
    { seeded, next },
  );
}

test('a second account on a browser whose push subscription is another’s: the portal subscribes afresh, the other keeps theirs', async ({
  page,
  browser,
}) => {
  const tag = randomBytes(6).toString('hex');
  const left: FakeSubscription = { endpoint: `https://push.example.test/e2e/${tag}-first`, keys: browserKeys() };
  const fresh: FakeSubscription = { endpoint: `https://push.example.test/e2e/${tag}-second`, keys: browserKeys() };
  const status = (p: Page, endpoint: string) =>
    apiGet<{ subscribed: boolean }>(p, `/api/push/subscriptions?endpoint=${encodeURIComponent(endpoint)}`);

  // Анна used this browser first and subscribed it; her sign-out did not unsubscribe it.
  await loginViaApi(page, demo.patient.email);
  const { publicKey } = await apiGet<{ publicKey: string }>(page, '/api/push/public-key');
  await apiCall(page, 'POST', '/api/push/subscriptions', { endpoint: left.endpoint, keys: left.keys });
  await logoutViaApi(page);

  const anna = await browser.newContext();
  const annaPage = await anna.newPage();
  try {
    await loginViaApi(annaPage, demo.patient.email);
    await page.context().grantPermissions(['notifications']);
    await standInPushService(page, { ...left, serverKey: publicKey }, fresh);
    await loginViaApi(page, demo.single.email);
    await page.goto('/settings');
    await expect(page.getByRole('heading', { level: 2, name: 'Это устройство' })).toBeVisible();
    await expect(page.getByText('Это устройство не получает уведомления.')).toBeVisible();

    // The server refuses Анна's endpoint to this account (409); the page drops that
    // subscription and subscribes again, with a new endpoint.
    const refused = page.waitForResponse(
      (r) => r.url().endsWith('/api/push/subscriptions') && r.request().method() === 'POST' && r.status() === 409,
    );
    await page.getByRole('button', { name: 'Получать уведомления на этом устройстве' }).click();
    expect((await (await refused).json()) as { code: string }).toMatchObject({ code: 'PUSH_ENDPOINT_TAKEN' });
    await expect(page.getByText('Готово: это устройство будет получать уведомления.')).toBeVisible();
    await expect(page.getByText('Это устройство получает уведомления.')).toBeVisible();
    await expectAccessible(page);

    expect(await status(page, fresh.endpoint)).toEqual({ subscribed: true });
    expect(await status(page, left.endpoint)).toEqual({ subscribed: false });
    expect(await status(annaPage, left.endpoint)).toEqual({ subscribed: true });
    expect(await status(annaPage, fresh.endpoint)).toEqual({ subscribed: false });
  } finally {
    await apiCall(
      page,
      'DELETE',
      `/api/push/subscriptions?endpoint=${encodeURIComponent(fresh.endpoint)}`,
      {},
      { allowFailure: true },
    );
    await apiCall(
      annaPage,
      'DELETE',
      `/api/push/subscriptions?endpoint=${encodeURIComponent(left.endpoint)}`,
      {},
      { allowFailure: true },
    );
    await anna.close();
  }
});
