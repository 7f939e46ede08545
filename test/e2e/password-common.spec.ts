// Sign-up refuses a common password in the browser: the server's reason («слишком
// распространён», «адрес электронной почты или имя») appears in the error summary, which
// takes focus, and next to the password field; a strong password then goes through.
import { randomInt } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { expectAccessible } from './patient-support.js';

test('sign-up: a common password and one made of the address are refused with the reason, a strong one is taken', async ({
  page,
}) => {
  const name = `svetlana.e2e${randomInt(1e6)}`;
  const email = `${name}@example.test`;
  await page.goto('/signup');
  await page.getByRole('textbox', { name: 'Адрес электронной почты' }).fill(email);

  const attempt = async (password: string) => {
    await page.getByLabel('Пароль', { exact: true }).fill(password);
    await page.getByLabel('Повторите пароль').fill(password);
    await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
  };

  // Long enough, letters and digits: the form's own check passes, the server refuses it.
  await attempt('qwerty1234');
  const summary = page.getByRole('alert').filter({ hasText: 'слишком распространён' });
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  await expect(
    page.getByText('Этот пароль слишком распространён: его легко подобрать. Придумайте другой.').last(),
  ).toBeVisible();
  await expectAccessible(page);

  await attempt(`${name}2026`);
  await expect(page.getByRole('alert').filter({ hasText: 'адрес электронной почты или имя' })).toBeVisible();

  await attempt('Signup-journey-2');
  await expect(page.getByRole('heading', { level: 1, name: 'Проверьте почту' })).toBeVisible();
});
