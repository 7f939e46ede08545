// The operator's journey: region rules (cut-off time and booking horizon), an
// organisation's settings, the audit log, a bad value, and who may not enter.
// Every test puts the settings back as they were, for the journeys that run after it.
import { expect, test, type Page } from '@playwright/test';
import type { RegionSettings } from '../../src/shared/api/index.js';
import { apiCall, apiGet, demo, expectFitsNarrowScreen, expectNoA11yViolations, loginViaApi } from './support.js';

type OrganisationWithSettings = { id: number; name: string; waitlistAllowed: boolean; cutoffOverride: string | null };

const labels = {
  cutoff: 'Время окончания отмены записи накануне визита',
  horizon: 'Горизонт записи, дней',
};

async function regionSettings(page: Page): Promise<RegionSettings> {
  const s = await apiGet<RegionSettings>(page, '/api/operator/settings');
  return {
    cutoffTime: s.cutoffTime,
    horizonDays: s.horizonDays,
    maxPerSpecialty: s.maxPerSpecialty,
    holdMinutes: s.holdMinutes,
    offerWindowHours: s.offerWindowHours,
    maxOffers: s.maxOffers,
  };
}

test('a signed-out visitor is sent to the login page', async ({ page }) => {
  await page.goto('/operator');
  await expect(page).toHaveURL(/\/login\?next=%2Foperator$/);
});

test('a patient who opens /operator is refused', async ({ page }) => {
  await loginViaApi(page, demo.patient.email);
  await page.goto('/operator');
  await expect(page.getByRole('heading', { level: 1, name: 'Недостаточно прав' })).toBeVisible();
  await expect(page.getByLabel(labels.cutoff)).toHaveCount(0);
  expect((await page.request.get('/api/operator/settings')).status()).toBe(403);
  await expectNoA11yViolations(page);
});

test('a moderator is refused too', async ({ page }) => {
  await loginViaApi(page, demo.moderator.email);
  await page.goto('/operator');
  await expect(page.getByRole('heading', { level: 1, name: 'Недостаточно прав' })).toBeVisible();
});

test('the operator changes the cut-off time and the horizon and sees them in the audit log', async ({ page }) => {
  await loginViaApi(page, demo.operator.email);
  const original = await regionSettings(page);
  const next = {
    cutoffTime: original.cutoffTime === '17:30' ? '16:45' : '17:30',
    horizonDays: original.horizonDays === 21 ? 20 : 21,
  };
  try {
    await page.goto('/operator');
    await expect(page.getByRole('heading', { level: 1, name: 'Настройки портала' })).toBeVisible();
    const cutoff = page.getByRole('textbox', { name: labels.cutoff });
    const horizon = page.getByRole('textbox', { name: labels.horizon });
    await expect(cutoff).toHaveValue(original.cutoffTime);
    await expect(horizon).toHaveValue(String(original.horizonDays));
    await expectNoA11yViolations(page);

    await cutoff.fill(next.cutoffTime);
    await horizon.fill(String(next.horizonDays));
    await page.getByRole('button', { name: 'Сохранить правила' }).click();

    await expect(page.getByRole('status').filter({ hasText: 'Настройки сохранены' })).toBeVisible();
    expect(await regionSettings(page)).toEqual({ ...original, ...next });

    // The newest audit entry: who, and each change from -> to.
    const newest = page.locator('.staff-audit tbody tr').first();
    await expect(newest).toContainText('Правила региона');
    await expect(newest).toContainText(demo.operator.email);
    await expect(newest).toContainText(new RegExp(`${labels.cutoff}: ${original.cutoffTime}.*${next.cutoffTime}`));
    await expect(newest).toContainText(new RegExp(`${labels.horizon}: ${original.horizonDays}.*${next.horizonDays}`));
    await expectNoA11yViolations(page);

    // After a reload the form shows the saved values and who saved them.
    await page.reload();
    await expect(cutoff).toHaveValue(next.cutoffTime);
    await expect(horizon).toHaveValue(String(next.horizonDays));
    await expect(page.getByText(/Последнее изменение: .*operator@example\.org/)).toBeVisible();
  } finally {
    await apiCall(page, 'PUT', '/api/operator/settings', original);
  }
});

test('a bad value is shown in the error summary, which takes focus, and nothing is saved', async ({ page }) => {
  await loginViaApi(page, demo.operator.email);
  const original = await regionSettings(page);
  await page.goto('/operator');
  const cutoff = page.getByRole('textbox', { name: labels.cutoff });
  await expect(cutoff).toHaveValue(original.cutoffTime);
  // Counted through the API: the page's audit table may still be loading at this point.
  const auditBefore = (await apiGet<{ entries: unknown[] }>(page, '/api/operator/audit?limit=200')).entries.length;

  await cutoff.fill('25:00');
  await page.getByRole('textbox', { name: labels.horizon }).fill('0');
  await page.getByRole('button', { name: 'Сохранить правила' }).click();

  const summary = page.getByRole('alert');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Исправьте ошибки');
  await expect(summary.getByRole('link', { name: 'Время в формате ЧЧ:ММ, например 18:00' })).toBeVisible();
  await expect(summary.getByRole('link', { name: 'Не меньше 1 дня' })).toBeVisible();
  await expect(cutoff).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('status').filter({ hasText: 'Настройки сохранены' })).toHaveCount(0);
  await expectNoA11yViolations(page);

  // The summary's link leads to the field.
  await summary.getByRole('link', { name: 'Время в формате ЧЧ:ММ, например 18:00' }).click();
  await expect(cutoff).toBeFocused();

  expect(await regionSettings(page)).toEqual(original);
  expect((await apiGet<{ entries: unknown[] }>(page, '/api/operator/audit?limit=200')).entries.length).toBe(
    auditBefore,
  );

  // The server refuses the same value too (the page is not the only guard).
  const res = await apiCall(
    page,
    'PUT',
    '/api/operator/settings',
    { ...original, cutoffTime: '25:00' },
    { allowFailure: true },
  );
  expect(res.status()).toBe(400);
  expect(((await res.json()) as { fields: Record<string, string> }).fields.cutoffTime).toBe(
    'Время в формате ЧЧ:ММ, например 18:00',
  );
});

test('the operator changes an organisation’s settings', async ({ page }) => {
  await loginViaApi(page, demo.operator.email);
  const { organisations } = await apiGet<{ organisations: OrganisationWithSettings[] }>(
    page,
    '/api/operator/organisations',
  );
  expect(organisations.length).toBeGreaterThan(0);
  const org = organisations[0];
  try {
    await page.goto('/operator');
    const form = page.getByRole('form', { name: org.name });
    const cutoff = form.getByRole('textbox', { name: /Своё время окончания отмены/ });
    const waitlist = form.getByRole('checkbox', { name: 'Разрешена запись в очередь' });
    await expect(waitlist).toBeChecked({ checked: org.waitlistAllowed });

    // A bad time first: the error summary is in this organisation's form.
    await cutoff.fill('24:00');
    await form.getByRole('button', { name: /Сохранить/ }).click();
    await expect(form.getByRole('alert')).toBeFocused();
    await expect(form.getByRole('alert')).toContainText('Время в формате ЧЧ:ММ');

    await cutoff.fill('16:00');
    await form.getByText('Разрешена запись в очередь').click();
    await expect(waitlist).toBeChecked({ checked: !org.waitlistAllowed });
    await form.getByRole('button', { name: /Сохранить/ }).click();
    await expect(form.getByRole('status').filter({ hasText: 'Настройки сохранены' })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);

    const after = (
      await apiGet<{ organisations: OrganisationWithSettings[] }>(page, '/api/operator/organisations')
    ).organisations.find((o) => o.id === org.id);
    expect(after).toMatchObject({ cutoffOverride: '16:00', waitlistAllowed: !org.waitlistAllowed });
    const newest = page.locator('.staff-audit tbody tr').first();
    await expect(newest).toContainText('Настройки МО');
    await expect(newest).toContainText(/Своё время окончания отмены: .*16:00/);
    await expect(newest).toContainText(/Разрешена запись в очередь: (да.*нет|нет.*да)/);
    await expectNoA11yViolations(page);
  } finally {
    await apiCall(page, 'PUT', `/api/operator/organisations/${org.id}`, {
      waitlistAllowed: org.waitlistAllowed,
      cutoffOverride: org.cutoffOverride,
    });
  }
});

test('the operator page fits a 320 px screen', async ({ page }) => {
  await loginViaApi(page, demo.operator.email);
  await page.goto('/operator');
  await expect(page.locator('.staff-audit, .staff-section p').first()).toBeVisible();
  await expect(page.getByRole('textbox', { name: labels.cutoff })).toBeVisible();
  await expectFitsNarrowScreen(page);
  await page.setViewportSize({ width: 320, height: 800 });
  await page.getByRole('textbox', { name: labels.cutoff }).fill('99:99');
  await page.getByRole('button', { name: 'Сохранить правила' }).click();
  await expect(page.getByRole('alert')).toBeFocused();
  await expectFitsNarrowScreen(page);
  await expectNoA11yViolations(page);
});
