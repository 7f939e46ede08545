// The family from Госуслуги and a person's history in the browser (issue 19, SPEC 8a). Signed in
// with e-mail, Анна's card file says which visits it cannot show and offers «Войти через
// Госуслуги»; through the ЕСИА stand-in her children known to ЕСИА appear confirmed (her son,
// typed in before, is linked, not duplicated; her daughter Софья is new); each person's
// «История записей» says who booked or cancelled what, when and through which channel — the
// holder's registry visits in the ЕСИА session only. Sign-up offers «Войти через Госуслуги» too.
// Screenshots at 360 and 1280 px go to /tmp/family/.
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { CardFilePerson, PersonHistoryResponse } from '../../src/shared/api/index.js';
import { apiGet, demo, expectFitsNarrowScreen, logoutViaApi } from './support.js';
import { demoPeople, expectAccessible, loginThroughPage, personCard } from './patient-support.js';

const SHOTS = '/tmp/family';
const SOFYA = 'Иванова Софья Андреевна';

async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const previous = page.viewportSize();
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
  if (previous) await page.setViewportSize(previous);
}

async function people(page: Page): Promise<CardFilePerson[]> {
  return (await apiGet<{ persons: CardFilePerson[] }>(page, '/api/cardfile')).persons;
}

test('e-mail session notice, children from Госуслуги, and a person’s history', async ({ page }) => {
  await page.goto('/signup');
  await expect(page.getByRole('heading', { level: 1, name: 'Регистрация' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Войти через Госуслуги' })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'signup');

  // Signed in with e-mail: the holder's card says what it cannot show.
  await loginThroughPage(page, demo.patient.email);
  await expect(page.getByRole('heading', { level: 1, name: 'Моя картотека' })).toBeVisible();
  const main = personCard(page, demoPeople.main);
  const notice = main.locator('.notice').filter({ hasText: 'Показаны только записи через портал' });
  await expect(notice).toContainText(
    'Записи в регистратуре, у врача, на инфомате и в электронной очереди не показываются',
  );
  // Only on the holder's card.
  await expect(personCard(page, demoPeople.child).getByText('Показаны только записи через портал')).toHaveCount(0);
  expect((await people(page)).some((p) => `${p.lastName} ${p.firstName} ${p.middleName}` === SOFYA)).toBe(false);
  await expectAccessible(page);
  await expectFitsNarrowScreen(page, 360);
  await screenshots(page, 'cardfile-email');

  // The e-mail session's history of the holder: portal bookings only.
  await main.getByRole('link', { name: `История записей (${demoPeople.main})` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `История записей: ${demoPeople.main}` })).toBeVisible();
  const mainId = new URL(page.url()).pathname.split('/')[2];
  const emailHistory = await apiGet<PersonHistoryResponse>(page, `/api/persons/${mainId}/history`);
  expect(emailHistory.entries.length).toBeGreaterThan(0);
  // Every visit shown was booked through the portal by this account (a doctor may have marked one visited).
  expect(emailHistory.entries.filter((e) => e.kind === 'booked').every((e) => e.channel === 'portal')).toBe(true);
  expect(emailHistory.entries.some((e) => e.channel === 'registry')).toBe(false);
  await expect(page.getByText('Вы вошли по адресу электронной почты').first()).toBeVisible();
  await expectAccessible(page);

  // «Войти через Госуслуги» from the notice, through the stand-in's consent page.
  await page.goto('/cardfile');
  await personCard(page, demoPeople.main)
    .locator('.notice')
    .getByRole('link', { name: 'Войти через Госуслуги' })
    .click();
  await expect(page).toHaveURL(/\/esia-standin\/aas\/oauth2\/v2\/ac\?/);
  await page.getByRole('radio', { name: /^Иванова Анна Сергеевна/ }).check();
  await page.getByRole('button', { name: 'Предоставить' }).click();
  await expect(page).toHaveURL(/\/cardfile$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Моя картотека' })).toBeVisible();

  // Софья joined the card file, confirmed; Михаил was linked, not duplicated; no notice now.
  const sofya = personCard(page, SOFYA);
  await expect(sofya).toBeVisible();
  await expect(sofya.getByText(/Подтвержден/)).toBeVisible();
  await expect(sofya.getByText('Свидетельство о рождении: IV-НИ № 718342 (из Госуслуг)')).toBeVisible();
  await expect(sofya.getByRole('link', { name: `Записать к врачу (${SOFYA})` })).toBeVisible();
  const after = await people(page);
  expect(after.filter((p) => `${p.lastName} ${p.firstName} ${p.middleName}` === demoPeople.child)).toHaveLength(1);
  expect(after.find((p) => `${p.lastName} ${p.firstName} ${p.middleName}` === SOFYA)?.status).toBe('confirmed');
  await expect(page.getByText('Показаны только записи через портал')).toHaveCount(0);
  await expectAccessible(page);
  await screenshots(page, 'cardfile-esia');

  // The ЕСИА session's history of the holder: the registry's and the doctor's visits too.
  await personCard(page, demoPeople.main)
    .getByRole('link', { name: `История записей (${demoPeople.main})` })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: `История записей: ${demoPeople.main}` })).toBeVisible();
  const list = page.locator('ol.history-list > li');
  await expect(list.filter({ hasText: /Кто\s*регистратура/ }).first()).toBeVisible();
  await expect(list.filter({ hasText: /Способ\s*портал/ }).first()).toBeVisible();
  const esiaHistory = await apiGet<PersonHistoryResponse>(page, `/api/persons/${mainId}/history`);
  for (const channel of ['portal', 'registry', 'doctor', 'infomat', 'electronic_queue'])
    expect(
      esiaHistory.entries.some((e) => e.channel === channel),
      channel,
    ).toBe(true);
  await expectAccessible(page);
  await expectFitsNarrowScreen(page, 360);
  await screenshots(page, 'history-esia');

  // The son's history: this account's portal bookings only (his father's are never shown).
  await page.goto('/cardfile');
  await personCard(page, demoPeople.child)
    .getByRole('link', { name: `История записей (${demoPeople.child})` })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: `История записей: ${demoPeople.child}` })).toBeVisible();
  const childId = new URL(page.url()).pathname.split('/')[2];
  const childHistory = await apiGet<PersonHistoryResponse>(page, `/api/persons/${childId}/history`);
  expect(childHistory.entries.every((e) => e.channel === 'portal' && e.who === 'you')).toBe(true);
  await expectAccessible(page);

  await logoutViaApi(page);
});
