// Cancelling (SPEC §7): from the card file («Отменить визит», then confirm), from the
// doctor's schedule (own appointments in a red frame with an icon and «Ваша запись»; other
// people's only «Занято»), and the refusal once the cut-off before the visit has passed.
import { expect, test } from '@playwright/test';
import type { AppointmentDetail, ErrorBody } from '../../src/shared/api/index.js';
import { FILLER_PEOPLE } from '../../src/server/db/seed/demo-data.js';
import { apiGet, csrfToken, demo, loginViaApi } from './support.js';
import {
  bookViaApi,
  cancelViaApi,
  demoPeople,
  expectAccessible,
  futureVisits,
  pastVisits,
  personCard,
  personNamed,
  scheduleSlots,
  visitRow,
} from './patient-support.js';

test('«Отменить визит» in the card file asks for confirmation, cancels and says so', async ({ page }) => {
  await loginViaApi(page, demo.patient.email);
  const anna = await personNamed(page, demoPeople.main);
  // A specialty she has no upcoming visit to (one per specialty and person).
  const specialty = ['хирург', 'кардиолог', 'эндокринолог'].find(
    (s) => !anna.futureVisits.some((v) => v.status === 'booked' && v.doctor.specialty === s),
  )!;
  const booked = await bookViaApi(page, { personId: anna.id, specialty });
  expect(booked.cancellable).toBe(true);

  await page.goto('/cardfile');
  const card = personCard(page, demoPeople.main);
  const row = visitRow(futureVisits(card), booked.reference);
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(booked.doctor.name);
  await row.getByRole('button', { name: /^Отменить визит/ }).click();

  const dialog = page.getByRole('alertdialog', { name: 'Отменить визит?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(booked.doctor.name);
  await expect(dialog).toContainText('будет отменена');
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Отменить визит', exact: true }).click();

  await expect(dialog).toBeHidden();
  const status = page.getByRole('status').filter({ hasText: 'Визит отменён' });
  await expect(status).toBeVisible();
  await expect(status).toContainText(`(${specialty}: ${booked.doctor.name}) отменена.`);
  await expect(status.locator('.notice')).toBeFocused();
  // Still among the future visits (its time has not come), marked cancelled; not under «Прошедшие визиты».
  await expect(row).toContainText('Отменена');
  await expect(row.getByRole('button', { name: /^Отменить визит/ })).toHaveCount(0);
  await expect(visitRow(pastVisits(card), booked.reference)).toHaveCount(0);
  await expectAccessible(page);
  expect((await apiGet<AppointmentDetail>(page, `/api/appointments/${booked.id}`)).status).toBe('cancelled');
});

test('in the doctor’s schedule the own appointment is framed and marked, and can be cancelled there', async ({
  page,
}) => {
  await loginViaApi(page, demo.single.email);
  const petrov = await personNamed(page, demoPeople.single);
  const booked = await bookViaApi(page, { personId: petrov.id, specialty: 'невролог' });
  try {
    const slot = (await scheduleSlots(page, booked.doctor.id)).find((s) => s.appointmentId === booked.id)!;
    expect(slot.state).toBe('mine');

    await page.goto(`/doctors/${booked.doctor.id}`);
    await expect(
      page.getByRole('heading', { level: 1, name: `Расписание врача: ${booked.doctor.name}` }),
    ).toBeVisible();
    const schedule = page.locator('.schedule');

    // The own appointment: red frame (class and style), an icon and the words «Ваша запись».
    const mine = schedule.getByRole('button', { name: /, Ваша запись$/ });
    await expect(mine).toHaveCount(1);
    await expect(mine).toHaveClass(/\bslot-mine\b/);
    await expect(mine).toContainText(slot.time);
    await expect(mine).toContainText('Ваша запись');
    await expect(mine.locator('svg.slot-icon')).toHaveCount(1);
    const frame = await mine.evaluate((el) => {
      const s = getComputedStyle(el);
      return { width: s.borderTopWidth, style: s.borderTopStyle, color: s.borderTopColor };
    });
    expect(frame.style).toBe('solid');
    expect(parseFloat(frame.width)).toBeGreaterThanOrEqual(2);
    const [r, g, b] = frame.color.match(/\d+/g)!.map(Number);
    expect(r, `the frame colour ${frame.color} is red`).toBeGreaterThan(150);
    expect(Math.max(g, b)).toBeLessThan(100);

    // Other people's appointments: the time and «Занято», nobody's name.
    const busy = schedule.locator('.slot-busy');
    expect(await busy.count()).toBeGreaterThan(0);
    for (const text of await busy.allTextContents()) expect(text).toMatch(/^\d{1,2} [а-я]+, \d{2}:\d{2}Занято$/);
    const pageText = (await page.getByRole('main').textContent()) ?? '';
    const scheduleJson = await (await page.request.get(`/api/doctors/${booked.doctor.id}/schedule`)).text();
    for (const p of FILLER_PEOPLE) {
      const name = `${p.lastName} ${p.firstName}`;
      expect(pageText).not.toContain(name);
      expect(scheduleJson).not.toContain(name);
    }
    await expectAccessible(page);

    // Clicking it asks for confirmation; «Ок» cancels; the time is free again.
    const label = (await mine.getAttribute('aria-label'))!.replace(/, Ваша запись$/, '');
    await mine.click();
    const dialog = page.getByRole('alertdialog', { name: `Отменить запись на ${label}?` });
    await expect(dialog).toBeVisible();
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Ок', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: 'Запись отменена' })).toContainText(
      `Запись на ${label} отменена. Время стало свободным.`,
    );
    await expect(schedule.getByRole('button', { name: /, Ваша запись$/ })).toHaveCount(0);
    await expect(schedule.getByRole('link', { name: `${label}, свободно, записаться`, exact: true })).toBeVisible();
    await expectAccessible(page);
    expect((await apiGet<AppointmentDetail>(page, `/api/appointments/${booked.id}`)).status).toBe('cancelled');
  } finally {
    await cancelViaApi(page, booked.id);
  }
});

test('after the cut-off the card file offers no «Отменить визит», says why, and the API refuses', async ({ page }) => {
  await loginViaApi(page, demo.patient.email);
  const anna = await personNamed(page, demoPeople.main);
  // The demo seed's portal visit of patient@example.org starting soon after the server started.
  const late = anna.futureVisits.find((v) => v.source === 'portal' && v.status === 'booked' && !v.cancellable);
  expect(
    late,
    'the demo data has a future portal visit of patient@example.org past its cancellation cut-off',
  ).toBeTruthy();
  expect(late!.cancelBlockedReason).toMatch(/регистратур/);

  await page.goto('/cardfile');
  const row = visitRow(futureVisits(personCard(page, demoPeople.main)), late!.reference);
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('button', { name: /Отменить визит/ })).toHaveCount(0);
  await expect(row).toContainText(late!.cancelBlockedReason!);
  await expect(row.locator('.cancel-blocked')).toContainText('регистратур');
  await expectAccessible(page);

  // The doctor's schedule marks it as hers but explains instead of cancelling.
  await page.goto(`/doctors/${late!.doctor.id}`);
  const mine = page.locator('.schedule').getByRole('button', { name: /, Ваша запись$/ });
  await expect(mine).toHaveCount(1);
  await mine.click();
  const dialog = page.getByRole('dialog', { name: 'Отменить эту запись через портал нельзя' });
  await expect(dialog).toContainText('регистратур');
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Закрыть' }).click();
  await expect(dialog).toBeHidden();

  // The API refuses too, and the visit stays booked.
  const res = await page.request.post(`/api/appointments/${late!.id}/cancel`, {
    data: {},
    headers: { 'x-csrf-token': await csrfToken(page) },
  });
  expect(res.status()).toBe(409);
  const body = (await res.json()) as ErrorBody;
  expect(body.code).toBe('CUTOFF_PASSED');
  expect(body.message).toMatch(/регистратур/);
  expect((await apiGet<AppointmentDetail>(page, `/api/appointments/${late!.id}`)).status).toBe('booked');
});
