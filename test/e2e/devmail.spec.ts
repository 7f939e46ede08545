// The development mailbox: e-mails of the demo shown as text with clickable links.
import { expect, test } from '@playwright/test';
import { expectFitsNarrowScreen, expectNoA11yViolations, readDevMail, signUpPatient } from './support.js';

test('the development mailbox lists e-mails, newest first, with clickable links and no HTML injected', async ({
  page,
  request,
}) => {
  const patient = await signUpPatient(request, { person: null });
  const mail = await readDevMail(request, { to: patient.email, subjectIncludes: 'Подтверждение адреса' });
  expect(mail.link).toMatch(/\/confirm-email\?token=/);

  await page.goto('/dev/mail');
  await expect(page.getByRole('heading', { level: 1, name: 'Почтовый ящик разработчика' })).toBeVisible();
  await expect(
    page.getByText('Только в демонстрационном режиме: письма не отправляются, а показываются здесь.'),
  ).toBeVisible();

  const message = page.locator('article').filter({ hasText: patient.email }).first();
  await expect(message.getByRole('heading', { name: 'Подтверждение адреса электронной почты' })).toBeVisible();
  await expect(message.getByRole('link', { name: mail.link! })).toHaveAttribute('href', mail.link!);
  // The text part is shown as text: no markup from the HTML part.
  expect(await message.locator('.staff-mail-text').evaluate((el) => el.children.length)).toBe(
    await message.locator('.staff-mail-text a').count(),
  );

  // Newest first.
  const times = await page.locator('article time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime') ?? ''));
  expect(times).toEqual([...times].sort().reverse());

  await expectNoA11yViolations(page);
  await expectFitsNarrowScreen(page);
});

test('without the development mailbox (production, or SMTP configured) the page says it is unavailable', async ({
  page,
}) => {
  // The server registers /api/dev/mail only in demo mode without SMTP; elsewhere it is a 404.
  await page.route('**/api/dev/mail', (route) =>
    route.fulfill({
      status: 404,
      contentType: 'application/json',
      body: JSON.stringify({ code: 'NOT_FOUND', message: 'Не найдено.' }),
    }),
  );
  await page.goto('/dev/mail');
  await expect(page.getByRole('heading', { level: 1, name: 'Почтовый ящик разработчика' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Недоступно' })).toBeVisible();
  await expect(page.locator('article')).toHaveCount(0);
  await expectNoA11yViolations(page);
});
