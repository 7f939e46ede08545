// Password recovery: the page answers at once and the same for any address; the link comes
// by e-mail once the worker has run the job (the development mailbox shows it); the new
// password works and the old one no longer does.
import { expect, test } from '@playwright/test';
import { latestDevMailId, readDevMail, signUpPatient } from './support.js';
import { expectAccessible, loginThroughPage } from './patient-support.js';

const NEW_PASSWORD = 'Сиреневый-колокол-2026';

test('a forgotten password: the e-mailed link, a new password, then sign-in with it', async ({ page, request }) => {
  const patient = await signUpPatient(request, { person: null });

  // An unknown address is answered exactly like a registered one.
  for (const email of [`nobody-${Date.now().toString(36)}@example.test`, patient.email]) {
    await page.goto('/login');
    await page.getByRole('link', { name: 'Забыли пароль?' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Восстановление пароля' })).toBeVisible();
    await page.getByRole('textbox', { name: 'Адрес электронной почты' }).fill(email);
    const before = await latestDevMailId(request);
    await page.getByRole('button', { name: 'Отправить ссылку' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Проверьте почту' })).toBeVisible();
    await expect(page.getByText(`Если адрес ${email} зарегистрирован на портале`)).toBeVisible();
    await expectAccessible(page);
    if (email !== patient.email) continue;

    const mail = await readDevMail(request, {
      to: patient.email,
      subjectIncludes: 'Восстановление пароля',
      after: before,
    });
    expect(mail.link).toMatch(/\/reset-password\?token=/);
    await page.goto(mail.link!);
  }

  await expect(page.getByRole('heading', { level: 1, name: 'Новый пароль' })).toBeVisible();
  await page.getByLabel('Новый пароль', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Повторите новый пароль').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Сохранить пароль' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Пароль изменён' })).toBeVisible();
  await expectAccessible(page);

  await loginThroughPage(page, patient.email, patient.password);
  await expect(page.getByRole('alert')).toContainText('Неверный адрес электронной почты или пароль.');
  await page.getByLabel('Пароль', { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Войти', exact: true }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await expect(
    page.getByRole('navigation', { name: 'Основное меню' }).getByRole('button', { name: 'Выйти' }),
  ).toBeVisible();
});
