// The catalogue's management in the browser (issue 16): the clinic administrator signs in,
// lands on «Врачи», adds a doctor (a new ФИО, specialty, position, room), sees it on the
// doctor's page and in the list and the change log, and makes it inactive; the operator adds
// a specialty (only with a referral) and opens the organisations. Every page passes axe and
// is checked at 360 px; screenshots at 360 and 1280 px go to the test's output folder.
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { demo, expectFitsNarrowScreen, expectNoA11yViolations, loginViaApi } from './support.js';
import { loginThroughPage } from './patient-support.js';

// Invented, unique per run: the journeys share one database.
const tag = String(Date.now() % 100_000);
const doctor = {
  lastName: 'Загребина',
  firstName: 'Ольга',
  middleName: 'Николаевна',
  position: 'врач-терапевт участковый',
  room: `2${tag.slice(-2)}`,
};
const fullName = `${doctor.lastName} ${doctor.firstName} ${doctor.middleName}`;

/** Axe, the narrow screen, and screenshots at 360 and 1280 px. */
async function checkPage(page: Page, info: TestInfo, name: string): Promise<void> {
  await expectNoA11yViolations(page);
  await expectFitsNarrowScreen(page, 360);
  const previous = page.viewportSize();
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: info.outputPath(`${name}-${width}.png`), fullPage: true });
  }
  if (previous) await page.setViewportSize(previous);
}

test('a registrar and a patient are refused the clinic pages', async ({ page }) => {
  for (const email of ['registrar@example.org', demo.patient.email]) {
    await loginViaApi(page, email);
    await page.goto('/clinic');
    await expect(page.getByRole('heading', { level: 1, name: 'Недостаточно прав' })).toBeVisible();
    await expect(page.getByText('для администраторов медицинской организации')).toBeVisible();
    expect((await page.request.get('/api/clinic/doctors')).status()).toBe(403);
  }
  await expectNoA11yViolations(page);
});

test('the clinic administrator adds a doctor, sees it, finds it in the change log and makes it inactive', async ({
  page,
}, info) => {
  await loginThroughPage(page, demo.clinicAdmin.email);
  await expect(page).toHaveURL(/\/clinic$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Врачи' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Основное меню' });
  await expect(nav.getByRole('link', { name: 'Организация' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Волков Андрей Геннадьевич/ })).toBeVisible();
  await checkPage(page, info, 'clinic-doctors');

  await page.getByRole('link', { name: 'Добавить врача' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Добавить врача' })).toBeVisible();
  // Nothing filled in: the error summary takes focus and links to each field.
  await page.getByRole('button', { name: 'Добавить врача' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Исправьте ошибки' });
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link', { name: 'Введите фамилию' })).toBeVisible();
  await expect(summary.getByRole('link', { name: 'Выберите специальность' })).toBeVisible();
  await expect(summary.getByRole('link', { name: 'Введите номер кабинета' })).toBeVisible();
  await checkPage(page, info, 'clinic-doctor-errors');

  await page.getByRole('textbox', { name: 'Фамилия' }).fill(doctor.lastName);
  await page.getByRole('textbox', { name: 'Имя' }).fill(doctor.firstName);
  await page.getByRole('textbox', { name: /Отчество/ }).fill(doctor.middleName);
  await page.getByLabel('Специальность').selectOption({ label: 'терапевт' });
  await page.getByRole('textbox', { name: /Должность/ }).fill(doctor.position);
  await page.getByRole('textbox', { name: 'Кабинет' }).fill(doctor.room);
  await page.getByRole('button', { name: 'Добавить врача' }).click();

  // The doctor's page: where the schedule work adds «Расписание».
  await expect(page).toHaveURL(/\/clinic\/doctors\/\d+$/);
  await expect(page.getByRole('heading', { level: 1, name: fullName })).toBeVisible();
  await expect(page.getByText('Врач добавлен')).toBeVisible();
  await expect(page.getByText(doctor.position)).toBeVisible();
  await expect(page.getByText(doctor.room, { exact: true })).toBeVisible();
  await checkPage(page, info, 'clinic-doctor');
  const doctorUrl = page.url();

  // «Изменить» beside the room: the form comes filled in; saving returns to the doctor's page.
  await page.getByRole('link', { name: 'Изменить кабинет' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Изменить данные врача' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Фамилия' })).toHaveValue(doctor.lastName);
  await expect(page.getByLabel('Специальность')).toHaveValue(/^\d+$/);
  await checkPage(page, info, 'clinic-doctor-edit');
  const firstRoom = doctor.room;
  doctor.room = `3${tag.slice(-2)}`;
  await page.getByRole('textbox', { name: 'Кабинет' }).fill(doctor.room);
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page).toHaveURL(doctorUrl);
  await expect(page.getByText('Данные врача сохранены')).toBeVisible();
  await expect(page.getByText(doctor.room, { exact: true })).toBeVisible();

  await page.getByRole('link', { name: 'К списку врачей' }).click();
  const card = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: fullName }) });
  await expect(card).toContainText('терапевт');
  await expect(card).toContainText(doctor.room);

  await nav.getByRole('link', { name: 'Журнал изменений' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Журнал изменений' })).toBeVisible();
  const rows = page.locator('.staff-audit tbody tr');
  await expect(rows.first()).toContainText(`Изменены данные врача: ${fullName}`);
  await expect(rows.first()).toContainText(demo.clinicAdmin.email);
  await expect(rows.first()).toContainText(new RegExp(`Кабинет: ${firstRoom}.*${doctor.room}`));
  await expect(rows.nth(1)).toContainText(`Добавлен врач: ${fullName}`);
  await expect(rows.nth(1)).toContainText('Специальность: не задано');
  await checkPage(page, info, 'clinic-audit');

  await nav.getByRole('link', { name: 'Организация' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Организация' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Краткое название' })).toHaveValue(/Городская поликлиника № 1/);
  await expect(page.getByLabel('Часовой пояс')).toHaveValue('Europe/Samara');
  await checkPage(page, info, 'clinic-organisation');

  // Inactive: after a confirmation; the patients' catalogue no longer has the doctor.
  await page.goto(doctorUrl);
  const id = doctorUrl.split('/').at(-1);
  await expect(page.getByRole('link', { name: 'Шаблон расписания, квоты и исключения' })).toHaveAttribute(
    'href',
    `/clinic/schedules/${id}`,
  );
  await page.getByRole('button', { name: 'Сделать неактивным' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('сначала перенесите или отмените их');
  await expectNoA11yViolations(page);
  await dialog.getByRole('button', { name: 'Сделать неактивным' }).click();
  await expect(page.getByText('Врач стал неактивным')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Сделать активным' })).toBeVisible();
  expect((await page.request.get(`/api/doctors/${id}/schedule`)).status()).toBe(404);
});

test('a demo doctor with booked visits cannot be made inactive: the dialog says how many', async ({ page }) => {
  await loginViaApi(page, demo.clinicAdmin.email);
  await page.goto('/clinic');
  await page.getByRole('link', { name: /Волков Андрей Геннадьевич/ }).click();
  await page.getByRole('button', { name: 'Сделать неактивным' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Сделать неактивным' }).click();
  await expect(page.getByRole('alertdialog').getByRole('alert')).toContainText(
    /У врача \d+ будущ(ая запись|ие записи|их записей) пациентов\. Перенесите или отмените их/,
  );
  await expectNoA11yViolations(page);
  await page.getByRole('alertdialog').getByRole('button', { name: 'Отмена' }).click();
  await expect(page.getByText('Работает, доступен для записи')).toBeVisible();
});

test('the operator adds a specialty only with a referral and opens the organisations', async ({ page }, info) => {
  const name = `гастроэнтеролог ${tag}`;
  await loginViaApi(page, demo.operator.email);
  await page.goto('/operator/specialties');
  await expect(page.getByRole('heading', { level: 1, name: 'Специальности' })).toBeVisible();
  await checkPage(page, info, 'operator-specialties');

  await page.getByRole('link', { name: 'Добавить специальность' }).click();
  await page.getByRole('textbox', { name: 'Название' }).fill(name);
  await page.getByRole('textbox', { name: /Возраст от/ }).fill('18');
  await page.getByRole('textbox', { name: /Возраст до/ }).fill('10');
  await page.getByRole('radio', { name: 'Только по направлению врача' }).check({ force: true });
  await page.getByRole('button', { name: 'Добавить специальность' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Исправьте ошибки' });
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Возраст до должен быть больше, чем возраст от');
  await checkPage(page, info, 'operator-specialty-errors');

  await page.getByRole('textbox', { name: /Возраст до/ }).fill('');
  await page.getByRole('button', { name: 'Добавить специальность' }).click();
  await expect(page).toHaveURL(/\/operator\/specialties$/);
  await expect(page.getByText(`Специальность «${name}» добавлена`)).toBeVisible();
  const card = page.getByRole('listitem').filter({ has: page.getByRole('link', { name }) });
  await expect(card).toContainText('с 18 лет');
  await expect(card).toContainText('Только по направлению');

  await page.getByRole('navigation', { name: 'Основное меню' }).getByRole('link', { name: 'Организации' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Медицинские организации' })).toBeVisible();
  await checkPage(page, info, 'operator-organisations');
  await page.getByRole('link', { name: /Городская поликлиника № 1$/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Изменить организацию' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Адрес' }).fill('');
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Исправьте ошибки' })).toContainText('Введите адрес');
  await checkPage(page, info, 'operator-organisation-edit');
});
