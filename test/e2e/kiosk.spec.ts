// The infomat in a browser: a registrar switches a touch-screen browser to kiosk mode; a
// patient identifies with the полис and date of birth on the digit pad, books, sees the done
// screen; the screen clears itself after a minute without a touch (fast-forwarded with
// Playwright's clock); the patient comes back and cancels by touch; the registrar switches
// the kiosk off. The patient's part uses tap() only: no fill, no typing, no keyboard.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { DEMO_PATIENT_DOCUMENTS } from '../../src/server/db/seed/demo-people.js';
import { demoPeople, personNamed } from './patient-support.js';
import { apiCall, demo, DEMO_PASSWORD, expectNoA11yViolations, loginViaApi } from './support.js';

const REGISTRAR = 'registrar@example.org';
const anna = DEMO_PATIENT_DOCUMENTS.main;
// Specialties the other journeys leave alone (Anna already has a стоматолог visit from an infomat).
const QUIET_SPECIALTIES = ['Уролог', 'Дерматовенеролог', 'Эндокринолог'];

test.use({ hasTouch: true, isMobile: false, viewport: { width: 1080, height: 1400 } });

function pad(page: Page): Locator {
  return page.getByRole('group', { name: /Цифровая клавиатура/ });
}

/** Types digits on the on-screen pad by touch. */
async function tapDigits(page: Page, digits: string): Promise<void> {
  for (const d of digits) await pad(page).getByRole('button', { name: d, exact: true }).tap();
}

/** 'YYYY-MM-DD' -> the ДД ММ ГГГГ digits the pad takes. */
function birthDigits(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}${m}${y}`;
}

async function identifyAnna(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Начать' }).tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Введите номер полиса ОМС' })).toBeVisible();
  await tapDigits(page, anna.policy);
  await expect(page.locator('#kiosk-policy')).toContainText(anna.policy.replace(/(\d{4})(?=\d)/g, '$1 '));
  await page.getByRole('button', { name: 'Далее' }).tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Введите дату рождения' })).toBeVisible();
  await tapDigits(page, birthDigits(anna.birthDate));
  await page.getByRole('button', { name: 'Найти мои записи' }).tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Здравствуйте, Анна Сергеевна!' })).toBeVisible();
}

/** From the patient's visits to the check screen: a quiet specialty, its first doctor, the last day offered, its first time. */
async function chooseQuietTime(page: Page): Promise<{ doctorName: string; timeText: string }> {
  await page.getByRole('button', { name: 'Записаться к врачу' }).tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Выберите специалиста' })).toBeVisible();
  await expect(page.locator('.kiosk-choices')).toBeVisible();
  let specialty: Locator | null = null;
  for (const name of QUIET_SPECIALTIES) {
    const button = page.getByRole('button', { name: new RegExp(`^${name}`) });
    if ((await button.count()) > 0) {
      specialty = button;
      break;
    }
  }
  expect(specialty, 'a quiet specialty is bookable at the kiosk').not.toBeNull();
  await specialty!.tap();
  await expect(page.getByRole('heading', { level: 1, name: /выберите врача/ })).toBeVisible();
  await expect(page.locator('.kiosk-choices')).toBeVisible();
  const doctor = page.locator('.kiosk-choices button').first();
  const doctorName = (await doctor.locator('.kiosk-choice-title').innerText()).trim();
  await doctor.tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Выберите день' })).toBeVisible();
  await expect(page.locator('.kiosk-choices')).toBeVisible();
  // The last day offered: its cut-off is days away whatever the time of the run, so the visit can be cancelled below.
  await page.locator('.kiosk-choices button').last().tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Выберите время' })).toBeVisible();
  const time = page.locator('.kiosk-times button').first();
  const timeText = (await time.innerText()).trim();
  await time.tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Проверьте запись' })).toBeVisible();
  await expect(page.getByText(doctorName).first()).toBeVisible();
  return { doctorName, timeText };
}

test('a registrar switches a touch screen to kiosk mode; a patient books by touch; the screen clears itself; the kiosk is switched off', async ({
  page,
  browser,
}) => {
  await page.clock.install();

  // ---- the registrar, on the device that will stand in the hall
  await loginViaApi(page, REGISTRAR, DEMO_PASSWORD);
  await page.goto('/kiosk/devices');
  await expect(page.getByRole('heading', { level: 1, name: 'Инфоматы' })).toBeVisible();
  await expectNoA11yViolations(page);
  const label = `Холл, 1 этаж (${Date.now().toString(36)})`;
  await page.getByLabel('Название инфомата').fill(label);
  await page.getByRole('button', { name: 'Включить режим инфомата на этом устройстве' }).click();
  await expect(page).toHaveURL(/\/kiosk$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Запись к врачу' })).toBeVisible();
  // Signed out of this browser; no header or footer of the portal.
  const session = (await (await page.request.get('/api/session')).json()) as { account: unknown };
  expect(session.account).toBeNull();
  await expect(page.locator('.site-header')).toHaveCount(0);
  await expect(page.getByText('Городская поликлиника № 1').first()).toBeVisible();
  await expectNoA11yViolations(page);

  // ---- the patient: touch only
  await identifyAnna(page);
  await expectNoA11yViolations(page);
  // A portal booking says where to cancel it.
  await expect(page.getByText('Эту запись можно отменить в личном кабинете на портале.').first()).toBeVisible();

  const { doctorName, timeText } = await chooseQuietTime(page);
  await page.getByRole('button', { name: 'Записаться', exact: true }).tap();

  await expect(page.getByRole('heading', { level: 1, name: 'Вы записаны' })).toBeVisible();
  const reference = (await page.locator('.kiosk-reference-value').innerText()).trim();
  expect(reference).toMatch(/^ПР-[0-9A-Z]{8}$/);
  const done = page.locator('.kiosk-main');
  await expect(done).toContainText(doctorName);
  await expect(done).toContainText(timeText);
  await expect(done).toContainText('Кабинет');
  await expect(page.getByRole('button', { name: 'Готово' })).toBeVisible();
  await expectNoA11yViolations(page);

  // ---- a minute without a touch: «Вы здесь?»; a touch keeps the screen
  await page.clock.fastForward('01:01');
  const warning = page.getByRole('alertdialog', { name: 'Вы здесь?' });
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('Экран очистится через');
  await expectNoA11yViolations(page);
  await warning.getByRole('button', { name: 'Да, я здесь' }).tap();
  await expect(warning).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: 'Вы записаны' })).toBeVisible();

  // ---- and without a touch again: after the warning's ten seconds, nothing of the patient is left
  await page.clock.fastForward('01:01');
  await expect(warning).toBeVisible();
  await page.clock.fastForward('00:11');
  await expect(page.getByRole('heading', { level: 1, name: 'Запись к врачу' })).toBeVisible();
  await expect(warning).toBeHidden();
  const body = page.locator('body');
  await expect(body).not.toContainText(reference);
  await expect(body).not.toContainText('Анна');
  await expect(body).not.toContainText(doctorName);
  await expect(page.getByRole('button', { name: 'Завершить' })).toHaveCount(0);

  // ---- the patient comes back and cancels the visit just made (a kiosk booking: allowed before the cut-off)
  await identifyAnna(page);
  const card = page.locator('.kiosk-card', { hasText: doctorName });
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('Запись сделана на инфомате');
  await card.getByRole('button', { name: /Отменить запись/ }).tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Отменить запись?' })).toBeVisible();
  await page.getByRole('button', { name: 'Да, отменить запись' }).tap();
  await expect(page.getByRole('status').filter({ hasText: 'отменена' })).toBeVisible();
  await expect(page.locator('.kiosk-card', { hasText: doctorName })).toHaveCount(0);
  // «Завершить» clears the screen at once.
  await page.getByRole('button', { name: 'Завершить' }).tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Запись к врачу' })).toBeVisible();
  await expect(body).not.toContainText('Анна');

  // ---- the registrar, at the desk, switches the kiosk off; the kiosk stops at once
  const desk = await browser.newContext();
  try {
    const deskPage = await desk.newPage();
    await loginViaApi(deskPage, REGISTRAR, DEMO_PASSWORD);
    await deskPage.goto('/kiosk/devices');
    const row = deskPage.getByRole('row', { name: new RegExp(label.replace(/[()]/g, '\\$&')) });
    await expect(row).toContainText('Работает');
    await expectNoA11yViolations(deskPage);
    await row.getByRole('button', { name: /Выключить/ }).click();
    await deskPage.getByRole('alertdialog').getByRole('button', { name: 'Выключить', exact: true }).click();
    await expect(deskPage.getByText('Инфомат выключен')).toBeVisible();
    await expect(row).toContainText('Выключен');
  } finally {
    await desk.close();
  }
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Это устройство не работает как инфомат' })).toBeVisible();
  await expectNoA11yViolations(page);
});

test('a time taken while the patient checks it: the kiosk names the doctor’s nearest free times, and one is booked by touch', async ({
  page,
  browser,
}) => {
  await loginViaApi(page, REGISTRAR, DEMO_PASSWORD);
  await page.goto('/kiosk/devices');
  await page.getByLabel('Название инфомата').fill(`Холл, 2 этаж (${Date.now().toString(36)})`);
  await page.getByRole('button', { name: 'Включить режим инфомата на этом устройстве' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Запись к врачу' })).toBeVisible();

  await identifyAnna(page);
  const { doctorName } = await chooseQuietTime(page);

  // Meanwhile a patient on the portal holds that very time: the kiosk's «Записаться» is refused.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  let takenSlotId: number | null = null;
  try {
    await loginViaApi(other, demo.single.email);
    const petrov = await personNamed(other, demoPeople.single);
    await page.route(
      '**/api/kiosk/appointments',
      async (route) => {
        takenSlotId = (route.request().postDataJSON() as { slotId: number }).slotId;
        await apiCall(other, 'POST', '/api/holds', { slotId: takenSlotId, personId: petrov.id });
        await route.continue();
      },
      { times: 1 },
    );
    await page.getByRole('button', { name: 'Записаться', exact: true }).tap();
    await expect(page.getByRole('alert')).toContainText('Это время только что заняли. Выберите другое время.');
    const nearest = page.getByRole('region', { name: 'Ближайшее свободное время у этого врача' });
    await expect(nearest).toBeVisible();
    const times = nearest.getByRole('button');
    expect(await times.count()).toBeGreaterThan(0);
    expect(await times.count()).toBeLessThanOrEqual(10);
    await expect(page.getByRole('button', { name: 'Выбрать другое время' })).toBeVisible();
    await expectNoA11yViolations(page);

    // One touch on a named time opens its own check screen; «Записаться» books it.
    const chosen = times.first();
    const chosenTime = (await chosen.locator('.kiosk-choice-title').innerText()).trim();
    expect(chosenTime).toMatch(/^\d{2}:\d{2}$/);
    await chosen.tap();
    await expect(page.getByRole('heading', { level: 1, name: 'Проверьте запись' })).toBeVisible();
    await expect(nearest).toHaveCount(0);
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.locator('.kiosk-facts')).toContainText(chosenTime);
    await expect(page.locator('.kiosk-facts')).toContainText(doctorName);
    const booking = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/kiosk/appointments'));
    await page.getByRole('button', { name: 'Записаться', exact: true }).tap();
    expect(((await booking).postDataJSON() as { slotId: number }).slotId).not.toBe(takenSlotId);
    await expect(page.getByRole('heading', { level: 1, name: 'Вы записаны' })).toBeVisible();
    await expect(page.locator('.kiosk-main')).toContainText(chosenTime);
    await expect(page.locator('.kiosk-main')).toContainText(doctorName);
    await expectNoA11yViolations(page);

    // Leave the demo data as it was: the visit cancelled at the kiosk, the portal hold released.
    await page.getByRole('button', { name: 'Готово' }).tap();
    await identifyAnna(page);
    const card = page.locator('.kiosk-card', { hasText: doctorName });
    await card.getByRole('button', { name: /Отменить запись/ }).tap();
    await page.getByRole('button', { name: 'Да, отменить запись' }).tap();
    await expect(page.getByRole('status').filter({ hasText: 'отменена' })).toBeVisible();
    await page.getByRole('button', { name: 'Завершить' }).tap();
    if (takenSlotId !== null) await apiCall(other, 'DELETE', `/api/holds/${takenSlotId}`);
  } finally {
    await otherContext.close();
  }
});

test('the kiosk screen on a browser that was never switched on explains how to switch it on', async ({ page }) => {
  await page.goto('/kiosk');
  await expect(page.getByRole('heading', { level: 1, name: 'Это устройство не работает как инфомат' })).toBeVisible();
  await expect(page.getByRole('link', { name: '«Инфоматы»' })).toHaveAttribute('href', '/kiosk/devices');
  await expectNoA11yViolations(page);
});
