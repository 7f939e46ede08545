// Fixes seen while trying the portal (issue 19): the check page warns when the visit's cancel
// time has already passed, the done page names the registry's phone once, times say whose
// clock they are on («по времени Ижевска (МСК+1)»), and the error summary's link to a radio
// group puts focus on its first radio. Screenshots at 360 and 1280 px go to /tmp/fixes/.
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { CardFilePerson, DoctorSummary, HoldResponse } from '../../src/shared/api/index.js';
import { addDays } from '../../src/shared/time.js';
import {
  bookViaApi,
  cancelViaApi,
  doctorsWithFreeTime,
  expectAccessible,
  fullName,
  futureVisits,
  pastVisits,
  personCard,
  regionToday,
  scheduleSlots,
  visitRow,
} from './patient-support.js';
import { apiCall, apiGet, demo, loginViaApi } from './support.js';

const SHOTS = '/tmp/fixes';
mkdirSync(SHOTS, { recursive: true });

async function shoot(page: Page, name: string): Promise<void> {
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

interface OrganisationSettings {
  id: number;
  waitlistAllowed: boolean;
  cutoffOverride: string | null;
}

/** The organisation's own cut-off, as the operator sets it on «Настройки портала». */
async function setCutoff(operator: Page, org: OrganisationSettings, cutoffOverride: string | null): Promise<void> {
  await apiCall(operator, 'PUT', `/api/operator/organisations/${org.id}`, {
    waitlistAllowed: org.waitlistAllowed,
    cutoffOverride,
  });
}

test('booking tomorrow after the cancel time: the check page warns, the done page names the phone once', async ({
  browser,
}) => {
  // A browser elsewhere than the clinic (Moscow): the pages say whose clock their times are on.
  const patientContext = await browser.newContext({ timezoneId: 'Europe/Moscow' });
  const operatorContext = await browser.newContext();
  const page = await patientContext.newPage();
  const operator = await operatorContext.newPage();
  await loginViaApi(page, demo.single.email);
  await loginViaApi(operator, demo.operator.email);

  // A free time tomorrow of a doctor of «дерматовенеролог».
  const tomorrow = addDays(regionToday(), 1);
  let found: { doctor: DoctorSummary; slotId: number } | null = null;
  for (const doctor of await doctorsWithFreeTime(page, 'дерматовенеролог')) {
    const slot = (await scheduleSlots(page, doctor.id)).find((s) => s.state === 'free' && s.date === tomorrow);
    if (slot) {
      found = { doctor, slotId: slot.id };
      break;
    }
  }
  expect(found, 'a free time tomorrow').not.toBeNull();
  const { doctor, slotId } = found!;
  const { organisations } = await apiGet<{ organisations: OrganisationSettings[] }>(
    operator,
    '/api/operator/organisations',
  );
  const org = organisations.find((o) => o.id === doctor.organisation.id)!;
  const [person] = await apiGet<{ persons: CardFilePerson[] }>(page, '/api/cardfile').then((c) => c.persons);

  // The organisation closes online cancelling at 00:00 the day before: for tomorrow's visit that was last midnight.
  await setCutoff(operator, org, '00:00');
  let appointmentId: string | null = null;
  try {
    const hold = await apiCall(page, 'POST', '/api/holds', { slotId, personId: person.id });
    expect(((await hold.json()) as HoldResponse).cancelClosed).toBe(true);
    await page.goto(`/book/${person.id}/check/${slotId}?doctor=${doctor.id}&specialty=${doctor.specialty.id}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Проверьте данные записи' })).toBeVisible();
    const warning = page.locator('.notice-warning');
    await expect(warning).toContainText('Отменить этот визит через портал будет нельзя');
    await expect(warning).toContainText('уже прошло');
    await expect(warning).toContainText(doctor.organisation.phone);
    await expect(page.getByText('Время указано по времени Ижевска (МСК+1)')).toBeVisible();
    await expect(page.getByText(/Europe\/|GMT/)).toHaveCount(0);
    await expectAccessible(page);
    await shoot(page, 'check-cancel-closed');

    await page.getByRole('button', { name: 'Подтвердить' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Запись подтверждена' })).toBeVisible();
    appointmentId = new URL(page.url()).pathname.split('/').pop() ?? null;
    const main = page.locator('main');
    // The registry's phone once on the done page: under «Как отменить запись».
    const text = (await main.textContent()) ?? '';
    expect(text.split(doctor.organisation.phone).length - 1).toBe(1);
    await expect(main).toContainText('Отмена через портал закрыта');
    await expect(page.getByText('Время указано по времени Ижевска (МСК+1)')).toBeVisible();
    await expectAccessible(page);
    await shoot(page, 'done-cancel-closed');
  } finally {
    await setCutoff(operator, org, org.cutoffOverride);
    // With the region's cut-off back (18:00 today), the visit can be cancelled again: leave the demo as it was.
    if (appointmentId)
      await apiCall(page, 'POST', `/api/appointments/${appointmentId}/cancel`, {}, { allowFailure: true });
    await patientContext.close();
    await operatorContext.close();
  }
});

test('the error summary’s link to a radio group puts focus on its first radio', async ({ page }) => {
  await loginViaApi(page, demo.single.email);
  await page.goto('/cardfile/add');
  await page.getByRole('button', { name: /Сохранить|Добавить|Отправить/ }).click();
  const summary = page.locator('.error-summary');
  await expect(summary).toBeFocused();
  const link = summary.getByRole('link', { name: 'Укажите пол' });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page.getByRole('radio', { name: 'Мужской' })).toBeFocused();
  await expectAccessible(page);
  await shoot(page, 'error-summary-radio');
});

test('a cancelled visit whose time has not come stays among the future visits; the words agree with his sex', async ({
  page,
}) => {
  await loginViaApi(page, demo.single.email);
  const [person] = (await apiGet<{ persons: CardFilePerson[] }>(page, '/api/cardfile')).persons;
  const booked = await bookViaApi(page, { personId: person.id, specialty: 'дерматовенеролог' });
  await cancelViaApi(page, booked.id);
  await page.goto('/cardfile');
  const card = personCard(page, fullName(person));
  const row = visitRow(futureVisits(card), booked.reference);
  await expect(row).toContainText('Отменена');
  await expect(row.getByRole('button', { name: /^Отменить визит/ })).toHaveCount(0);
  await expect(visitRow(pastVisits(card), booked.reference)).toHaveCount(0);
  // Петров Алексей Викторович: «Подтверждён», and his booked visits «Записан».
  await expect(card.locator('.tag').filter({ hasText: /^Статус данных: Подтверждён$/ })).toBeVisible();
  await expectAccessible(page);
  await shoot(page, 'cardfile-cancelled-future');
});
