// Notifications (SPEC §5) in the browser: a booking appears in «Уведомления» with the
// unread count in the header; marking it read clears the count; the settings page keeps the
// account's channels and says whether this browser receives push notifications. The
// installable app: the manifest and the service worker.
import { expect, test } from '@playwright/test';
import type { NotificationPreferences } from '../../src/shared/api.js';
import { apiCall, apiGet, demo, expectFitsNarrowScreen, loginViaApi } from './support.js';
import { bookViaApi, cancelViaApi, demoPeople, expectAccessible, personNamed } from './patient-support.js';

test('a booking shows up in «Уведомления» with the unread count, and is marked read', async ({ page }) => {
  await loginViaApi(page, demo.single.email);
  await apiCall(page, 'POST', '/api/notifications/read-all', {});
  const petrov = await personNamed(page, demoPeople.single);
  const specialty = ['хирург', 'кардиолог', 'эндокринолог', 'невролог'].find((s) => !petrov.futureVisits.some((v) => v.doctor.specialty === s))!;
  const booked = await bookViaApi(page, { personId: petrov.id, specialty });
  try {
    await page.goto('/cardfile');
    const header = page.getByRole('navigation', { name: 'Основное меню' });
    // Seen: «Уведомления (1)»; heard: «Уведомления (1 непрочитанное)».
    const link = header.getByRole('link', { name: /^Уведомления \(1 непрочитанное\s?\)$/ });
    await expect(link).toBeVisible();
    const seen = await link.evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.visually-hidden').forEach((n) => n.remove());
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
    expect(await apiGet<NotificationPreferences>(page, '/api/notifications/preferences')).toEqual({ email: !before.email, push: before.push });
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
  const manifest = await apiGet<{ name: string; short_name: string; start_url: string; display: string; theme_color: string; icons: { src: string; sizes: string }[] }>(
    page,
    href!,
  );
  expect(manifest).toMatchObject({ short_name: 'Приём', start_url: '/', display: 'standalone', theme_color: '#0b5cad' });
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
