// The card file offline (issue 20): after one visit online, the service worker (public/sw.js)
// serves the page, the session and the card file with the network cut; the page says when
// the data was received («Данные на HH:MM», in the organisation's zone) and nothing can be
// booked or cancelled: «Записать к врачу» is disabled with the reason beside it.
import { expect, type Page, test } from '@playwright/test';
import { demo, loginViaApi } from './support.js';
import { demoPeople, expectAccessible, futureVisits, personCard } from './patient-support.js';

/** The demo patient's card file, loaded once more under the service worker, which keeps it from then on. */
async function openCardFileWithWorker(page: Page): Promise<void> {
  await loginViaApi(page, demo.patient.email);
  await page.goto('/cardfile');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

test('the card file and the next visits stay readable offline, with the time of the data and no booking', async ({
  page,
  context,
}) => {
  await openCardFileWithWorker(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Моя картотека' })).toBeVisible();
  const main = personCard(page, demoPeople.main);
  await expect(futureVisits(main).first()).toBeVisible();
  // Each visit as its date, doctor, room and reference (the actions below them differ offline).
  const visitFacts = async () =>
    (await futureVisits(main).allTextContents()).map((t) => t.slice(0, t.indexOf('Источник записи')));
  const visitsOnline = await visitFacts();
  expect(visitsOnline.every((t) => /ПР-[A-Z0-9]{8}$/.test(t))).toBe(true);
  await expect(main.getByRole('link', { name: /Записать к врачу/ })).toBeVisible();
  await expect(page.getByText(/^Данные на/)).toHaveCount(0);
  const receivedAt = new Date();

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Моя картотека' })).toBeVisible();
  expect(await visitFacts()).toEqual(visitsOnline);
  // The demo region is UTC+4 (Europe/Samara); the time is when the worker received the data.
  const hhmm = new Intl.DateTimeFormat('ru-RU', {
    timeZone: 'Europe/Samara',
    hour: '2-digit',
    minute: '2-digit',
  }).format(receivedAt);
  const stamp = page.getByText(/^Данные на \d{2}:\d{2}$/);
  await expect(stamp).toBeVisible();
  const shown = (await stamp.textContent()) ?? '';
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  expect(Math.abs(minutes(shown.slice(-5)) - minutes(hhmm))).toBeLessThanOrEqual(1);

  // Nothing can be booked or cancelled offline, and the page says why.
  await expect(main.getByRole('link', { name: /Записать к врачу/ })).toHaveCount(0);
  const book = main.getByRole('button', { name: /Записать к врачу/ });
  await expect(book).toBeDisabled();
  await expect(book).toHaveAccessibleDescription(/Нет соединения с интернетом/);
  await expect(page.getByRole('button', { name: /Отменить/ })).toHaveCount(0);
  await expectAccessible(page);

  // Back online: the ordinary card file again.
  await context.setOffline(false);
  await page.reload();
  await expect(main.getByRole('link', { name: /Записать к врачу/ })).toBeVisible();
  await expect(page.getByText(/^Данные на/)).toHaveCount(0);
});

test('a visit opens offline from the kept card file, or from its own kept page once opened online', async ({
  page,
  context,
}) => {
  await openCardFileWithWorker(page);
  const main = personCard(page, demoPeople.main);
  // A booked visit (another journey may have cancelled one of the demo patient's).
  const first = futureVisits(main)
    .filter({ has: page.locator('.visit-status-booked') })
    .first();
  await expect(first).toBeVisible();
  const link = first.getByRole('link').first();
  const href = (await link.getAttribute('href')) ?? '';
  expect(href).toMatch(/^\/appointments\/[0-9a-f-]{36}$/);
  const reference = (await first.getByText(/^ПР-[A-Z0-9]{8}$/).textContent()) ?? '';
  // The card file fetched the visit page's code while online, and the worker kept it.
  await expect
    .poll(() =>
      page.evaluate(async () =>
        (await (await caches.open('priyom-shell-v1')).keys()).some((r) => r.url.includes('AppointmentPage')),
      ),
    )
    .toBe(true);
  const keptVisit = () =>
    page.evaluate(
      async (path) => (await caches.match(path, { cacheName: 'priyom-data-v1' })) !== undefined,
      `/api${href}`,
    );
  expect(await keptVisit()).toBe(false);

  const expectOfflineVisit = async () => {
    await expect(page.getByRole('heading', { level: 1, name: 'Ваша запись' })).toBeVisible();
    await expect(page.getByText(/^Данные на \d{2}:\d{2}$/)).toBeVisible();
    await expect(page.getByText(reference, { exact: true })).toBeVisible();
    await expect(page.getByText(demoPeople.main, { exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Что взять с собой' })).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: /^Полис ОМС$/ })).toBeVisible();
    // Nothing can be changed offline: no cancel, move, release, calendar file or talon.
    for (const name of [/Отменить/, /Перенести/, /Не смогу прийти/, /Добавить в календарь/, /Распечатать талон/]) {
      await expect(page.getByRole('button', { name })).toHaveCount(0);
      await expect(page.getByRole('link', { name })).toHaveCount(0);
    }
    await expectAccessible(page);
  };

  // Never opened on this phone: the page is built from the kept card file.
  await context.setOffline(true);
  await page.reload();
  await link.click();
  await expect(page).toHaveURL(href);
  await expectOfflineVisit();
  expect(await keptVisit()).toBe(false);

  // Opened online once: its own answer is kept and served offline, even on a fresh load.
  await context.setOffline(false);
  await page.reload();
  await expect(page.getByText(/^Данные на/)).toHaveCount(0);
  await expect(page.getByText(reference, { exact: true })).toBeVisible();
  await expect.poll(keptVisit).toBe(true);
  await context.setOffline(true);
  await page.reload();
  await expectOfflineVisit();
  await context.setOffline(false);
});
