// The card file offline (issue 20): after one visit online, the service worker (public/sw.js)
// serves the page, the session and the card file with the network cut; the page says when
// the data was received («Данные на HH:MM», in the organisation's zone) and nothing can be
// booked or cancelled: «Записать к врачу» is disabled with the reason beside it.
import { expect, test } from '@playwright/test';
import { demo, loginViaApi } from './support.js';
import { demoPeople, expectAccessible, futureVisits, personCard } from './patient-support.js';

test('the card file and the next visits stay readable offline, with the time of the data and no booking', async ({
  page,
  context,
}) => {
  await loginViaApi(page, demo.patient.email);
  await page.goto('/cardfile');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // Controlled by the worker from this load on: it keeps the shell and the card file.
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
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
