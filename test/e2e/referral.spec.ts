// Booking by referral (направление, SPEC 8a): the dermatologist is made «по направлению» for
// this spec (the operator's specialty form; put back at the end). Anna's specialty list then
// says it needs a referral and how to get one instead of offering it; Волков, her therapist,
// issues one from «Приём пациентов» («Выдать направление»); Anna's card file lists it with
// «Записаться по направлению», which starts the journey with her and the specialty chosen,
// and she books; the referral reads «Использовано». Her visit is cancelled and the referral
// revoked afterwards, so the demo people stay as they were.
import { expect, test, type Page } from '@playwright/test';
import type { CardFilePerson, ReferralView, SpecialtyFull } from '../../src/shared/api/index.js';
import {
  apiCall,
  apiGet,
  demo,
  DEMO_PASSWORD,
  expectFitsNarrowScreen,
  expectNoA11yViolations,
  loginViaApi,
  logoutViaApi,
} from './support.js';
import {
  cancelViaApi,
  cardFile,
  chooseRadio,
  demoPeople,
  doctorWithFreeTime,
  loginThroughPage,
  personCard,
  showSlotDay,
  slotLabel,
} from './patient-support.js';

const SPECIALTY = 'дерматовенеролог';
const shots = '/tmp/referrals';

async function setSelfBooking(page: Page, selfBooking: boolean): Promise<void> {
  await loginViaApi(page, demo.operator.email);
  const all = await apiGet<{ specialties: SpecialtyFull[] }>(page, '/api/operator/specialties');
  const s = all.specialties.find((x) => x.name === SPECIALTY);
  if (!s) throw new Error(`no specialty ${SPECIALTY}`);
  await apiCall(page, 'PUT', `/api/operator/specialties/${s.id}`, {
    name: s.name,
    minAge: s.minAge,
    maxAge: s.maxAge,
    sex: s.sex,
    selfBooking,
  });
  await logoutViaApi(page);
}

async function screenshots(page: Page, name: string): Promise<void> {
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${shots}/${name}-${width}.png`, fullPage: true });
  }
}

test('the doctor issues a referral and the patient books by it from the card file', async ({ page }) => {
  test.setTimeout(180_000);
  await setSelfBooking(page, false);
  let appointmentId: string | null = null;
  let referralId: string | null = null;
  try {
    // The public doctors' page names it «по направлению» and says how to get a referral.
    await page.goto('/doctors');
    await page.getByLabel('Специальность').selectOption({ label: 'Дерматовенеролог (по направлению)' });
    await page.getByRole('button', { name: 'Показать' }).click();
    await expect(
      page.getByText(/^К этому специалисту записывают только по направлению\. Его выдаёт лечащий врач/),
    ).toBeVisible();
    await expectNoA11yViolations(page);

    // Without a referral: the specialty says how to get one and is not offered.
    await loginViaApi(page, demo.patient.email);
    const anna = (await cardFile(page)).find((p) => p.isMain) as CardFilePerson;
    await page.goto(`/book/${anna.id}/specialty`);
    await expect(page.getByRole('heading', { level: 1, name: 'Выберите специальность врача' })).toBeVisible();
    const radio = page.getByRole('radio', { name: 'Дерматовенеролог', exact: true });
    await expect(radio).toBeDisabled();
    await expect(
      page.getByText(/^Только по направлению\. Его выдаёт лечащий врач или участковый терапевт/),
    ).toBeVisible();
    await expectNoA11yViolations(page);
    await logoutViaApi(page);

    // Волков issues it from «Приём пациентов».
    await loginThroughPage(page, 'doctor@example.org', DEMO_PASSWORD);
    await expect(page.getByRole('heading', { level: 1, name: 'Приём пациентов' })).toBeVisible();
    const annaRow = page.locator('li.doctor-appointment').filter({ hasText: demoPeople.main }).first();
    await annaRow.getByRole('link', { name: `Выдать направление — ${demoPeople.main}` }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Выдать направление' })).toBeVisible();
    await expect(page.getByText(`Пациент: ${demoPeople.main}.`)).toBeVisible();
    // Without a specialty: the error summary names it.
    await page.getByRole('button', { name: 'Выдать направление' }).click();
    await expect(page.getByRole('alert')).toBeFocused();
    await expect(page.getByRole('alert').getByRole('link', { name: 'Выберите специальность' })).toBeVisible();
    await page.getByLabel('К какому специалисту').selectOption({ label: `${SPECIALTY} (по направлению)` });
    await expect(page.getByLabel('Действует по')).not.toHaveValue('');
    await page.getByRole('button', { name: 'Выдать направление' }).click();
    await expect(
      page.getByText(/^Направление выдано: дерматовенеролог, действует по \d+ [а-я]+ \d{4} г\. Пациент увидит/),
    ).toBeVisible();
    const issuedItem = page.locator('li.referral').filter({ hasText: SPECIALTY }).first();
    await expect(issuedItem).toContainText('Действует');
    await expectNoA11yViolations(page);
    await expectFitsNarrowScreen(page);
    await screenshots(page, 'doctor-referral');
    await page.setViewportSize({ width: 1280, height: 900 });
    await logoutViaApi(page);

    // Anna: the card file lists it; «Записаться по направлению» starts the journey.
    await loginThroughPage(page, demo.patient.email, DEMO_PASSWORD);
    await expect(page.getByRole('heading', { level: 1, name: 'Моя картотека' })).toBeVisible();
    const card = personCard(page, demoPeople.main);
    const referral = card.locator('li.referral').filter({ hasText: 'Дерматовенеролог' });
    await expect(referral).toContainText('Действует');
    await expect(referral).toContainText('Волков Андрей Геннадьевич');
    const fromApi = (await cardFile(page)).find((p) => p.isMain)?.referrals.find((r) => r.specialty.name === SPECIALTY);
    referralId = (fromApi as ReferralView).id;
    await expectNoA11yViolations(page);
    await screenshots(page, 'cardfile-referral');
    await page.setViewportSize({ width: 1280, height: 900 });

    const { doctor, slot } = await doctorWithFreeTime(page, SPECIALTY, 24 * 60);
    await referral.getByRole('link', { name: `Записаться по направлению — ${SPECIALTY}, ${demoPeople.main}` }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Выберите врача' })).toBeVisible();
    await expect(page.getByText('Специальность: Дерматовенеролог')).toBeVisible();
    await chooseRadio(page, doctor.name);
    await page.getByRole('button', { name: 'Продолжить' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Выберите дату и время' })).toBeVisible();
    await showSlotDay(page, slot);
    await page.getByRole('button', { name: `${slotLabel(slot)}, свободно`, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Проверьте данные записи' })).toBeVisible();
    await page.getByRole('button', { name: 'Подтвердить' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Запись подтверждена' })).toBeVisible();
    appointmentId = new URL(page.url()).pathname.split('/').pop() ?? null;
    const booked = (await cardFile(page))
      .find((p) => p.isMain)
      ?.futureVisits.find((v) => v.doctor.name === doctor.name && v.startAt === slot.startAt);
    expect(booked).toBeTruthy();
    appointmentId = booked?.id ?? appointmentId;

    // The referral is used now.
    await page.goto('/cardfile');
    await expect(
      personCard(page, demoPeople.main).locator('li.referral').filter({ hasText: 'Дерматовенеролог' }),
    ).toContainText('Использовано');
    await expect(
      personCard(page, demoPeople.main)
        .locator('li.referral')
        .filter({ hasText: 'Дерматовенеролог' })
        .getByRole('link', { name: /Записаться по направлению/ }),
    ).toHaveCount(0);
    await expectNoA11yViolations(page);
  } finally {
    if (appointmentId) {
      await loginViaApi(page, demo.patient.email);
      await cancelViaApi(page, appointmentId);
      await logoutViaApi(page);
    }
    if (referralId) {
      await loginViaApi(page, 'doctor@example.org');
      await apiCall(page, 'POST', `/api/doctor/referrals/${referralId}/revoke`, {}, { allowFailure: true });
      await logoutViaApi(page);
    }
    await setSelfBooking(page, true);
  }
});
