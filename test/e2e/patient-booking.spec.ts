// The booking journey (SPEC §3): the demo patient books her son to a paediatrician — the
// person, the specialty (with the ones a child may not see shown unavailable), the doctor,
// a free time, the check page, the done page with the calendar file — and the card file
// shows the visit. With one person in the card file the person question is skipped.
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import type { AppointmentDetail } from '../../src/shared/api/index.js';
import { apiGet, demo, loginViaApi } from './support.js';
import {
  backLink,
  cancelViaApi,
  chooseRadio,
  demoPeople,
  doctorWithFreeTime,
  expectAccessible,
  futureVisits,
  loginThroughPage,
  personCard,
  personNamed,
  slotLabel,
  visitRow,
} from './patient-support.js';

test('the patient books her son to a paediatrician, from the person question to the card file', async ({ page }) => {
  await loginThroughPage(page, demo.patient.email);
  await expect(page.getByRole('heading', { level: 1, name: 'Моя картотека' })).toBeVisible();
  const child = await personNamed(page, demoPeople.child);
  const { doctor, slot } = await doctorWithFreeTime(page, 'педиатр');

  // The home page's «Запись к врачу».
  await page.getByRole('link', { name: /^Приём/ }).click();
  await page.getByRole('link', { name: /^Запись к врачу/ }).click();

  // «Кого записать к врачу?»: the pending parent cannot be chosen, and the page says why.
  await expect(page.getByRole('heading', { level: 1, name: 'Кого записать к врачу?' })).toBeVisible();
  await expect(page).toHaveURL(/\/book$/);
  const parent = page.getByRole('radio', { name: demoPeople.parent, exact: true });
  await expect(parent).toBeDisabled();
  await expect(parent).toHaveAccessibleDescription(/Данные на проверке у модератора/);
  await expect(page.getByRole('radio', { name: demoPeople.main, exact: true })).toBeEnabled();
  await expectAccessible(page);
  await chooseRadio(page, demoPeople.child);
  await page.getByRole('button', { name: 'Продолжить' }).click();

  // The specialty; the page's back link returns to the person question.
  const specialtyHeading = page.getByRole('heading', { level: 1, name: 'Выберите специальность врача' });
  await expect(specialtyHeading).toBeVisible();
  await expect(page).toHaveURL(`/book/${child.id}/specialty`);
  await backLink(page).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Кого записать к врачу?' })).toBeVisible();
  await chooseRadio(page, demoPeople.child);
  await page.getByRole('button', { name: 'Продолжить' }).click();
  await expect(specialtyHeading).toBeVisible();

  // A seven-year-old boy: no adult therapist, no gynaecologist — shown, unavailable, with the reason.
  const therapist = page.getByRole('radio', { name: 'Терапевт', exact: true });
  await expect(therapist).toBeDisabled();
  await expect(therapist).toHaveAccessibleDescription('Этот специалист не принимает пациентов такого возраста.');
  const gynaecologist = page.getByRole('radio', { name: 'Акушер-гинеколог', exact: true });
  await expect(gynaecologist).toBeDisabled();
  await expect(gynaecologist).toHaveAccessibleDescription('Этот специалист принимает только пациентов другого пола.');
  await expect(page.getByRole('radio', { name: 'Педиатр', exact: true })).toBeEnabled();
  await expectAccessible(page);
  await chooseRadio(page, 'Педиатр');
  await page.getByRole('button', { name: 'Продолжить' }).click();

  // The doctor; «Назад» shows the specialty question again.
  const doctorHeading = page.getByRole('heading', { level: 1, name: 'Выберите врача' });
  await expect(doctorHeading).toBeVisible();
  await expect(page.getByText('Специальность: Педиатр')).toBeVisible();
  await backLink(page).click();
  await expect(specialtyHeading).toBeVisible();
  await chooseRadio(page, 'Педиатр');
  await page.getByRole('button', { name: 'Продолжить' }).click();
  await expect(doctorHeading).toBeVisible();
  const doctorRadio = page.getByRole('radio', { name: doctor.name, exact: true });
  await expect(doctorRadio).toHaveAccessibleDescription(new RegExp(`кабинет ${doctor.room}.*Ближайшее время`));
  await expectAccessible(page);
  await chooseRadio(page, doctor.name);
  await page.getByRole('button', { name: 'Продолжить' }).click();

  // The doctor's schedule: a free time (at least an hour ahead, found through the API).
  await expect(page.getByRole('heading', { level: 1, name: 'Выберите дату и время' })).toBeVisible();
  await expect(page).toHaveURL(`/book/${child.id}/doctor/${doctor.id}`);
  const freeTime = page.getByRole('button', { name: `${slotLabel(slot)}, свободно`, exact: true });
  await expect(freeTime).toBeVisible();
  await expectAccessible(page);
  const [dayMonth, time] = slotLabel(slot).split(', ');
  await freeTime.click();

  // «Проверьте данные записи»: who, doctor, room, address, date and time.
  await expect(page.getByRole('heading', { level: 1, name: 'Проверьте данные записи' })).toBeVisible();
  const row = (key: string) =>
    page
      .locator('.summary-row')
      .filter({ has: page.locator('dt', { hasText: key }) })
      .locator('dd')
      .first();
  await expect(row('Пациент')).toContainText(demoPeople.child);
  await expect(row('Специальность')).toHaveText('Педиатр');
  await expect(row('Врач')).toHaveText(doctor.name);
  await expect(row('Кабинет')).toHaveText(doctor.room);
  await expect(row('Медицинская организация')).toHaveText(doctor.organisation.name);
  await expect(row('Адрес')).toHaveText(doctor.organisation.address);
  await expect(row('Дата и время')).toContainText(new RegExp(`^${dayMonth} \\d{4}, ${time}`));
  await expect(page.getByText(/Время закреплено за вами до \d{2}:\d{2}/)).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Подтвердить' }).click();

  // The done page: the reference, room, address and the calendar file.
  await expect(page.getByRole('heading', { level: 1, name: 'Запись подтверждена' })).toBeVisible();
  await expect(page.getByText('Вы записаны на приём')).toBeVisible();
  const reference = (await page.locator('.panel-reference').textContent())!;
  expect(reference).toMatch(/^ПР-[A-Z0-9]{8}$/);
  await expect(row('Пациент')).toHaveText(demoPeople.child);
  await expect(row('Кабинет')).toHaveText(doctor.room);
  await expect(row('Адрес')).toHaveText(doctor.organisation.address);
  await expect(row('Дата и время')).toContainText(`${dayMonth} `);
  await expect(row('Дата и время')).toContainText(time);
  await expect(row('Номер записи')).toHaveText(reference);
  await expectAccessible(page);

  const appointmentId = /\/appointments\/([0-9a-f-]{36})\?done=1$/.exec(page.url())?.[1];
  expect(appointmentId, `done page address ${page.url()}`).toBeTruthy();
  const calendar = page.getByRole('link', { name: 'Добавить в календарь' });
  await expect(calendar).toHaveAttribute('href', `/api/appointments/${appointmentId}/ics`);
  const downloading = page.waitForEvent('download');
  await calendar.click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.ics$/);
  const ics = await readFile((await download.path())!, 'utf8');
  expect(ics.startsWith('BEGIN:VCALENDAR')).toBe(true);
  expect(ics).toContain('BEGIN:VEVENT');
  expect(ics).toContain(reference);
  const icsResponse = await page.request.get(`/api/appointments/${appointmentId}/ics`);
  expect(icsResponse.headers()['content-type']).toMatch(/^text\/calendar/);

  // The card file shows the visit under the son, with its doctor and room.
  await page.getByRole('link', { name: 'Перейти в «Мою картотеку»' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Моя картотека' })).toBeVisible();
  const visit = visitRow(futureVisits(personCard(page, demoPeople.child)), reference);
  await expect(visit).toHaveCount(1);
  await expect(visit).toContainText(doctor.name);
  await expect(visit).toContainText(doctor.room);
  await expect(visit).toContainText('Записан');
  await expect(visitRow(futureVisits(personCard(page, demoPeople.main)), reference)).toHaveCount(0);
  await expectAccessible(page);

  const booked = await apiGet<AppointmentDetail>(page, `/api/appointments/${appointmentId}`);
  expect(booked.person.id).toBe(child.id);
  expect(booked.source).toBe('portal');
  // Clean up so the paediatric limit (one per person) does not outlive this test.
  await cancelViaApi(page, appointmentId!);
});

test('with one person in the card file «Запись к врачу» goes straight to the specialty', async ({ page }) => {
  await loginViaApi(page, demo.single.email);
  const only = await personNamed(page, demoPeople.single);
  await page.goto('/');
  await page.getByRole('link', { name: /^Запись к врачу/ }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Выберите специальность врача' })).toBeVisible();
  await expect(page).toHaveURL(`/book/${only.id}/specialty`);
  await expect(page.getByRole('heading', { name: 'Кого записать к врачу?' })).toHaveCount(0);
  await expect(page.getByRole('radio', { name: 'Терапевт', exact: true })).toBeEnabled();
  await expect(page.getByRole('radio', { name: 'Акушер-гинеколог', exact: true })).toBeDisabled();
  await expectAccessible(page);

  // The skipped question is not in the history either: back is the home page.
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Региональный портал медицинских услуг' })).toBeVisible();
});
