// The clinic's schedule editor (issue 16): the clinic administrator adds a doctor (on the
// catalogue's «Добавить врача» page), opens the doctor's «Расписание», writes a template with a
// break and a registry quota, sees the preview, saves it, adds a day off; the portal then
// shows the doctor's portal times only. Each page passes axe, at 1280 px and at 360 px.
import { expect, test, type Page } from '@playwright/test';
import { demo, expectFitsNarrowScreen, expectNoA11yViolations, loginViaApi, logoutViaApi } from './support.js';
import { chooseRadio } from './patient-support.js';

const clinicAdmin = 'clinicadmin@example.org';

/** The local date in Samara (the demo clinic's zone) `days` from now. */
function samaraDate(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Samara' }).format(
    new Date(Date.now() + days * 86_400_000),
  );
}

/** Full-page screenshots at 1280 and 360 px, and at 360 px the screen around `focus` (to look at). */
async function screenshots(page: Page, name: string, focus: string): Promise<void> {
  await page.screenshot({ path: `test-results/clinic-schedule/${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 360, height: 800 });
  await page.screenshot({ path: `test-results/clinic-schedule/${name}-360.png`, fullPage: true });
  await page.getByRole('heading', { name: focus }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `test-results/clinic-schedule/${name}-360-screen.png` });
  await expectFitsNarrowScreen(page, 360);
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('a patient and a signed-out visitor cannot open the schedule editor', async ({ page }) => {
  await page.goto('/clinic/schedules');
  await expect(page).toHaveURL(/\/login\?next=%2Fclinic%2Fschedules$/);
  await loginViaApi(page, demo.patient.email);
  await page.goto('/clinic/schedules');
  await expect(page.getByRole('heading', { level: 1, name: 'Недостаточно прав' })).toBeVisible();
  expect((await page.request.get('/api/clinic/schedule-doctors')).status()).toBe(403);
});

test('the clinic administrator gives a new doctor a template, previews and saves it; the portal shows the portal times', async ({
  page,
}) => {
  await loginViaApi(page, clinicAdmin);
  // The new doctor, added on the clinic's own page.
  await page.goto('/clinic');
  await page.getByRole('link', { name: 'Добавить врача' }).click();
  await page.getByRole('textbox', { name: 'Фамилия' }).fill('Шаблонова');
  await page.getByRole('textbox', { name: 'Имя' }).fill('Вера');
  await page.getByRole('textbox', { name: /Отчество/ }).fill('Игоревна');
  await page.getByLabel('Специальность').selectOption({ label: 'терапевт' });
  await page.getByRole('textbox', { name: /Должность/ }).fill('врач-терапевт');
  await page.getByRole('textbox', { name: 'Кабинет' }).fill('214');
  await page.getByRole('button', { name: 'Добавить врача' }).click();
  await expect(page).toHaveURL(/\/clinic\/doctors\/\d+$/);
  await expect(page.getByText('Врач добавлен')).toBeVisible();
  const doctorId = Number(/\/clinic\/doctors\/(\d+)$/.exec(page.url())![1]);
  await expect(page.getByRole('link', { name: 'Шаблон расписания, квоты и исключения' })).toHaveAttribute(
    'href',
    `/clinic/schedules/${doctorId}`,
  );

  // The list of doctors, from the header: the new one has no template.
  await page.goto('/clinic');
  await page.getByRole('navigation', { name: 'Основное меню' }).getByRole('link', { name: 'Расписание' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Расписание врачей: шаблоны' })).toBeVisible();
  const item = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Шаблонова Вера Игоревна' }) });
  await expect(item).toContainText('Шаблона нет.');
  await expectNoA11yViolations(page);
  await item.getByRole('link', { name: 'Шаблонова Вера Игоревна' }).click();

  // The editor: one rule to start with.
  await expect(
    page.getByRole('heading', { level: 1, name: 'Расписание врача: Шаблонова Вера Игоревна' }),
  ).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/clinic/schedules/${doctorId}$`));
  await expect(page.getByText('Исключений впереди нет.')).toBeVisible();
  await expectNoA11yViolations(page);

  // Every day of the week (so tomorrow is a working day whatever today is), 09:00-11:00 by
  // 30 minutes, a break 10:00-10:30, a quarter of the time for the registry.
  for (const day of ['Суббота', 'Воскресенье']) await page.getByText(day, { exact: true }).click();
  await page.getByRole('textbox', { name: 'Начало приёма' }).first().fill('09:00');
  await page.getByRole('textbox', { name: 'Конец приёма' }).first().fill('11:00');
  await page.getByRole('textbox', { name: 'Длительность приёма, мин' }).first().fill('30');
  await page.getByRole('button', { name: 'Добавить перерыв' }).click();
  await page.getByRole('textbox', { name: 'Перерыв 1: начало' }).fill('10:00');
  await page.getByRole('textbox', { name: 'Перерыв 1: конец' }).fill('10:30');
  await page.getByRole('textbox', { name: 'Доля регистратуры, %' }).fill('25');

  // A mistake first: the error summary names it, nothing is saved.
  await page.getByRole('textbox', { name: 'Конец приёма' }).first().fill('08:00');
  await page.getByRole('button', { name: 'Показать, что получится' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Исправьте ошибки' });
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link', { name: 'Конец приёма должен быть позже начала' })).toBeVisible();
  await expectNoA11yViolations(page);
  await page.getByRole('textbox', { name: 'Конец приёма' }).first().fill('11:00');

  await page.getByRole('button', { name: 'Показать, что получится' }).click();
  const preview = page.getByRole('region', { name: 'Что получится' });
  await expect(preview).toBeVisible();
  await expect(preview).toContainText('Ни одна запись пациентов не затронута.');
  const tomorrow = preview.getByRole('region').filter({ has: page.locator(`#preview-${samaraDate(1)}`) });
  await expect(tomorrow.getByRole('listitem')).toHaveText([
    '09:00–09:30портал',
    '09:30–10:00регистратура',
    '10:30–11:00портал',
  ]);
  await expectNoA11yViolations(page);
  await screenshots(page, 'preview', 'Что получится');

  await preview.getByRole('button', { name: 'Сохранить шаблон' }).click();
  await expect(page.getByText(/Шаблон сохранён\. Создано свободного времени: \d+, убрано: 0\./)).toBeVisible();
  await expectNoA11yViolations(page);

  // A day off the day after tomorrow, for this doctor only.
  const dayOff = samaraDate(2);
  await page.getByRole('textbox', { name: 'Дата' }).fill(dayOff);
  await chooseRadio(page, 'Выходной');
  await page.getByRole('textbox', { name: 'Комментарий' }).fill('Учёба');
  await page.getByRole('button', { name: 'Добавить исключение' }).click();
  await expect(page.getByRole('button', { name: /^Удалить исключение на / })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'Выходной. Учёба' })).toBeVisible();
  await expectNoA11yViolations(page);
  await screenshots(page, 'saved', 'Добавить исключение');

  // The portal: the doctor's schedule shows 09:00 and 10:30 tomorrow, not the registry's 09:30,
  // and nothing on the day off.
  await logoutViaApi(page);
  await page.goto(`/doctors/${doctorId}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Шаблонова');
  const day = page.locator(`[role="row"]:has(#day-${samaraDate(1)})`);
  await expect(day.locator('.slot-time')).toHaveText(['09:00', '10:30']);
  await expect(page.locator(`[role="row"]:has(#day-${dayOff}) .slot-time`)).toHaveCount(0);
  await expectNoA11yViolations(page);

  // The registry desk sees every time, the registry's marked, and reaches the template from there.
  await loginViaApi(page, 'registrar@example.org');
  await page.goto(`/desk/schedules/${doctorId}`);
  const deskDay = page.locator(`section[aria-labelledby="day-${samaraDate(1)}"]`);
  await expect(deskDay.getByRole('button', { name: /09:30, для регистратуры, свободно/ })).toContainText(
    'Регистратура',
  );
  await expectNoA11yViolations(page);
  await page.getByRole('link', { name: 'Шаблон расписания, квоты и исключения' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Расписание врача: Шаблонова Вера Игоревна' }),
  ).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Доля регистратуры, %' })).toHaveValue('25');
});
