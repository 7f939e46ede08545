// «Версия для слабовидящих» (issue 20, ГОСТ Р 52872-2019): the switch and its keyboard
// shortcut, the settings kept in this browser and applied before the app's script runs, the
// booking journey at 200 % text in white on black on a phone, and the main pages in every
// colour scheme at 320/360 px and 1280 px: no horizontal scroll, no clipped text, axe clean.
// Screenshots of the sweep go to the test's output folder for a person to look at.
import { expect, type Page, test } from '@playwright/test';
import { demo, loginViaApi } from './support.js';
import {
  cancelViaApi,
  chooseRadio,
  demoPeople,
  doctorWithFreeTime,
  expectAccessible,
  expectNoHorizontalScroll,
  futureVisits,
  personCard,
  personNamed,
  scheduleSlots,
  showSlotDay,
  slotLabel,
  visitRow,
} from './patient-support.js';

const KEY = 'priyom.lowVision';

interface Mode {
  size: '1' | '2' | '3';
  scheme: 'bw' | 'wb' | 'blue';
  spacing: boolean;
  images: boolean;
}

/** Saves a mode the way the settings bar does, before any page script runs. */
async function useMode(page: Page, mode: Mode): Promise<void> {
  await page.addInitScript(
    ([key, value]) => {
      window.localStorage.setItem(key, value);
    },
    [KEY, JSON.stringify({ on: true, ...mode })] as const,
  );
}

/** Nothing sticks out of the screen, and nothing that hides its overflow holds more than it shows. */
async function expectNothingCutOff(page: Page): Promise<void> {
  const clipped = await page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      if (el.closest('.visually-hidden') || el.getClientRects().length === 0) continue;
      if (el.getBoundingClientRect().right > document.documentElement.clientWidth + 1) {
        out.push(`${el.tagName.toLowerCase()}.${el.className} sticks out on the right`);
        continue;
      }
      const style = getComputedStyle(el);
      const hides = (v: string) => v === 'hidden' || v === 'clip';
      const wide = hides(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
      const tall = hides(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
      if ((wide || tall) && (el.textContent ?? '').trim() !== '') {
        out.push(`${el.tagName.toLowerCase()}.${el.className}: «${(el.textContent ?? '').trim().slice(0, 40)}»`);
      }
    }
    return out;
  });
  expect(clipped, `clipped text on ${page.url()}`).toEqual([]);
}

async function expectFits(page: Page): Promise<void> {
  await expectNothingCutOff(page);
  await expectNoHorizontalScroll(page);
  await expectAccessible(page);
}

test('the switch, its shortcut and the settings are kept and applied before the app runs', async ({ page }) => {
  await page.goto('/');
  const html = page.locator('html');
  const toggle = page.getByRole('button', { name: /Версия для слабовидящих/ });
  await expect(toggle).toHaveAttribute('aria-keyshortcuts', 'Alt+Shift+V');
  await expect(toggle).toContainText('Alt+Shift+V');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(html).not.toHaveAttribute('data-lv');

  // The shortcut switches it on from anywhere on the page, and says so.
  await page.keyboard.press('Alt+Shift+KeyV');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('status').filter({ hasText: 'Версия для слабовидящих включена' })).toBeAttached();
  await expect(html).toHaveAttribute('data-lv-size', '2');
  await expect(html).toHaveAttribute('data-lv-scheme', 'bw');

  const settings = page.getByRole('region', { name: 'Настройки версии для слабовидящих' });
  await settings.getByRole('radio', { name: '200 %' }).check();
  await settings.getByRole('radio', { name: 'Тёмно-синий на голубом' }).check();
  await settings.getByRole('checkbox', { name: 'Увеличенные интервалы между буквами и строками' }).check();
  await settings.getByRole('checkbox', { name: 'Показывать изображения' }).uncheck();
  await expect(html).toHaveAttribute('data-lv-size', '3');
  await expect(html).toHaveAttribute('data-lv-scheme', 'blue');
  await expect(html).toHaveAttribute('data-lv-spacing', '');
  await expect(html).toHaveAttribute('data-lv-no-images', '');
  expect(await html.evaluate((el) => getComputedStyle(el).fontSize)).toBe('34px');
  await expectAccessible(page);

  // Applied before the first paint: with the app's own scripts blocked, a reload still shows
  // the saved mode (public/low-vision.js in <head> sets it).
  await page.route(/\/assets\/.*\.js$/, (route) => route.abort());
  await page.reload();
  await expect(html).toHaveAttribute('data-lv-scheme', 'blue');
  expect(
    await page.evaluate(() => ({
      size: getComputedStyle(document.documentElement).fontSize,
      background: getComputedStyle(document.body).backgroundColor,
      spacing: getComputedStyle(document.body).letterSpacing,
    })),
  ).toEqual({ size: '34px', background: 'rgb(157, 209, 255)', spacing: '4.08px' });
  await page.unroute(/\/assets\/.*\.js$/);

  // Switched off by the shortcut again: the ordinary version, remembered as such.
  await page.reload();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Alt+Shift+KeyV');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(html).not.toHaveAttribute('data-lv-scheme');
  await page.reload();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(html).not.toHaveAttribute('data-lv');
  expect(await html.evaluate((el) => getComputedStyle(el).fontSize)).toBe('17px');
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 320, height: 800 } });

  test('the booking journey at 200 % text, white on black, wide spacing, without images', async ({ page }) => {
    await useMode(page, { size: '3', scheme: 'wb', spacing: true, images: false });
    await loginViaApi(page, demo.patient.email);
    const child = await personNamed(page, demoPeople.child);
    // A specialty no other journey books the son to: a visit cancelled in this test still
    // counts for the per-specialty limit there.
    const { doctor, slot: first } = await doctorWithFreeTime(page, 'офтальмолог');
    // The LAST free time of that day: the other journeys take the first, and a cancelled visit
    // keeps its time from the same person (patient-booking.spec books the son there too).
    const after = Date.now() + 60 * 60_000;
    const slot = (await scheduleSlots(page, doctor.id))
      .filter((s) => s.state === 'free' && s.date === first.date && Date.parse(s.startAt) >= after)
      .at(-1);
    if (!slot) throw new Error('the ophthalmologist has no free time an hour ahead');

    await page.goto('/');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(0, 0, 0)');
    await expectFits(page);
    await page.getByRole('link', { name: /^Запись к врачу/ }).click();

    await expect(page.getByRole('heading', { level: 1, name: 'Кого записать к врачу?' })).toBeVisible();
    await expectFits(page);
    await chooseRadio(page, demoPeople.child);
    await page.getByRole('button', { name: 'Продолжить' }).click();

    await expect(page.getByRole('heading', { level: 1, name: 'Выберите специальность врача' })).toBeVisible();
    await expectFits(page);
    await chooseRadio(page, 'Офтальмолог');
    await page.getByRole('button', { name: 'Продолжить' }).click();

    await expect(page.getByRole('heading', { level: 1, name: 'Выберите врача' })).toBeVisible();
    await expectFits(page);
    await chooseRadio(page, doctor.name);
    await page.getByRole('button', { name: 'Продолжить' }).click();

    await expect(page.getByRole('heading', { level: 1, name: 'Выберите дату и время' })).toBeVisible();
    await expect(page).toHaveURL(`/book/${child.id}/doctor/${doctor.id}`);
    await showSlotDay(page, slot);
    const freeTime = page.getByRole('button', { name: `${slotLabel(slot)}, свободно`, exact: true });
    await expect(freeTime).toBeVisible();
    await expectFits(page);
    await freeTime.click();

    await expect(page.getByRole('heading', { level: 1, name: 'Проверьте данные записи' })).toBeVisible();
    await expectFits(page);
    await page.getByRole('button', { name: 'Подтвердить' }).click();

    await expect(page.getByRole('heading', { level: 1, name: 'Запись подтверждена' })).toBeVisible();
    const appointmentId = /\/appointments\/([0-9a-f-]{36})\?done=1$/.exec(page.url())?.[1] ?? '';
    expect(appointmentId, `done page address ${page.url()}`).not.toBe('');
    const reference = (await page.locator('.panel-reference').textContent()) ?? '';
    expect(reference).toMatch(/^ПР-[A-Z0-9]{8}$/);
    await expectFits(page);

    await page.getByRole('link', { name: 'Перейти в «Мою картотеку»' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Моя картотека' })).toBeVisible();
    await expect(visitRow(futureVisits(personCard(page, demoPeople.child)), reference)).toHaveCount(1);
    await expectFits(page);

    // Clean up: the per-specialty limit must not outlive this test.
    await cancelViaApi(page, appointmentId);
  });
});

const SCHEMES = ['bw', 'wb', 'blue'] as const;

for (const width of [360, 1280]) {
  test.describe(`the main pages at ${width} px`, () => {
    test.use({ viewport: { width, height: 900 } });
    for (const scheme of SCHEMES) {
      test(`200 % text, ${scheme}, wide spacing: nothing overflows or is clipped`, async ({ page }, info) => {
        await useMode(page, { size: '3', scheme, spacing: true, images: scheme !== 'blue' });
        await page.goto('/login');
        await expect(page.getByRole('heading', { level: 1, name: 'Вход в личный кабинет' })).toBeVisible();
        await expectFits(page);
        await page.screenshot({ path: info.outputPath(`${width}-${scheme}_login.png`), fullPage: true });
        await loginViaApi(page, demo.patient.email);
        const { doctor } = await doctorWithFreeTime(page, 'педиатр');
        const pages: [string, string][] = [
          ['/', 'Региональный портал медицинских услуг'],
          ['/doctors', 'Расписание врачей'],
          [`/doctors/${doctor.id}`, `Расписание врача: ${doctor.name}`],
          ['/cardfile', 'Моя картотека'],
        ];
        for (const [path, heading] of pages) {
          await page.goto(path);
          if (heading) await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
          else await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
          await expectFits(page);
          const name = `${width}-${scheme}${path.replaceAll('/', '_') || '_'}.png`;
          await page.screenshot({ path: info.outputPath(name), fullPage: true });
        }
      });
    }
  });
}
