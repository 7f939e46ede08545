// The registry desk's journeys: a clerk signs in, finds Anna Иванова by полис, sees her
// visits from every channel, books her at the desk and cancels that visit with a reason;
// input errors in the error summary; registering a new patient; closing and opening a
// doctor's time. Bookings made here are cancelled again, so the demo people stay as they were.
import { expect, test, type Page } from '@playwright/test';
import type { ScheduleResponse, StaffDoctorsResponse, StaffPatientResponse } from '../../src/shared/api/index.js';
import { DEMO_PATIENT_DOCUMENTS } from '../../src/server/db/seed/demo-people.js';
import {
  apiGet,
  demo,
  DEMO_PASSWORD,
  expectFitsNarrowScreen,
  expectNoA11yViolations,
  inventPerson,
  loginViaApi,
} from './support.js';
import { backLink, chooseRadio, demoPeople, loginThroughPage } from './patient-support.js';

const registrar = { email: 'registrar@example.org', password: DEMO_PASSWORD };

async function searchByPolicy(page: Page, policy: string): Promise<void> {
  await chooseRadio(page, 'По номеру полиса ОМС');
  await page.getByRole('textbox', { name: 'Номер полиса ОМС' }).fill(policy);
  await page.getByRole('button', { name: 'Найти пациента' }).click();
}

test('a signed-out visitor goes to the login page; a patient is refused', async ({ page }) => {
  await page.goto('/desk');
  await expect(page).toHaveURL(/\/login\?next=%2Fdesk$/);
  await loginViaApi(page, demo.patient.email);
  await page.goto('/desk');
  await expect(page.getByRole('heading', { level: 1, name: 'Недостаточно прав' })).toBeVisible();
  expect((await page.request.get('/api/desk/doctors')).status()).toBe(403);
});

test('a clerk finds Anna by полис, books her at the desk, sees the visit and cancels it', async ({ page }) => {
  await loginThroughPage(page, registrar.email, registrar.password);
  // Staff land on their own page, with it in the header.
  await expect(page).toHaveURL(/\/desk$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Регистратура' })).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Основное меню' }).getByRole('link', { name: 'Регистратура' }),
  ).toBeVisible();
  await expectNoA11yViolations(page);

  // The search goes in the request body: the address stays /desk.
  await searchByPolicy(page, DEMO_PATIENT_DOCUMENTS.main.policy);
  const results = page.getByRole('heading', { level: 2, name: 'Найдено: 1 пациент' });
  await expect(results).toBeFocused();
  await expect(page).toHaveURL(/\/desk$/);
  await expectNoA11yViolations(page);
  await page.getByRole('link', { name: demoPeople.main }).click();

  // Her page: data and visits at this clinic from every channel.
  await expect(page.getByRole('heading', { level: 1, name: demoPeople.main })).toBeVisible();
  const patientId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  expect(page.url()).not.toContain(DEMO_PATIENT_DOCUMENTS.main.policy);
  const before = await apiGet<StaffPatientResponse>(page, `/api/desk/patients/${patientId}`);
  expect(new Set(before.visits.map((v) => v.source))).toEqual(
    new Set(['portal', 'registry', 'doctor', 'electronic_queue', 'infomat']),
  );
  await expect(page.getByText('регистратура').first()).toBeVisible();
  await expectNoA11yViolations(page);
  // Back to the search: the results are still there (kept in memory, not in the address).
  await backLink(page, 'К поиску пациента').click();
  await expect(page).toHaveURL(/\/desk$/);
  await page.getByRole('link', { name: demoPeople.main }).click();
  await expect(page.getByRole('heading', { level: 1, name: demoPeople.main })).toBeVisible();

  // Book: specialty, doctor, time, check.
  await page.getByRole('link', { name: 'Записать на приём' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Выберите специальность врача' })).toBeVisible();
  await expect(page.getByText(`Пациент: ${demoPeople.main}`)).toBeVisible();
  await page.getByRole('button', { name: 'Продолжить' }).click();
  await expect(page.getByRole('alert')).toContainText('Выберите специальность врача');
  await expectNoA11yViolations(page);
  await chooseRadio(page, 'Дерматовенеролог');
  await page.getByRole('button', { name: 'Продолжить' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Выберите врача' })).toBeVisible();
  await chooseRadio(page, 'Князева Юлия Александровна');
  await expectNoA11yViolations(page);
  await page.getByRole('button', { name: 'Продолжить' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Выберите дату и время' })).toBeVisible();
  const free = page.locator('button.slot-free').first();
  await expect(free).toBeVisible();
  const slotName = (await free.getAttribute('aria-label'))!;
  await expectNoA11yViolations(page);
  await free.click();

  await expect(page.getByRole('heading', { level: 1, name: 'Проверьте данные записи' })).toBeVisible();
  await expect(page.getByText(demoPeople.main, { exact: true })).toBeVisible();
  await expect(page.getByText('Князева Юлия Александровна', { exact: true })).toBeVisible();
  await expect(page.getByText(slotName.split(',')[1].trim(), { exact: false }).first()).toBeVisible();
  await expectNoA11yViolations(page);
  await page.getByRole('button', { name: 'Записать пациента' }).click();

  // Back on her page with the reference; the visit is in the list (source: регистратура).
  await expect(page).toHaveURL(`/desk/patients/${patientId}`);
  const panel = page.getByRole('status').filter({ hasText: 'Пациент записан' });
  await expect(panel).toBeVisible();
  const reference = (await panel.locator('strong').first().textContent())!.trim();
  expect(reference).toMatch(/^ПР-/);
  const visit = page.locator('li.visit').filter({ hasText: reference });
  await expect(visit).toContainText('Князева Юлия Александровна');
  await expect(visit).toContainText('регистратура');
  await expect(visit).toContainText('Записан');
  await expectNoA11yViolations(page);
  const after = await apiGet<StaffPatientResponse>(page, `/api/desk/patients/${patientId}`);
  const booked = after.visits.find((v) => v.reference === reference)!;
  expect(booked).toMatchObject({ source: 'registry', status: 'booked' });

  // Cancel it: the confirmation asks for the reason first.
  await visit.getByRole('button', { name: /^Отменить запись/ }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Отменить запись?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Отменить запись' }).click();
  await expect(dialog.getByText('Выберите причину отмены').first()).toBeVisible();
  await expectNoA11yViolations(page);
  await dialog.locator('label.radio').filter({ hasText: 'По просьбе пациента' }).click();
  await dialog.getByRole('button', { name: 'Отменить запись' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Запись отменена' })).toBeVisible();
  await expect(page.locator('li.visit').filter({ hasText: reference })).toContainText('Отменена (по просьбе пациента)');
  const cancelled = (await apiGet<StaffPatientResponse>(page, `/api/desk/patients/${patientId}`)).visits.find(
    (v) => v.id === booked.id,
  );
  expect(cancelled).toMatchObject({ status: 'cancelled', cancelledBy: 'patient' });
  await expectNoA11yViolations(page);
});

test('input errors show in the error summary; a patient not found is registered', async ({ page }) => {
  await loginViaApi(page, registrar.email);
  await page.goto('/desk');
  await page.getByRole('button', { name: 'Найти пациента' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Выберите, как искать пациента');

  await searchByPolicy(page, '12345');
  await expect(page.getByRole('alert')).toContainText('Номер полиса ОМС состоит из 16 цифр');
  await expect(page.getByRole('alert')).toBeFocused();
  await expect(page.getByRole('textbox', { name: 'Номер полиса ОМС' })).toHaveAttribute('aria-invalid', 'true');
  await expectNoA11yViolations(page);

  const person = inventPerson({ middleName: undefined });
  await page.getByRole('textbox', { name: 'Номер полиса ОМС' }).fill(person.policy);
  await page.getByRole('button', { name: 'Найти пациента' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Пациент не найден' })).toBeFocused();
  await expectFitsNarrowScreen(page);

  await page.getByRole('link', { name: 'Зарегистрировать нового пациента' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Новый пациент' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Фамилия' }).fill(person.lastName);
  await page.getByRole('textbox', { name: 'Имя' }).fill(person.firstName);
  const [y, m, d] = person.birthDate.split('-');
  await page.getByRole('textbox', { name: 'День' }).fill(String(Number(d)));
  await page.getByRole('textbox', { name: 'Месяц' }).fill(String(Number(m)));
  await page.getByRole('textbox', { name: 'Год' }).fill(y);
  await chooseRadio(page, 'Женский');
  const wrongSnils = `${person.snils.slice(0, 9)}${person.snils.slice(9) === '00' ? '01' : '00'}`;
  await page.getByRole('textbox', { name: 'СНИЛС' }).fill(wrongSnils);
  await page.getByRole('textbox', { name: 'Полис ОМС' }).fill(person.policy);
  await page.getByRole('button', { name: 'Зарегистрировать пациента' }).click();
  await expect(page.getByRole('alert')).toContainText('Проверьте СНИЛС: контрольное число не совпадает');
  await expectNoA11yViolations(page);
  await page.getByRole('textbox', { name: 'СНИЛС' }).fill(person.snils);
  await page.getByRole('button', { name: 'Зарегистрировать пациента' }).click();

  const name = `${person.lastName} ${person.firstName}`;
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText('Пациент зарегистрирован')).toBeVisible();
  await expect(page.getByText('Предстоящих записей в этой медицинской организации нет.')).toBeVisible();
  await expectNoA11yViolations(page);
  await expectFitsNarrowScreen(page);

  // The desk finds the new patient by СНИЛС now.
  await page.goto('/desk');
  await chooseRadio(page, 'По СНИЛС');
  await page.getByRole('textbox', { name: 'СНИЛС' }).fill(person.snils);
  await page.getByRole('button', { name: 'Найти пациента' }).click();
  await expect(page.getByRole('link', { name })).toBeVisible();
});

test('a clerk closes a doctor’s free time and opens it again', async ({ page }) => {
  await loginViaApi(page, registrar.email);
  const { doctors } = await apiGet<StaffDoctorsResponse>(page, '/api/desk/doctors');
  const doctor =
    doctors.find((d) => d.freeCount > 0 && d.name.startsWith('Шутова')) ?? doctors.find((d) => d.freeCount > 0)!;
  await page.goto('/desk');
  await page.getByRole('link', { name: 'Расписание врачей: закрыть или открыть время' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Расписание врачей' })).toBeVisible();
  await expectNoA11yViolations(page);
  await page.getByRole('link', { name: doctor.name }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Закрыть или открыть время' })).toBeVisible();
  const free = page.getByRole('button', { name: /свободно, закрыть для записи$/ }).first();
  const label = (await free.getAttribute('aria-label'))!;
  const when = label.replace(/, свободно, закрыть для записи$/, '');
  await free.click();
  const dialog = page.getByRole('alertdialog', { name: 'Закрыть время для записи?' });
  await expect(dialog).toContainText(`На ${when} к врачу нельзя будет записаться.`);
  await expectNoA11yViolations(page);
  await dialog.getByRole('button', { name: 'Закрыть время' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${when}: время закрыто для записи.` })).toBeVisible();
  const closed = page.getByRole('button', { name: `${when}, нет приёма, открыть для записи`, exact: true });
  await expect(closed).toBeVisible();
  const schedule = await apiGet<ScheduleResponse>(page, `/api/desk/doctors/${doctor.id}/schedule`);
  expect(schedule.days.flatMap((d) => d.slots).filter((s) => s.state === 'blocked').length).toBeGreaterThan(0);
  await expectNoA11yViolations(page);

  await closed.click();
  await page
    .getByRole('alertdialog', { name: 'Открыть время для записи?' })
    .getByRole('button', { name: 'Открыть время' })
    .click();
  await expect(page.getByRole('status').filter({ hasText: `${when}: время открыто` })).toBeVisible();
  await expect(page.getByRole('button', { name: `${when}, свободно, закрыть для записи`, exact: true })).toBeVisible();
});
