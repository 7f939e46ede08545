// A time taken between seeing the schedule and choosing it (SPEC §3, «время только что
// заняли»): the refusal says so in the error summary, and the doctor's nearest free times,
// named by the answer, are offered as buttons; choosing one holds it and opens the check page.
import { expect, test } from '@playwright/test';
import { apiCall, demo, loginViaApi } from './support.js';
import {
  demoPeople,
  doctorWithFreeTime,
  expectAccessible,
  personNamed,
  scheduleSlots,
  slotLabel,
  type DatedSlot,
} from './patient-support.js';

test('a time someone else just took: the nearest free times are offered, and one is held', async ({
  page,
  browser,
}) => {
  await loginViaApi(page, demo.single.email);
  const petrov = await personNamed(page, demoPeople.single);
  // A doctor with a free time a day ahead at least, and more free times around it.
  const { doctor, slot: taken } = await doctorWithFreeTime(page, 'невролог', 24 * 60);
  const others = (await scheduleSlots(page, doctor.id)).filter((s) => s.state === 'free' && s.id !== taken.id);
  expect(others.length).toBeGreaterThan(0);

  await page.goto(`/book/${petrov.id}/doctor/${doctor.id}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Выберите дату и время' })).toBeVisible();
  const shown = page.getByRole('button', { name: `${slotLabel(taken)}, свободно`, exact: true });
  await expect(shown).toBeVisible();

  // Meanwhile another patient holds that very time.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  try {
    await loginViaApi(other, demo.patient.email);
    const anna = await personNamed(other, demoPeople.main);
    await apiCall(other, 'POST', '/api/holds', { slotId: taken.id, personId: anna.id });

    await shown.click();
    await expect(page.getByRole('alert')).toContainText('Это время только что заняли. Выберите другое время.');
    const nearest = page.getByRole('region', { name: 'Ближайшее свободное время у этого врача' });
    await expect(nearest).toBeVisible();
    const buttons = nearest.getByRole('button');
    const count = await buttons.count();
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThanOrEqual(10);
    // The nearest of the other free times is among them, and every one is a free time of this doctor.
    const byDistance = [...others].sort(
      (a, b) =>
        Math.abs(Date.parse(a.startAt) - Date.parse(taken.startAt)) -
        Math.abs(Date.parse(b.startAt) - Date.parse(taken.startAt)),
    );
    const labels = (await buttons.allTextContents()).map((t) => t.trim());
    expect(labels).toContain(slotLabel(byDistance[0]));
    const freeLabels = new Set(others.map((s: DatedSlot) => slotLabel(s)));
    for (const label of labels) expect(freeLabels.has(label), `${label} is a free time of the doctor`).toBe(true);
    // The taken time is no longer offered in the reloaded schedule.
    await expect(page.getByRole('button', { name: `${slotLabel(taken)}, свободно`, exact: true })).toHaveCount(0);
    await expectAccessible(page);

    const [dayMonth, time] = labels[0].split(', ');
    await buttons.first().click();
    await expect(page.getByRole('heading', { level: 1, name: 'Проверьте данные записи' })).toBeVisible();
    const row = page
      .locator('.summary-row')
      .filter({ has: page.locator('dt', { hasText: 'Дата и время' }) })
      .locator('dd')
      .first();
    await expect(row).toContainText(new RegExp(`^${dayMonth} \\d{4}, ${time}`));
    await expect(page.getByText(/Время закреплено за вами до \d{2}:\d{2}/)).toBeVisible();
    await page.getByRole('button', { name: 'Отмена' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Выберите дату и время' })).toBeVisible();
  } finally {
    await apiCall(other, 'DELETE', `/api/holds/${taken.id}`, {}, { allowFailure: true });
    await otherContext.close();
  }
});

test('a held time taken before «Подтвердить»: the check page offers the nearest free times, and one is booked', async ({
  page,
  browser,
}) => {
  await loginViaApi(page, demo.single.email);
  const petrov = await personNamed(page, demoPeople.single);
  const { doctor, slot: taken } = await doctorWithFreeTime(page, 'эндокринолог', 24 * 60);
  const cleanup: { page: typeof page; id: string }[] = [];
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  try {
    await page.goto(`/book/${petrov.id}/doctor/${doctor.id}`);
    await page.getByRole('button', { name: `${slotLabel(taken)}, свободно`, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Проверьте данные записи' })).toBeVisible();
    // The heading shows while the page still loads its hold: release the hold only once the page has it.
    await expect(page.getByRole('button', { name: 'Подтвердить' })).toBeVisible();

    // The hold lapses (released here, as if its minutes ran out) and another patient books the time.
    await apiCall(page, 'DELETE', `/api/holds/${taken.id}`);
    await loginViaApi(other, demo.patient.email);
    const anna = await personNamed(other, demoPeople.main);
    const booked = await apiCall(other, 'POST', '/api/appointments', { slotId: taken.id, personId: anna.id });
    cleanup.push({ page: other, id: ((await booked.json()) as { id: string }).id });

    await page.getByRole('button', { name: 'Подтвердить' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Записаться не получилось' })).toBeVisible();
    await expect(page.getByRole('alert')).toContainText('Это время только что заняли. Выберите другое время.');
    const nearest = page.getByRole('region', { name: 'Ближайшее свободное время у этого врача' });
    const buttons = nearest.getByRole('button');
    await expect(buttons.first()).toBeVisible();
    const free = new Set(
      (await scheduleSlots(page, doctor.id)).filter((s) => s.state === 'free').map((s) => slotLabel(s)),
    );
    const labels = (await buttons.allTextContents()).map((t) => t.trim());
    expect(labels).not.toContain(slotLabel(taken));
    for (const label of labels) expect(free.has(label), `${label} is a free time of the doctor`).toBe(true);
    await expectAccessible(page);

    // Choosing one holds it and opens the check page for it; «Подтвердить» books it.
    const [dayMonth, time] = labels[0].split(', ');
    await buttons.first().click();
    await expect(page.getByRole('heading', { level: 1, name: 'Проверьте данные записи' })).toBeVisible();
    const row = (key: string) =>
      page
        .locator('.summary-row')
        .filter({ has: page.locator('dt', { hasText: key }) })
        .locator('dd')
        .first();
    await expect(row('Дата и время')).toContainText(new RegExp(`^${dayMonth} \\d{4}, ${time}`));
    await expect(row('Врач')).toHaveText(doctor.name);
    await expect(page.getByText(/Время закреплено за вами до \d{2}:\d{2}/)).toBeVisible();
    await page.getByRole('button', { name: 'Подтвердить' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Запись подтверждена' })).toBeVisible();
    const appointmentId = /\/appointments\/([0-9a-f-]{36})\?done=1$/.exec(page.url())?.[1];
    expect(appointmentId, `done page address ${page.url()}`).toBeTruthy();
    cleanup.push({ page, id: appointmentId! });
    await expect(row('Дата и время')).toContainText(time);
  } finally {
    for (const c of cleanup)
      await apiCall(c.page, 'POST', `/api/appointments/${c.id}/cancel`, {}, { allowFailure: true });
    await apiCall(page, 'DELETE', `/api/holds/${taken.id}`, {}, { allowFailure: true });
    await otherContext.close();
  }
});
