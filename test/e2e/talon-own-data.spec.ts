// The printable талон and the patient's own data (issue 19), in Chromium:
// - the талон prints to one A5 page carrying the reference (its PDF read back with pdf.js);
//   the registry desk opens the visit from the reference typed as a barcode scanner types it;
// - the infomat opens the visit of a scanned талон and cancels one made at the desk;
// - «Мои данные»: the readable page and the JSON download, removing a person, deleting the account.
// Each page passes axe; screenshots at 360 and 1280 px and of the printed талон go to /tmp/talon/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { formatSnils } from '../../src/shared/validation.js';
import type {
  AppointmentDetail,
  ChannelVisit,
  DoctorSummary,
  OwnDataExport,
  Person,
  ScheduleResponse,
} from '../../src/shared/api/index.js';
import {
  apiCall,
  apiGet,
  DEMO_PASSWORD,
  demo,
  expectNoA11yViolations,
  inventPerson,
  loginViaApi,
  signUpPatient,
} from './support.js';
import { bookViaApi, doctorsWithFreeTime, regionToday } from './patient-support.js';

const SHOTS = '/tmp/talon';
mkdirSync(SHOTS, { recursive: true });
const REGISTRAR = { email: 'registrar@example.org', password: DEMO_PASSWORD };
const IZHEVSK = 'Городская поликлиника № 1';

async function shots(page: Page, name: string): Promise<void> {
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** A new patient whose main person the moderator has confirmed, signed in on `page`. */
async function confirmedPatient(
  page: Page,
  browser: Browser,
): Promise<{ email: string; password: string; person: Person }> {
  const fresh = await signUpPatient(page.request, { person: inventPerson({ middleName: 'Сергеевна' }) });
  const person = fresh.person!;
  const staff = await (await browser.newContext()).newPage();
  await staff.goto('/');
  await loginViaApi(staff, demo.moderator.email, demo.moderator.password);
  await apiCall(staff, 'POST', `/api/moderation/persons/${person.id}/confirm`, {});
  await staff.context().close();
  await loginViaApi(page, fresh.email, fresh.password);
  return { email: fresh.email, password: fresh.password, person };
}

/** A free time at the Izhevsk clinic: a therapist there, two days ahead or later. */
async function izhevskTherapist(page: Page): Promise<DoctorSummary> {
  const doctors = (await doctorsWithFreeTime(page, 'терапевт')).filter((d) => d.organisation.shortName === IZHEVSK);
  expect(doctors.length, 'no Izhevsk therapist with free time').toBeGreaterThan(0);
  return doctors[doctors.length - 1];
}

async function pdfText(pdf: Buffer): Promise<{ pages: number; text: string }> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
  let text = '';
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    text += content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
  }
  return { pages: doc.numPages, text };
}

test('the талон prints on one page with the reference; the desk opens the visit from a scan', async ({
  page,
  browser,
}) => {
  await page.goto('/');
  const patient = await confirmedPatient(page, browser);
  const doctor = await izhevskTherapist(page);
  const visit: AppointmentDetail = await bookViaApi(page, {
    personId: patient.person.id,
    specialty: 'терапевт',
    doctorId: doctor.id,
  });

  // The done page offers the талон.
  await page.goto(`/appointments/${visit.id}?done=1`);
  await expect(page.getByRole('heading', { level: 1, name: 'Запись подтверждена' })).toBeVisible();
  await page.getByRole('link', { name: 'Распечатать талон' }).click();
  await expect(page).toHaveURL(`/appointments/${visit.id}/print`);
  const talon = page.getByRole('region', { name: 'Талон на приём к врачу' });
  await expect(talon).toBeVisible();
  await expect(talon.getByText(visit.reference, { exact: true })).toBeVisible();
  await expect(talon.getByText(/^[А-ЯЁ]\. [А-ЯЁ]\. [А-ЯЁ]\.$/)).toBeVisible();
  await expect(talon).not.toContainText(patient.person.lastName);
  await expect(talon).toContainText('время местное: Самара, Ижевск (МСК+1)');
  await expect(talon.getByRole('img', { name: `QR-код номера записи ${visit.reference}` })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Распечатать талон' })).toBeVisible();
  await expectNoA11yViolations(page);
  await shots(page, 'talon');

  // Printed: the talon alone, on one A5 page, with the reference as text.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: 'Распечатать талон' })).toBeHidden();
  await page.screenshot({ path: `${SHOTS}/talon-print-media.png`, fullPage: true });
  // The A5 page's printable area (128 × 190 mm at 96 px per inch), as the PDF lays it out.
  await page.setViewportSize({ width: 484, height: 718 });
  await page.screenshot({ path: `${SHOTS}/talon-print-a5.png` });
  await page.setViewportSize({ width: 1280, height: 900 });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  writeFileSync(`${SHOTS}/talon.pdf`, pdf);
  await page.emulateMedia({ media: 'screen' });
  const printed = await pdfText(pdf);
  expect(printed.pages).toBe(1);
  expect(printed.text).toContain(visit.reference);
  expect(printed.text).toContain(doctor.name.split(' ')[0]);
  expect(printed.text).not.toContain(patient.person.lastName);

  // The visit page offers it too.
  await page.goto(`/appointments/${visit.id}`);
  await expect(page.getByRole('link', { name: 'Распечатать талон' })).toHaveAttribute(
    'href',
    `/appointments/${visit.id}/print`,
  );

  // The registry desk: the scanner types the QR code's text and presses Enter.
  const desk = await (await browser.newContext()).newPage();
  await desk.goto('/');
  await loginViaApi(desk, REGISTRAR.email, REGISTRAR.password);
  await desk.goto('/desk');
  const field = desk.getByRole('textbox', { name: 'Номер записи с талона' });
  await expectNoA11yViolations(desk);
  await shots(desk, 'desk-search');
  // An unknown number: a plain «не найдено», the field ready for the next scan.
  await field.click();
  await desk.keyboard.type('PR-ZZZZZZZZ');
  await desk.keyboard.press('Enter');
  await expect(desk.getByRole('alert')).toContainText('не найдена');
  await expect(field).toBeFocused();
  await expect(field).toHaveValue('');
  await expectNoA11yViolations(desk);
  await desk.keyboard.type(visit.reference.replace('ПР-', 'PR-'));
  await desk.keyboard.press('Enter');
  await expect(desk).toHaveURL(/\/desk\/patients\/[0-9a-f-]{36}$/);
  expect(desk.url()).not.toContain(visit.reference);
  await expect(desk.getByText(`Запись по талону ${visit.reference}`)).toBeVisible();
  await expect(desk.getByRole('heading', { level: 1 })).toContainText(patient.person.lastName);
  await expectNoA11yViolations(desk);
  await shots(desk, 'desk-talon-found');
  await desk.context().close();

  await apiCall(page, 'POST', `/api/appointments/${visit.id}/cancel`, {});
});

test('the infomat opens the visit of a scanned талон and cancels a visit made at the desk', async ({
  page,
  browser,
}) => {
  await page.goto('/');
  const patient = await confirmedPatient(page, browser);
  const doctor = await izhevskTherapist(page);

  // The desk books the patient (source registry): the talon of that visit is for the kiosk.
  const desk = await (await browser.newContext()).newPage();
  await desk.goto('/');
  await loginViaApi(desk, REGISTRAR.email, REGISTRAR.password);
  const schedule = await apiGet<ScheduleResponse>(desk, `/api/desk/doctors/${doctor.id}/schedule`);
  const earliest = regionToday();
  const free = schedule.days
    .filter((d) => d.date > earliest)
    .flatMap((d) => d.slots)
    .filter((s) => s.state === 'free');
  let booked: ChannelVisit | null = null;
  for (const slot of free.slice(0, 10)) {
    const res = await apiCall(
      desk,
      'POST',
      '/api/desk/appointments',
      { patientId: patient.person.id, slotId: slot.id },
      {
        allowFailure: true,
      },
    );
    if (res.status() === 201) {
      booked = (await res.json()) as ChannelVisit;
      break;
    }
  }
  expect(booked, 'the desk could not book a time').toBeTruthy();
  const deskVisit = booked!;

  // Switch the desk's browser to kiosk mode.
  await apiCall(desk, 'POST', '/api/kiosk/devices', { label: 'Холл, талоны' });
  await desk.goto('/kiosk');
  await expect(desk.getByRole('heading', { level: 1, name: 'Запись к врачу' })).toBeVisible();
  await expect(desk.getByRole('heading', { level: 2, name: 'Есть талон с QR-кодом?' })).toBeVisible();
  await expectNoA11yViolations(desk);
  await shots(desk, 'kiosk-start');

  // The scanner types into the page with nothing focused but the heading, then Enter.
  await desk.keyboard.type(deskVisit.reference.replace('ПР-', 'PR-'));
  await desk.keyboard.press('Enter');
  await expect(desk.getByRole('heading', { level: 1, name: 'Запись по талону' })).toBeVisible();
  await expect(desk.getByText(deskVisit.reference, { exact: true })).toBeVisible();
  await expect(desk.getByText(doctor.name, { exact: false })).toBeVisible();
  await expectNoA11yViolations(desk);
  await shots(desk, 'kiosk-talon');
  await desk.getByRole('button', { name: 'Отменить запись' }).click();
  await expect(desk.getByRole('heading', { level: 1, name: 'Отменить запись?' })).toBeVisible();
  await desk.getByRole('button', { name: 'Да, отменить запись' }).click();
  await expect(desk.getByRole('heading', { level: 1, name: 'Запись отменена' })).toBeVisible();
  await expectNoA11yViolations(desk);
  await desk.getByRole('button', { name: 'Готово' }).click();
  await expect(desk.getByRole('heading', { level: 1, name: 'Запись к врачу' })).toBeVisible();

  // A portal booking's talon: shown with where to cancel it, no cancel button.
  const portal = await bookViaApi(page, { personId: patient.person.id, specialty: 'терапевт', doctorId: doctor.id });
  await desk.getByRole('textbox', { name: 'Номер записи' }).fill(portal.reference);
  await desk.getByRole('button', { name: 'Открыть запись' }).click();
  await expect(desk.getByRole('heading', { level: 1, name: 'Запись по талону' })).toBeVisible();
  await expect(desk.getByText(portal.reference, { exact: true })).toBeVisible();
  await expect(desk.getByRole('button', { name: 'Отменить запись' })).toHaveCount(0);
  await expect(desk.getByText(/личном кабинете|регистратур/)).toBeVisible();
  await desk.context().close();
  await apiCall(page, 'POST', `/api/appointments/${portal.id}/cancel`, {});
});

test('own data: read and download it, remove a person, delete the account', async ({ page, browser }) => {
  await page.goto('/');
  const patient = await confirmedPatient(page, browser);
  const child = inventPerson({ birthDate: '2018-03-04', sex: 'M', firstName: 'Лев', middleName: 'Олегович' });
  await apiCall(page, 'POST', '/api/persons', child);

  // The profile page leads to it.
  await page.goto('/profile');
  await expect(page.getByRole('link', { name: 'Скачать мои данные' })).toHaveAttribute(
    'href',
    '/api/account/data/download',
  );
  await page.getByRole('link', { name: 'Посмотреть на странице' }).click();
  await expect(page).toHaveURL('/profile/data');
  await expect(page.getByRole('heading', { level: 1, name: 'Мои данные' })).toBeVisible();
  await expect(page.getByText(patient.email, { exact: true })).toBeVisible();
  await expect(page.getByText(formatSnils(patient.person.snils), { exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: new RegExp(child.lastName) })).toBeVisible();
  await expectNoA11yViolations(page);
  await shots(page, 'own-data');

  // The download: a JSON file whose name carries no personal data.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Скачать мои данные (JSON)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^priyom-moi-dannye-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(
    await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8')),
  ) as OwnDataExport;
  expect(exported.account.email).toBe(patient.email);
  expect(exported.persons.map((p) => p.lastName).sort()).toEqual([patient.person.lastName, child.lastName].sort());

  // Remove the child from the card file.
  await page.goto('/cardfile');
  await page.getByRole('link', { name: new RegExp(`Удалить из картотеки.*${child.lastName}`) }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Удалить из картотеки' })).toBeVisible();
  await expectNoA11yViolations(page);
  await shots(page, 'remove-person');
  await page.getByRole('button', { name: 'Удалить из картотеки' }).click();
  await expect(page).toHaveURL('/cardfile');
  await expect(page.getByText('Человек удалён из картотеки')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Мои данные', exact: true })).toHaveAttribute('href', '/profile/data');
  await expect(page.getByRole('heading', { level: 2, name: new RegExp(child.lastName) })).toHaveCount(0);
  await expectNoA11yViolations(page);

  // Delete the account: a future visit first refuses it, in Russian, in the error summary.
  const doctor = await izhevskTherapist(page);
  const visit = await bookViaApi(page, { personId: patient.person.id, specialty: 'терапевт', doctorId: doctor.id });
  await page.goto('/profile/delete');
  await expect(page.getByRole('heading', { level: 1, name: 'Удалить учётную запись' })).toBeVisible();
  await expectNoA11yViolations(page);
  await shots(page, 'delete-account');
  await page.getByLabel('Пароль от личного кабинета').fill('Wrong-password-9');
  await page.getByRole('button', { name: 'Удалить учётную запись' }).click();
  await expect(page.getByRole('alert')).toContainText('Неверный пароль');
  await page.getByLabel('Пароль от личного кабинета').fill(patient.password);
  await page.getByRole('button', { name: 'Удалить учётную запись' }).click();
  await expect(page.getByRole('alert')).toContainText('предстоящие визиты');
  await expectNoA11yViolations(page);
  await apiCall(page, 'POST', `/api/appointments/${visit.id}/cancel`, {});
  await page.getByRole('button', { name: 'Удалить учётную запись' }).click();
  await expect(page).toHaveURL('/account-deleted');
  await expect(page.getByRole('heading', { level: 1, name: 'Учётная запись удалена' })).toBeVisible();
  await expectNoA11yViolations(page);

  // Signed out, and the account cannot sign in again.
  expect((await page.request.get('/api/account/data')).status()).toBe(401);
  await page.goto('/login');
  await page.getByLabel('Адрес электронной почты').fill(patient.email);
  await page.getByLabel('Пароль', { exact: true }).fill(patient.password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByRole('alert')).toContainText('Неверный адрес электронной почты или пароль');
});
