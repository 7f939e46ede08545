// The moderator's journey: the queue, one person's data, a rejection with a reason, a
// confirmation, and a decision someone else made first. The decisions are made on fresh
// accounts created here, so the demo people used by the patient journeys stay as they are.
import { expect, test } from '@playwright/test';
import type { ModerationItem } from '../../src/shared/api/index.js';
import { formatSnils } from '../../src/shared/validation.js';
import {
  apiCall,
  apiGet,
  demo,
  expectFitsNarrowScreen,
  expectNoA11yViolations,
  latestDevMailId,
  loginViaApi,
  readDevMail,
  signUpPatient,
} from './support.js';

const name = (p: { lastName: string; firstName: string; middleName: string | null }) =>
  [p.lastName, p.firstName, p.middleName].filter(Boolean).join(' ');

test('a signed-out visitor is sent to the login page and back', async ({ page }) => {
  await page.goto('/moderation');
  await expect(page).toHaveURL(/\/login\?next=%2Fmoderation$/);
});

test('a patient cannot open the moderation pages', async ({ page }) => {
  await loginViaApi(page, demo.patient.email);
  await page.goto('/moderation');
  await expect(page.getByRole('heading', { level: 1, name: 'Недостаточно прав' })).toBeVisible();
  expect((await page.request.get('/api/moderation/queue')).status()).toBe(403);
});

test('a moderator rejects one person with a reason and confirms another', async ({ page, request }) => {
  const first = await signUpPatient(request);
  const second = await signUpPatient(request);
  const toReject = first.person!;
  const toConfirm = second.person!;

  await loginViaApi(page, demo.moderator.email);
  await page.goto('/moderation');
  await expect(page.getByRole('heading', { level: 1, name: 'Проверка данных' })).toBeVisible();

  // The queue, oldest submission first, includes the demo people waiting for a check.
  const { items } = await apiGet<{ items: ModerationItem[] }>(page, '/api/moderation/queue');
  expect(items.map((i) => i.accountEmail)).toContain(demo.patient.email);
  const links = page.locator('.staff-queue h2 a');
  await expect(links).toHaveCount(items.length);
  const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const oldestFirst = [...items]
    .sort((a, b) => a.submittedAt.localeCompare(b.submittedAt))
    .map((i) => `/moderation/${i.id}`);
  expect(hrefs).toEqual(oldestFirst);
  const card = page.locator('.staff-queue-item').filter({ has: page.locator(`a[href="/moderation/${toReject.id}"]`) });
  await expect(card).toContainText(first.email);
  await expect(card).toContainText('Отправлено на проверку');
  await expectNoA11yViolations(page);

  // One person's data, with the СНИЛС formatted and the account's e-mail.
  await page.locator(`a[href="/moderation/${toReject.id}"]`).click();
  await expect(page).toHaveURL(`/moderation/${toReject.id}`);
  await expect(page.getByRole('heading', { level: 2, name: name(toReject) })).toBeVisible();
  await expect(page.getByText(formatSnils(toReject.snils), { exact: true })).toBeVisible();
  await expect(page.getByText(first.email, { exact: true })).toBeVisible();
  await expect(page.getByText('Данные проверяются впервые.')).toBeVisible();
  await expectNoA11yViolations(page);

  // «Отклонить» asks for the reason; an empty one is refused in the error summary.
  await page.getByRole('button', { name: 'Отклонить', exact: true }).click();
  const reason = page.getByRole('textbox', { name: 'Причина отклонения' });
  await expect(reason).toBeFocused();
  await page.getByRole('button', { name: 'Отклонить данные' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Укажите причину');
  await expect(reason).toHaveAttribute('aria-invalid', 'true');
  await expectNoA11yViolations(page);
  await summary.getByRole('link').click();
  await expect(reason).toBeFocused();

  const mailBefore = await latestDevMailId(page);
  await reason.fill('Номер полиса не совпадает с документом');
  await page.getByRole('button', { name: 'Отклонить данные' }).click();

  // Back at the queue with a success notice; the person has left the queue.
  await expect(page).toHaveURL(/\/moderation$/);
  await expect(page.getByRole('status').filter({ hasText: 'Данные отклонены' })).toBeVisible();
  await expect(page.locator(`a[href="/moderation/${toReject.id}"]`)).toHaveCount(0);
  const rejected = await apiGet<ModerationItem>(page, `/api/moderation/persons/${toReject.id}`);
  expect(rejected.status).toBe('rejected');
  expect(rejected.rejectReason).toBe('Номер полиса не совпадает с документом');
  const mail = await readDevMail(page, { to: first.email, subjectIncludes: 'Результат проверки', after: mailBefore });
  expect(mail.text).toContain('Номер полиса не совпадает с документом');

  // Confirm the other one.
  await page.locator(`a[href="/moderation/${toConfirm.id}"]`).click();
  await expect(page.getByRole('heading', { level: 2, name: name(toConfirm) })).toBeVisible();
  await page.getByRole('button', { name: 'Подтвердить' }).click();
  await expect(page).toHaveURL(/\/moderation$/);
  await expect(page.getByRole('status').filter({ hasText: 'Данные подтверждены' })).toBeVisible();
  await expect(page.locator(`a[href="/moderation/${toConfirm.id}"]`)).toHaveCount(0);
  expect((await apiGet<ModerationItem>(page, `/api/moderation/persons/${toConfirm.id}`)).status).toBe('confirmed');
  await expectNoA11yViolations(page);

  // A decided person shows the decision and no buttons.
  await page.goto(`/moderation/${toReject.id}`);
  await expect(page.getByText('Решение уже принято: данные отклонены')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Подтвердить' })).toHaveCount(0);
  await expect(page.getByText('Данные отклонены. Причина: «Номер полиса не совпадает с документом»')).toBeVisible();
});

test('a decision made meanwhile by another moderator is reported, not repeated', async ({ page, browser, request }) => {
  const patient = await signUpPatient(request);
  const person = patient.person!;
  await loginViaApi(page, demo.moderator.email);
  await page.goto(`/moderation/${person.id}`);
  await expect(page.getByRole('button', { name: 'Подтвердить' })).toBeVisible();

  // Another moderator, in another browser, rejects first.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await loginViaApi(otherPage, demo.moderator.email);
  await apiCall(otherPage, 'POST', `/api/moderation/persons/${person.id}/reject`, {
    reason: 'Фамилия написана с ошибкой',
  });
  await other.close();

  await page.getByRole('button', { name: 'Подтвердить' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('По этим данным уже принято решение.');
  await expect(page.getByText('Решение уже принято: данные отклонены')).toBeVisible();
  expect((await apiGet<ModerationItem>(page, `/api/moderation/persons/${person.id}`)).status).toBe('rejected');
  await expectNoA11yViolations(page);
});

test('the moderation pages fit a 320 px screen; cancelling a rejection returns focus', async ({ page, request }) => {
  const patient = await signUpPatient(request);
  await loginViaApi(page, demo.moderator.email);
  await page.goto('/moderation');
  await expect(page.locator(`a[href="/moderation/${patient.person!.id}"]`)).toBeVisible();
  await expectFitsNarrowScreen(page);
  await page.goto(`/moderation/${patient.person!.id}`);
  // «Отмена» closes the reason and puts focus back on «Отклонить».
  const reject = page.getByRole('button', { name: 'Отклонить', exact: true });
  await reject.click();
  await page.getByRole('button', { name: 'Отмена' }).click();
  await expect(page.getByRole('textbox', { name: 'Причина отклонения' })).toHaveCount(0);
  await expect(reject).toBeFocused();
  await reject.click();
  await page.getByRole('button', { name: 'Отклонить данные' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectFitsNarrowScreen(page);
  await page.setViewportSize({ width: 320, height: 800 });
  await expectNoA11yViolations(page);
});
