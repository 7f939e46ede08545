// Signing in through Госуслуги (ЕСИА) in the browser, through the ЕСИА stand-in that the
// demo server mounts at /esia-standin: the demo patient Анна signs in as the stand-in's
// trusted citizen and lands in her e-mail account's card file (same СНИЛС and birth date:
// linked), where the ЕСИА session shows her visits from every channel; signed in with
// e-mail and password the same card file shows only portal visits; her son's visit booked
// by his father from another account is never shown. A first sign-in completes the
// registration with the полис; a refusal on ЕСИА ends on the error page.
import { expect, test, type Page } from '@playwright/test';
import type { CardFilePerson, SessionResponse } from '../../src/shared/api/index.js';
import { apiGet, demo, logoutViaApi, signUpPatient } from './support.js';
import { demoPeople, expectAccessible, futureVisits, loginThroughPage, personCard } from './patient-support.js';

const CHANNELS = ['Регистратура', 'Врач медицинской организации', 'Инфомат', 'Электронная очередь'];
/** A visit row whose «Источник записи» is this channel (not a hint that merely mentions the registry). */
const bySource = (channel: string) => ({ hasText: new RegExp(`Источник записи\\s*${channel}`) });

/** From the login page through the stand-in's consent page, as the chosen test citizen (or refusing). */
async function signInThroughStandin(
  page: Page,
  citizen: RegExp | 'deny',
  opts: { checkA11y?: boolean } = {},
): Promise<void> {
  await page.goto('/login');
  await expect(page.getByRole('heading', { level: 1, name: 'Вход в личный кабинет' })).toBeVisible();
  await page.getByRole('link', { name: 'Войти через Госуслуги' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Вход в систему «Приём»' })).toBeVisible();
  await expect(page).toHaveURL(/\/esia-standin\/aas\/oauth2\/v2\/ac\?/);
  if (opts.checkA11y) await expectAccessible(page);
  if (citizen === 'deny') {
    await page.getByRole('button', { name: 'Отказать' }).click();
    return;
  }
  await page.getByRole('radio', { name: citizen }).check();
  await page.getByRole('button', { name: 'Предоставить' }).click();
}

async function sessionOf(page: Page): Promise<SessionResponse['account']> {
  return (await apiGet<SessionResponse>(page, '/api/session')).account;
}

async function sourcesOf(page: Page): Promise<{ main: string[]; child: CardFilePerson }> {
  const persons = (await apiGet<{ persons: CardFilePerson[] }>(page, '/api/cardfile')).persons;
  const main = persons.find((p) => p.isMain)!;
  const child = persons.find((p) => `${p.lastName} ${p.firstName} ${p.middleName}` === demoPeople.child)!;
  return { main: [...new Set([...main.futureVisits, ...main.pastVisits].map((v) => v.source))].sort(), child };
}

test('Анна signs in through Госуслуги: her e-mail account, and her visits from every channel', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('link', { name: 'Войти через Госуслуги' })).toBeVisible();
  await expectAccessible(page);

  await signInThroughStandin(page, /^Иванова Анна Сергеевна/, { checkA11y: true });
  await expect(page.getByRole('heading', { level: 1, name: 'Моя картотека' })).toBeVisible();
  await expect(page).toHaveURL(/\/cardfile$/);
  // The stand-in's Анна has the demo patient's СНИЛС and birth date: her e-mail account was linked.
  expect(await sessionOf(page)).toMatchObject({
    email: demo.patient.email,
    authMethod: 'esia',
    mainPersonStatus: 'confirmed',
  });

  const main = personCard(page, demoPeople.main);
  for (const channel of CHANNELS) {
    await expect(futureVisits(main).filter(bySource(channel)).first()).toBeVisible();
  }
  await expectAccessible(page);
  const viaEsia = await sourcesOf(page);
  expect(viaEsia.main).toEqual(['doctor', 'electronic_queue', 'infomat', 'portal', 'registry']);
  // The son's visit booked by his father (and his registry visit) are not Анна's to see.
  expect([...viaEsia.child.futureVisits, ...viaEsia.child.pastVisits]).toEqual([]);
  await expect(personCard(page, demoPeople.child).getByText('Будущих визитов нет.')).toBeVisible();

  // The settings say Госуслуги are linked.
  await page.goto('/settings');
  const esia = page.getByRole('region', { name: 'Госуслуги' });
  await expect(esia.getByText('Привязаны', { exact: true })).toBeVisible();
  await expectAccessible(page);

  // The same person with e-mail and password: portal visits only.
  await logoutViaApi(page);
  await loginThroughPage(page, demo.patient.email);
  await expect(page.getByRole('heading', { level: 1, name: 'Моя картотека' })).toBeVisible();
  expect(await sessionOf(page)).toMatchObject({ authMethod: 'password' });
  const viaEmail = await sourcesOf(page);
  expect(viaEmail.main).toEqual(['portal']);
  expect([...viaEmail.child.futureVisits, ...viaEmail.child.pastVisits]).toEqual([]);
  for (const channel of CHANNELS) {
    await expect(futureVisits(personCard(page, demoPeople.main)).filter(bySource(channel))).toHaveCount(0);
  }
  await expect(
    futureVisits(personCard(page, demoPeople.main)).filter(bySource('Региональный портал')).first(),
  ).toBeVisible();
  await logoutViaApi(page);
});

test('a first sign-in through Госуслуги completes the registration with the полис', async ({ page }) => {
  await signInThroughStandin(page, /^Семёнова-Ёлкина Алёна Фёдоровна/);
  await expect(page.getByRole('heading', { level: 1, name: 'Завершение регистрации' })).toBeVisible();
  await expect(page).toHaveURL(/\/esia\/register$/);
  await expect(page.getByText('Семёнова-Ёлкина Алёна Фёдоровна')).toBeVisible();
  await expect(page.getByText('30 августа 1993')).toBeVisible();
  await expectAccessible(page);

  // An empty полис is explained next to the field and in the summary.
  await page.getByRole('button', { name: 'Завершить регистрацию' }).click();
  await expect(page.getByRole('alert').getByRole('link', { name: 'Введите номер полиса ОМС' })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('textbox', { name: 'Номер полиса ОМС' }).fill('1851 0044 0099 0042');
  await page.getByRole('button', { name: 'Завершить регистрацию' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Моя картотека' })).toBeVisible();
  const card = personCard(page, 'Семёнова-Ёлкина Алёна Фёдоровна');
  await expect(card).toBeVisible();
  expect(await sessionOf(page)).toMatchObject({
    authMethod: 'esia',
    mainPersonStatus: 'confirmed',
    email: 'alena.semyonova@example.org',
  });
  await expect(
    page.getByRole('navigation', { name: 'Основное меню' }).getByRole('link', { name: 'Моя картотека' }),
  ).toBeVisible();
  await logoutViaApi(page);

  // The next time it goes straight to the card file.
  await signInThroughStandin(page, /^Семёнова-Ёлкина Алёна Фёдоровна/);
  await expect(page.getByRole('heading', { level: 1, name: 'Моя картотека' })).toBeVisible();
  await logoutViaApi(page);
});

test('«Отказать» on Госуслуги ends on a clear page, and a deleted account is refused', async ({ page }) => {
  await signInThroughStandin(page, 'deny');
  await expect(page.getByRole('heading', { level: 1, name: 'Вход через Госуслуги не выполнен' })).toBeVisible();
  await expect(page).toHaveURL(/\/esia\/error\?code=ESIA_DENIED$/);
  await expect(page.getByRole('alert')).toContainText('отказано в предоставлении данных');
  await expect(page.getByRole('link', { name: 'Войти по адресу электронной почты' })).toBeVisible();
  await expectAccessible(page);
  expect(await sessionOf(page)).toBeNull();

  await signInThroughStandin(page, /^Орлова Вера Николаевна/);
  await expect(page).toHaveURL(/\/esia\/error\?code=ESIA_ACCOUNT_DELETED$/);
  await expect(page.getByRole('alert')).toContainText('Учётная запись на Госуслугах удалена');
  expect(await sessionOf(page)).toBeNull();
});

test('linking Госуслуги from the settings asks for the password, and refuses another person’s account', async ({
  page,
}) => {
  const fresh = await signUpPatient(page.request);
  await page.goto('/settings');
  const section = page.getByRole('region', { name: 'Госуслуги' });
  await expect(section.getByRole('button', { name: 'Привязать Госуслуги' })).toBeVisible();
  await expectAccessible(page);

  await section.getByLabel('Пароль от личного кабинета').fill('Не-тот-пароль-1');
  await section.getByRole('button', { name: 'Привязать Госуслуги' }).click();
  await expect(section.getByRole('alert')).toContainText('Неверный пароль.');
  await expect(page).toHaveURL(/\/settings$/);

  await section.getByLabel('Пароль от личного кабинета').fill(fresh.password);
  await section.getByRole('button', { name: 'Привязать Госуслуги' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Вход в систему «Приём»' })).toBeVisible();
  // Григорьев Тимур is not the person of this card file (and has no СНИЛС on ЕСИА to compare).
  await page.getByRole('radio', { name: /^Григорьев Тимур Рашидович/ }).check();
  await page.getByRole('button', { name: 'Предоставить' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Госуслуги не привязаны' })).toBeVisible();
  await expect(page).toHaveURL(/\/esia\/error\?code=ESIA_PERSON_MISMATCH$/);
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Вернуться в настройки' }).click();
  await expect(section.getByRole('button', { name: 'Привязать Госуслуги' })).toBeVisible();
  expect(await sessionOf(page)).toMatchObject({ email: fresh.email, authMethod: 'password' });
});
