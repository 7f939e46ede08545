// The doctor's journey: Волков signs in and lands on «Приём пациентов», sees Anna among his
// patients, tries a follow-up with himself (refused: she already has a therapist's visit
// ahead) and books one with a colleague. The registry cancels it afterwards through the API,
// so the demo people stay as they were.
import { expect, test } from '@playwright/test';
import type { DoctorPatientsResponse, StaffPatientResponse } from '../../src/shared/api/index.js';
import {
  apiCall,
  apiGet,
  demo,
  DEMO_PASSWORD,
  expectFitsNarrowScreen,
  expectNoA11yViolations,
  loginViaApi,
} from './support.js';
import { backLink, chooseRadio, demoPeople, loginThroughPage } from './patient-support.js';

const doctorAccount = { email: 'doctor@example.org', password: DEMO_PASSWORD };

test('a patient cannot open the doctor’s pages', async ({ page }) => {
  await loginViaApi(page, demo.patient.email);
  await page.goto('/doctor');
  await expect(page.getByRole('heading', { level: 1, name: 'Недостаточно прав' })).toBeVisible();
  expect((await page.request.get('/api/doctor/patients')).status()).toBe(403);
});

test('the doctor sees his patients and books a follow-up with a colleague', async ({ page, browser }) => {
  await loginThroughPage(page, doctorAccount.email, doctorAccount.password);
  await expect(page).toHaveURL(/\/doctor$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Приём пациентов' })).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Основное меню' }).getByRole('link', { name: 'Приём пациентов' }),
  ).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: /^Сегодня, / })).toBeVisible();
  const list = await apiGet<DoctorPatientsResponse>(page, '/api/doctor/patients');
  expect(list.doctor.name).toBe('Волков Андрей Геннадьевич');
  await expectNoA11yViolations(page);
  await expectFitsNarrowScreen(page);

  // Anna's visit at the registry is in his list, with her name.
  const annaRow = page.locator('li.doctor-appointment').filter({ hasText: demoPeople.main }).first();
  await expect(annaRow).toBeVisible();
  await annaRow.getByRole('link', { name: `Записать на повторный приём — ${demoPeople.main}` }).click();
  await expect(page).toHaveURL(/\/doctor\/patients\/[0-9a-f-]+\/book$/);
  const patientId = new URL(page.url()).pathname.split('/')[3];

  // With himself first: refused, Anna already has a therapist's visit ahead (one per specialty).
  await expect(
    page.getByRole('heading', { level: 1, name: 'К какому врачу записать на повторный приём' }),
  ).toBeVisible();
  await expect(page.getByText(`Пациент: ${demoPeople.main}`)).toBeVisible();
  await expectNoA11yViolations(page);
  await chooseRadio(page, 'Волков Андрей Геннадьевич (к себе)');
  await page.getByRole('button', { name: 'Продолжить' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Выберите дату и время' })).toBeVisible();
  await page.locator('button.slot-free').first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Проверьте данные записи' })).toBeVisible();
  await page.getByRole('button', { name: 'Записать пациента' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('уже есть предстоящая запись к врачу этой специальности');
  await expectNoA11yViolations(page);

  // A colleague, the endocrinologist, instead.
  await page.goto(`/doctor/patients/${patientId}/book`);
  await chooseRadio(page, 'Максимов Игорь Владимирович');
  await page.getByRole('button', { name: 'Продолжить' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Выберите дату и время' })).toBeVisible();
  await expect(page.getByText('Эндокринолог', { exact: true })).toBeVisible();
  await expectNoA11yViolations(page);
  await page.locator('button.slot-free').first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Проверьте данные записи' })).toBeVisible();
  await expect(backLink(page)).toBeVisible();
  await page.getByRole('button', { name: 'Записать пациента' }).click();

  await expect(page).toHaveURL(/\/doctor$/);
  const panel = page.getByRole('status').filter({ hasText: 'Пациент записан' });
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('Максимов Игорь Владимирович');
  await expect(panel).toContainText(demoPeople.main);
  const reference = (await panel.locator('strong').first().textContent())!.trim();
  await expectNoA11yViolations(page);

  // The registry sees it as the doctor's booking, then cancels it (clean-up).
  const desk = await browser.newContext();
  const deskPage = await desk.newPage();
  await loginViaApi(deskPage, 'registrar@example.org');
  const anna = await apiGet<StaffPatientResponse>(deskPage, `/api/desk/patients/${patientId}`);
  const followUp = anna.visits.find((v) => v.reference === reference)!;
  expect(followUp).toMatchObject({
    source: 'doctor',
    status: 'booked',
    doctor: { name: 'Максимов Игорь Владимирович' },
  });
  await apiCall(deskPage, 'POST', `/api/desk/appointments/${followUp.id}/cancel`, { by: 'clinic' });
  await desk.close();
});
