// The patient's first steps: sign-up with the e-mailed link, personal data (with a refused
// СНИЛС first), the card file while the data waits for the moderator, the moderator's
// confirmation in another browser, and then booking opens. And the login page.
import { randomInt } from 'node:crypto';
import { expect, test } from '@playwright/test';
import type { ModerationItem } from '../../src/shared/api/index.js';
import { snilsWithChecksum } from '../../src/shared/validation.js';
import { apiGet, demo, latestDevMailId, loginViaApi, readDevMail } from './support.js';
import { chooseRadio, expectAccessible, loginThroughPage, personCard } from './patient-support.js';

test('sign-up with the e-mailed link, personal data, moderation, then booking opens', async ({ page, browser }) => {
  const email = `e2e-signup-${Date.now().toString(36)}-${randomInt(1e6)}@example.test`;
  const password = 'Signup-journey-2';

  // «Регистрация» → «Проверьте почту».
  await page.goto('/signup');
  await expect(page.getByRole('heading', { level: 1, name: 'Регистрация' })).toBeVisible();
  await expectAccessible(page);
  const mailBefore = await latestDevMailId(page);
  await page.getByRole('textbox', { name: 'Адрес электронной почты' }).fill(email);
  await page.getByLabel('Пароль', { exact: true }).fill(password);
  await page.getByLabel('Повторите пароль').fill(password);
  await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Проверьте почту' })).toBeVisible();
  await expect(page.getByText(email, { exact: true })).toBeVisible();
  await expectAccessible(page);

  // The link from the letter confirms the address and leads to the personal data form.
  const mail = await readDevMail(page, { to: email, after: mailBefore });
  expect(mail.link, `no link in: ${mail.text}`).toMatch(/\/confirm-email\?token=/);
  await page.goto(mail.link!);
  await expect(page.getByRole('heading', { level: 1, name: 'Ваши личные данные' })).toBeVisible();
  await expect(page).toHaveURL(/\/profile$/);
  await expectAccessible(page);

  // Invented data; the first СНИЛС has a wrong checksum.
  const validSnils = snilsWithChecksum(String(randomInt(100_000_000, 999_999_999)));
  const badSnils = validSnils.slice(0, 9) + String((Number(validSnils.slice(9)) + 1) % 100).padStart(2, '0');
  // Names take Russian letters only: a random suffix keeps this person apart in the queue.
  const letters = 'абвгдежзиклмнопрстуфхцчшэюя';
  const lastName = `Тестова-${Array.from({ length: 4 }, () => letters[randomInt(letters.length)]).join('')}`;
  await page.getByLabel('Фамилия', { exact: true }).fill(lastName);
  await page.getByLabel('Имя', { exact: true }).fill('Вероника');
  await page.getByLabel('Отчество').fill('Игоревна');
  await page.getByLabel('День').fill('12');
  await page.getByLabel('Месяц').fill('4');
  await page.getByLabel('Год').fill('1991');
  await chooseRadio(page, 'Женский');
  const snils = page.getByLabel('СНИЛС');
  await snils.fill(badSnils);
  await page
    .getByLabel('Полис ОМС')
    .fill(`18${String(randomInt(0, 1e7)).padStart(7, '0')}${String(randomInt(0, 1e7)).padStart(7, '0')}`);
  await page.getByLabel('Телефон').fill('+7 900 000-00-00');
  await page.getByRole('button', { name: 'Отправить на проверку' }).click();

  // The error summary takes focus and links to the field; the field says what is wrong.
  const summary = page.getByRole('alert');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('heading', { name: 'Исправьте ошибки' })).toBeVisible();
  const problem = 'Проверьте СНИЛС: контрольное число не совпадает';
  await expect(summary.getByRole('link', { name: problem })).toBeVisible();
  await expect(snils).toHaveAttribute('aria-invalid', 'true');
  await expect(snils).toHaveAccessibleDescription(new RegExp(problem));
  await expectAccessible(page);
  await summary.getByRole('link', { name: problem }).click();
  await expect(snils).toBeFocused();

  // Corrected: the card file, with the data on moderation and booking not yet possible.
  await snils.fill(validSnils);
  await page.getByRole('button', { name: 'Отправить на проверку' }).click();
  await expect(page).toHaveURL(/\/cardfile$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Моя картотека' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Данные отправлены на проверку' })).toBeVisible();
  const name = `${lastName} Вероника Игоревна`;
  const card = personCard(page, name);
  await expect(card).toContainText('Главный пользователь');
  await expect(card.locator('.tag').filter({ hasText: 'На проверке' })).toBeVisible();
  await expect(card.getByRole('link', { name: /Записать к врачу/ })).toHaveCount(0);
  await expect(card.getByText('Запись к врачу станет доступна, когда модератор подтвердит данные.')).toBeVisible();
  await expectAccessible(page);

  // The moderator, in another browser, confirms the person from the queue.
  const moderatorContext = await browser.newContext();
  try {
    const moderator = await moderatorContext.newPage();
    await loginViaApi(moderator, demo.moderator.email);
    const { items } = await apiGet<{ items: ModerationItem[] }>(moderator, '/api/moderation/queue');
    const item = items.find((i) => i.accountEmail === email);
    expect(item, 'the new person is in the moderation queue').toBeTruthy();
    await moderator.goto('/moderation');
    await moderator.locator(`a[href="/moderation/${item!.id}"]`).click();
    await expect(moderator.getByRole('heading', { level: 2, name })).toBeVisible();
    await moderator.getByRole('button', { name: 'Подтвердить' }).click();
    await expect(moderator.getByRole('status').filter({ hasText: 'Данные подтверждены' })).toBeVisible();
  } finally {
    await moderatorContext.close();
  }

  // Back in the patient's browser: confirmed, and «Записать к врачу» is there.
  await page.reload();
  await expect(card.locator('.tag').filter({ hasText: 'Подтверждена' })).toBeVisible();
  await expect(card.getByText('Запись к врачу станет доступна, когда модератор подтвердит данные.')).toHaveCount(0);
  await expect(card.getByRole('link', { name: /^Записать к врачу/ })).toBeVisible();
  await expectAccessible(page);
});

test('login page: a wrong password is refused in the error summary, the right one opens the card file', async ({
  page,
}) => {
  await loginThroughPage(page, demo.patient.email, 'Wrong-password-1');
  const summary = page.getByRole('alert');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Неверный адрес электронной почты или пароль.');
  await expect(page.getByRole('heading', { level: 1, name: 'Вход в личный кабинет' })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel('Пароль', { exact: true }).fill(demo.patient.password);
  await page.getByRole('button', { name: 'Войти', exact: true }).click();
  await expect(page).toHaveURL(/\/cardfile$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Моя картотека' })).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Основное меню' }).getByRole('button', { name: 'Выйти' }),
  ).toBeVisible();
  await expectAccessible(page);
});
