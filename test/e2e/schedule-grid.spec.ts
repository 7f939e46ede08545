// The doctor's schedule as one ARIA grid (issue 20): a single Tab stop, arrow keys between
// times (down the day and across the days side by side on a wide screen; along the wrapped
// times of the one shown day on a phone), Home/End, and the day picker on a phone. Free
// times are named «свободно» and framed, never told by colour alone.
import { expect, type Locator, type Page, test } from '@playwright/test';
import { demo, loginViaApi } from './support.js';
import { doctorWithFreeTime, expectAccessible, personNamed, demoPeople, slotLabel } from './patient-support.js';

/** The grid's one element in the Tab order. */
function tabStop(grid: Locator): Locator {
  return grid.locator('[data-cell][tabindex="0"]');
}

/** The accessible label of the focused element (a time's name starts with its date). */
async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '';
  });
}

const dateOf = (name: string) => name.split(',')[0];

test('a wide screen: days side by side, one Tab stop, arrow keys down a day and across days', async ({ page }) => {
  const { doctor } = await doctorWithFreeTime(page, 'педиатр');
  await page.goto(`/doctors/${doctor.id}`);
  const grid = page.getByRole('grid', { name: 'Время приёма' });
  await expect(grid).toBeVisible();
  await expect(page.getByRole('group', { name: 'Выберите день' })).toBeHidden();
  await expect(tabStop(grid)).toHaveCount(1);
  expect(await grid.getByRole('row').count()).toBeGreaterThan(1);

  // Tab reaches the grid once, at a free time.
  await tabStop(grid).focus();
  const first = await focusedName(page);
  expect(first).toMatch(/свободно, записаться$/);

  // Down: the next time of the same day.
  await page.keyboard.press('ArrowDown');
  const below = await focusedName(page);
  expect(dateOf(below)).toBe(dateOf(first));
  expect(below).not.toBe(first);
  await page.keyboard.press('ArrowUp');
  expect(await focusedName(page)).toBe(first);

  // Right: the day beside it.
  await page.keyboard.press('ArrowRight');
  const beside = await focusedName(page);
  expect(dateOf(beside)).not.toBe(dateOf(first));
  // The Tab stop moved with the focus: still exactly one.
  await expect(tabStop(grid)).toHaveCount(1);
  await expect(tabStop(grid)).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  expect(await focusedName(page)).toBe(first);

  // Home and End stay in the day.
  await page.keyboard.press('End');
  const last = await focusedName(page);
  expect(dateOf(last)).toBe(dateOf(first));
  await page.keyboard.press('Home');
  expect(dateOf(await focusedName(page))).toBe(dateOf(first));

  // Tab leaves the grid in one step.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('[role="grid"]') === null)).toBe(true);
  await expectAccessible(page);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 360, height: 800 } });

  test('one day at a time from the day picker, arrow keys along its times, Enter books', async ({ page }) => {
    await loginViaApi(page, demo.single.email);
    const petrov = await personNamed(page, demoPeople.single);
    const { doctor, slot } = await doctorWithFreeTime(page, 'кардиолог');
    await page.goto(`/book/${petrov.id}/doctor/${doctor.id}`);
    const grid = page.getByRole('grid', { name: 'Время приёма' });
    const picker = page.getByRole('group', { name: 'Выберите день' });
    await expect(picker).toBeVisible();
    // One day shown; its header names it.
    await expect(grid.getByRole('row').filter({ visible: true })).toHaveCount(1);
    await expect(picker.getByRole('button', { pressed: true })).toHaveCount(1);
    // Every day in the picker says how many free times it has, in words.
    for (const text of await picker.getByRole('button').allTextContents()) {
      expect(text).toMatch(/\d+ свободно|нет свободных/);
    }

    // The time's day from the picker: its row is the one shown and holds the Tab stop.
    const [, m, d] = slot.date.split('-');
    await picker.getByRole('button', { name: new RegExp(` ${d}\\.${m}`) }).click();
    const shown = grid.getByRole('row').filter({ visible: true });
    await expect(shown).toHaveCount(1);
    await expect(tabStop(grid)).toHaveCount(1);
    await expect(shown.locator('[data-cell][tabindex="0"]')).toHaveCount(1);
    await tabStop(grid).focus();
    const start = await focusedName(page);
    expect(dateOf(start)).toBe(slotLabel(slot).split(',')[0]);

    // Arrows walk the wrapped times of this day until the slot; Right then Left returns.
    const cellCount = await shown.locator('[data-cell]').count();
    if (cellCount > 1) {
      await page.keyboard.press('ArrowRight');
      const next = await focusedName(page);
      expect(next).not.toBe(start);
      expect(dateOf(next)).toBe(dateOf(start));
      await page.keyboard.press('ArrowLeft');
      expect(await focusedName(page)).toBe(start);
    }
    await page.keyboard.press('Home');
    const target = `${slotLabel(slot)}, свободно`;
    for (let i = 0; i < cellCount && (await focusedName(page)) !== target; i += 1) {
      await page.keyboard.press('ArrowRight');
    }
    expect(await focusedName(page)).toBe(target);
    await expectAccessible(page);

    // Enter on the focused time holds it: the check page.
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Проверьте данные записи' })).toBeVisible();
    await page.getByRole('button', { name: 'Отмена', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Выберите дату и время' })).toBeVisible();
  });
});
