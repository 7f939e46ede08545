// The operator issues an integration API key on the operator page, sees it once, the clinic
// system uses it, and the operator revokes it; the page is checked with axe on the way.
import { expect, test } from '@playwright/test';
import { demo, expectFitsNarrowScreen, expectNoA11yViolations, loginViaApi } from './support.js';

test('the operator issues a key, sees it once, and revokes it', async ({ page }) => {
  await loginViaApi(page, demo.operator.email);
  await page.goto('/operator');
  const section = page.getByRole('region', { name: 'Ключи доступа к API' });
  await expect(section.getByRole('heading', { name: 'Выпустить ключ' })).toBeVisible();
  const label = `Электронная очередь, корпус ${Date.now() % 100_000}`;

  // Nothing chosen: the error summary takes focus and names each field.
  await section.getByRole('button', { name: 'Выпустить ключ' }).click();
  const summary = section.getByRole('alert');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Выберите медицинскую организацию');
  await expect(summary).toContainText('Выберите канал');
  await expectNoA11yViolations(page);

  await section.getByLabel('Медицинская организация').selectOption({ index: 1 });
  const organisation =
    (await section.getByLabel('Медицинская организация').locator('option:checked').textContent())?.trim() ?? '';
  await section.getByRole('radio', { name: 'Электронная очередь' }).check({ force: true });
  await section.getByRole('textbox', { name: 'Название ключа' }).fill(label);
  await section.getByRole('button', { name: 'Выпустить ключ' }).click();

  // The key, once.
  const issued = section.getByRole('region', { name: `Ключ «${label}» выпущен` });
  await expect(issued).toBeVisible();
  await expect(issued.getByRole('heading', { name: `Ключ «${label}» выпущен` })).toBeFocused();
  await expect(issued).toContainText('он показан один раз');
  const key = await issued.getByRole('textbox', { name: 'Ключ' }).inputValue();
  expect(key).toMatch(/^priyom_[A-Za-z0-9_-]{43}$/);
  await expectNoA11yViolations(page);
  await expectFitsNarrowScreen(page);

  // The clinic system can use it at once.
  const doctors = await page.request.get('/api/integration/v1/doctors', {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(doctors.status()).toBe(200);

  await issued.getByRole('button', { name: 'Ключ сохранён' }).click();
  await expect(issued).toHaveCount(0);
  const row = section.getByRole('row').filter({ hasText: label });
  await expect(row).toContainText(key.slice(0, 15));
  await expect(row).toContainText(organisation);
  await expect(row).toContainText('Действует');
  // Never shown again, not even after a reload.
  await page.reload();
  await expect(section.getByRole('row').filter({ hasText: label })).toBeVisible();
  expect(await page.content()).not.toContain(key);
  // The audit log names the new key.
  await expect(page.locator('.staff-audit tbody tr').first()).toContainText(`Выпущен ключ API «${label}»`);

  // Revoke, with a confirmation.
  await section
    .getByRole('row')
    .filter({ hasText: label })
    .getByRole('button', { name: `Отозвать ключ «${label}»` })
    .click();
  const dialog = page.getByRole('alertdialog', { name: 'Отозвать ключ?' });
  await expect(dialog).toBeVisible();
  await expectNoA11yViolations(page);
  await dialog.getByRole('button', { name: 'Отозвать ключ' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(section.getByRole('status').filter({ hasText: 'Ключ отозван' })).toBeVisible();
  await expect(section.getByRole('row').filter({ hasText: label })).toContainText('Отозван');
  await expect(section.getByRole('row').filter({ hasText: label }).getByRole('button')).toHaveCount(0);
  await expect(page.locator('.staff-audit tbody tr').first()).toContainText(`Отозван ключ API «${label}»`);
  await expectNoA11yViolations(page);

  const refused = await page.request.get('/api/integration/v1/doctors', {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(refused.status()).toBe(401);
  expect(((await refused.json()) as { code: string }).code).toBe('API_KEY_REVOKED');
});

test('a patient cannot issue keys', async ({ page }) => {
  await loginViaApi(page, demo.patient.email);
  const res = await page.request.get('/api/operator/api-keys');
  expect(res.status()).toBe(403);
});
