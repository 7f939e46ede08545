// The patient pages on a phone (SPEC §9): at 320 px the card file, the specialty question,
// the doctor's schedule (public and in the journey) and the check page fit the screen
// without horizontal scrolling and pass the accessibility check.
import { expect, test } from '@playwright/test';
import { demo, loginViaApi } from './support.js';
import {
  demoPeople,
  doctorWithFreeTime,
  expectAccessible,
  expectNoHorizontalScroll,
  futureVisits,
  personCard,
  personNamed,
  showSlotDay,
  slotLabel,
} from './patient-support.js';

test.use({ viewport: { width: 320, height: 800 } });

test('the card file with visits fits a 320 px screen', async ({ page }) => {
  await loginViaApi(page, demo.patient.email);
  await page.goto('/cardfile');
  await expect(page.getByRole('heading', { level: 1, name: 'Моя картотека' })).toBeVisible();
  await expect(futureVisits(personCard(page, demoPeople.main)).first()).toBeVisible();
  await expectNoHorizontalScroll(page);
  await expectAccessible(page);
});

test('the specialty question, the schedules and the check page fit a 320 px screen', async ({ page }) => {
  await loginViaApi(page, demo.single.email);
  const petrov = await personNamed(page, demoPeople.single);
  const { doctor, slot } = await doctorWithFreeTime(page, 'кардиолог');

  await page.goto(`/book/${petrov.id}/specialty`);
  await expect(page.getByRole('radio', { name: 'Кардиолог', exact: true })).toBeVisible();
  await expectNoHorizontalScroll(page);
  await expectAccessible(page);

  await page.goto(`/doctors/${doctor.id}`);
  await expect(page.getByRole('heading', { level: 1, name: `Расписание врача: ${doctor.name}` })).toBeVisible();
  await expect(page.locator('.schedule .slot').first()).toBeVisible();
  await expectNoHorizontalScroll(page);
  await expectAccessible(page);

  await page.goto(`/book/${petrov.id}/doctor/${doctor.id}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Выберите дату и время' })).toBeVisible();
  // One day at a time on a phone: the time's day first, in the day picker.
  await showSlotDay(page, slot);
  const freeTime = page.getByRole('button', { name: `${slotLabel(slot)}, свободно`, exact: true });
  await expect(freeTime).toBeVisible();
  await expectNoHorizontalScroll(page);
  await expectAccessible(page);

  await freeTime.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Проверьте данные записи' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Подтвердить' })).toBeVisible();
  await expectNoHorizontalScroll(page);
  await expectAccessible(page);

  // «Отмена» releases the held time and returns to the schedule.
  const slotId = /\/check\/(\d+)/.exec(page.url())![1];
  await page.getByRole('button', { name: 'Отмена', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Выберите дату и время' })).toBeVisible();
  const hold = await page.request.get(`/api/holds/${slotId}?personId=${petrov.id}`);
  expect(hold.status(), 'the hold was released').not.toBe(200);
});
