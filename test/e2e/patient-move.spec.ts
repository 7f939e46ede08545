// «Перенести» a visit (SPEC §8a): from the card file to a colleague of the same specialty and
// organisation (the doctor, the schedule, the check page, «Визит перенесён»), and from the
// doctor's schedule (the own visit in its red frame) to another time of the same doctor. The
// old time is free again, the visit has a new reference, the old one is cancelled; every page
// passes axe. Screenshots at 360 and 1280 px go to /tmp/move/.
import { mkdirSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import type { AppointmentDetail, CardFilePerson, DoctorSummary } from '../../src/shared/api/index.js';
import { apiCall, apiGet, demo, expectFitsNarrowScreen, loginViaApi } from './support.js';
import {
  bookViaApi,
  cancelViaApi,
  chooseRadio,
  demoPeople,
  doctorsWithFreeTime,
  expectAccessible,
  futureVisits,
  personCard,
  personNamed,
  regionToday,
  scheduleSlots,
  showSlotDay,
  slotLabel,
  visitRow,
  type DatedSlot,
} from './patient-support.js';
import { addDays } from '../../src/shared/time.js';

const SHOTS = '/tmp/move';
mkdirSync(SHOTS, { recursive: true });

/** The page at a phone's and a desktop's width, saved for a person to look at. */
async function screenshots(page: Page, name: string): Promise<void> {
  const previous = page.viewportSize();
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
  if (previous) await page.setViewportSize(previous);
}

/**
 * A specialty open to self-booking that none of `people` has an upcoming visit to (one per
 * specialty and person): the specs sharing this server book the demo people too.
 */
function specialtyWithoutVisits(...people: CardFilePerson[]): string {
  const candidates = ['хирург', 'кардиолог', 'эндокринолог', 'оториноларинголог', 'стоматолог', 'уролог'];
  const free = candidates.find((s) =>
    people.every((p) => !p.futureVisits.some((v) => v.status === 'booked' && v.doctor.specialty === s)),
  );
  if (!free) throw new Error('every candidate specialty already has an upcoming visit');
  return free;
}

/** Two doctors of the specialty in one organisation, both with free time. */
async function twoColleagues(page: Page, specialty: string): Promise<[DoctorSummary, DoctorSummary]> {
  const doctors = await doctorsWithFreeTime(page, specialty);
  for (const d of doctors) {
    const other = doctors.find((x) => x.id !== d.id && x.organisation.id === d.organisation.id);
    if (other) return [d, other];
  }
  throw new Error(`no two doctors of «${specialty}» with free time in one organisation`);
}

/** A free time of the doctor at least `minDaysAhead` days from today (so the cut-off is ahead). */
async function freeTime(page: Page, doctorId: number, minDaysAhead = 3): Promise<DatedSlot> {
  const earliest = addDays(regionToday(), minDaysAhead);
  const slot = (await scheduleSlots(page, doctorId)).find((s) => s.state === 'free' && s.date >= earliest);
  if (!slot) throw new Error(`doctor ${doctorId} has no free time from ${earliest}`);
  return slot;
}

test('from the card file to a colleague: doctor, time, check, «Визит перенесён»', async ({ page }) => {
  await loginViaApi(page, demo.single.email);
  const petrov = await personNamed(page, demoPeople.single);
  const [first, colleague] = await twoColleagues(page, 'офтальмолог');
  const booked = await bookViaApi(page, { personId: petrov.id, specialty: 'офтальмолог', doctorId: first.id });
  let movedId: string | null = null;
  try {
    await page.goto('/cardfile');
    const card = personCard(page, demoPeople.single);
    const row = visitRow(futureVisits(card), booked.reference);
    await expect(row).toHaveCount(1);
    await row.getByRole('link', { name: /^Перенести/ }).click();

    // The doctor: the visit's own doctor first and chosen, the colleague beside him.
    await expect(page.getByRole('heading', { level: 1, name: 'Перенести визит' })).toBeVisible();
    await expect(page.locator('.move-current')).toContainText(booked.reference);
    await expect(page.getByRole('radio', { name: `${first.name} (ваш врач)` })).toBeChecked();
    await expectAccessible(page);
    await expectFitsNarrowScreen(page);
    await screenshots(page, '1-doctor');
    await chooseRadio(page, colleague.name);
    await page.getByRole('button', { name: 'Продолжить' }).click();

    // The colleague's schedule: a free time leads to the check page.
    await expect(page.getByRole('heading', { level: 1, name: 'Выберите новое время' })).toBeVisible();
    await expect(page.getByText(colleague.name).first()).toBeVisible();
    const target = await freeTime(page, colleague.id);
    await showSlotDay(page, target);
    await expectAccessible(page);
    await screenshots(page, '2-time');
    await page.getByRole('button', { name: `${slotLabel(target)}, свободно`, exact: true }).click();

    // The check page: the old time and the new one; «Перенести».
    await expect(page.getByRole('heading', { level: 1, name: 'Проверьте перенос' })).toBeVisible();
    const summary = page.locator('.summary-list, dl').first();
    await expect(summary).toContainText('Было');
    await expect(summary).toContainText('Новое время');
    await expect(summary).toContainText(colleague.name);
    await expect(summary).toContainText(target.time);
    await expectAccessible(page);
    await expectFitsNarrowScreen(page);
    await screenshots(page, '3-check');
    await page.getByRole('button', { name: 'Перенести', exact: true }).click();

    // Done: «Визит перенесён», the new time and a new reference.
    await expect(page.getByRole('heading', { level: 1, name: 'Визит перенесён' })).toBeVisible();
    const panel = page.locator('.panel-confirmation');
    await expect(panel).toContainText('Визит перенесён');
    await expect(panel).toContainText(target.time);
    movedId = new URL(page.url()).pathname.split('/').pop() ?? null;
    const moved = await apiGet<AppointmentDetail>(page, `/api/appointments/${movedId}`);
    expect(moved).toMatchObject({ status: 'booked', doctor: { id: colleague.id }, startAt: target.startAt });
    expect(moved.reference).not.toBe(booked.reference);
    await expect(panel).toContainText(moved.reference);
    await expect(page.getByText('освободилось')).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, '4-done');

    // The old visit is cancelled and its time is free; the card file shows the new one.
    expect((await apiGet<AppointmentDetail>(page, `/api/appointments/${booked.id}`)).status).toBe('cancelled');
    const old = (await scheduleSlots(page, first.id)).find((s) => s.startAt === booked.startAt);
    expect(old?.state).not.toBe('mine');
    await page.goto('/cardfile');
    const movedRow = visitRow(futureVisits(card), moved.reference);
    await expect(movedRow).toHaveCount(1);
    await expect(movedRow.getByRole('link', { name: /^Перенести/ })).toHaveCount(1);
    // The old visit: cancelled, wherever the card file lists a cancelled visit, and no longer movable.
    const oldRow = visitRow(card.locator('li.visit'), booked.reference);
    await expect(oldRow).toHaveCount(1);
    await expect(oldRow).toContainText('Отменена');
    await expect(oldRow.getByRole('link', { name: /^Перенести/ })).toHaveCount(0);
    await expectAccessible(page);
    await screenshots(page, '5-cardfile');
  } finally {
    await cancelViaApi(page, movedId ?? booked.id);
    await cancelViaApi(page, booked.id);
  }
});

test('from the doctor’s schedule: the own visit in its red frame, «Перенести запись», another time', async ({
  page,
}) => {
  await loginViaApi(page, demo.single.email);
  const petrov = await personNamed(page, demoPeople.single);
  const booked = await bookViaApi(page, { personId: petrov.id, specialty: 'невролог' });
  let movedId: string | null = null;
  try {
    await page.goto(`/doctors/${booked.doctor.id}`);
    const schedule = page.locator('.schedule');
    const mine = schedule.getByRole('button', { name: /, Ваша запись$/ });
    await expect(mine).toHaveCount(1);
    await expect(mine).toHaveClass(/\bslot-mine\b/);
    const label = (await mine.getAttribute('aria-label'))!.replace(/, Ваша запись$/, '');
    await mine.click();
    const dialog = page.getByRole('alertdialog', { name: `Отменить запись на ${label}?` });
    await expect(dialog).toBeVisible();
    await expectAccessible(page);
    await dialog.getByRole('link', { name: 'Перенести запись' }).click();

    // The same doctor is chosen already: straight on to his schedule.
    await expect(page.getByRole('heading', { level: 1, name: 'Перенести визит' })).toBeVisible();
    await expect(page.getByRole('radio', { name: `${booked.doctor.name} (ваш врач)` })).toBeChecked();
    await page.getByRole('button', { name: 'Продолжить' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Выберите новое время' })).toBeVisible();
    // The own visit stays marked in the new schedule, in its red frame.
    await expect(page.locator('.schedule').getByRole('button', { name: /, Ваша запись$/ })).toHaveCount(0);
    await expect(page.locator('.schedule .slot-mine')).toHaveCount(1);
    const target = await freeTime(page, booked.doctor.id);
    await showSlotDay(page, target);
    await page.getByRole('button', { name: `${slotLabel(target)}, свободно`, exact: true }).click();

    await expect(page.getByRole('heading', { level: 1, name: 'Проверьте перенос' })).toBeVisible();
    await page.getByRole('button', { name: 'Перенести', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Визит перенесён' })).toBeVisible();
    movedId = new URL(page.url()).pathname.split('/').pop() ?? null;
    await expectAccessible(page);

    // Back on the schedule: the new time is the own one.
    await page.goto(`/doctors/${booked.doctor.id}`);
    const slots = await scheduleSlots(page, booked.doctor.id);
    expect(slots.find((s) => s.id === target.id)?.state).toBe('mine');
    // The old time is no longer this account's: free, or offered to someone waiting for this doctor.
    expect(['free', 'busy']).toContain(slots.find((s) => s.startAt === booked.startAt)?.state);
    await expect(page.locator('.schedule').getByRole('button', { name: /, Ваша запись$/ })).toHaveCount(1);
    await expectAccessible(page);
  } finally {
    await cancelViaApi(page, movedId ?? booked.id);
    await cancelViaApi(page, booked.id);
  }
});

test('from the visit page: «Перенести», and a visit past its cancel time offers no move', async ({ page }) => {
  await loginViaApi(page, demo.patient.email);
  const anna = await personNamed(page, demoPeople.main);
  // The demo's visit a few hours ahead: its online cancel time has passed.
  const late = anna.futureVisits.find((v) => v.source === 'portal' && !v.cancellable && v.status === 'booked');
  expect(late, 'the demo has a portal visit past its cancel time').toBeTruthy();
  await page.goto(`/appointments/${late!.id}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Ваша запись' })).toBeVisible();
  await expect(page.getByRole('link', { name: /^Перенести/ })).toHaveCount(0);
  await page.goto(`/appointments/${late!.id}/move`);
  await expect(page.getByRole('heading', { level: 1, name: 'Перенести визит' })).toBeVisible();
  await expect(page.locator('.error-summary')).toContainText('Перенести эту запись через портал нельзя.');
  await expect(page.getByRole('radio')).toHaveCount(0);
  await expectAccessible(page);
  await screenshots(page, '6-not-movable');

  // A specialty she has no upcoming visit to (one per specialty and person).
  const specialty = specialtyWithoutVisits(anna);
  const booked = await bookViaApi(page, { personId: anna.id, specialty });
  try {
    await page.goto(`/appointments/${booked.id}`);
    await expect(page.getByRole('heading', { level: 2, name: 'Как перенести или отменить запись' })).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, '0-visit');
    await page.getByRole('link', { name: /^Перенести/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Перенести визит' })).toBeVisible();
    await expect(page.getByRole('radio', { name: `${booked.doctor.name} (ваш врач)` })).toBeChecked();
  } finally {
    await cancelViaApi(page, booked.id);
  }
});

test('a time taken while the patient checks: the refusal names other times, one of them moves the visit', async ({
  page,
  browser,
}) => {
  // Another patient (Anna, in her own browser) takes the chosen time first.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await loginViaApi(otherPage, demo.patient.email);
  const anna = await personNamed(otherPage, demoPeople.main);

  await loginViaApi(page, demo.single.email);
  const petrov = await personNamed(page, demoPeople.single);
  const specialty = specialtyWithoutVisits(anna, petrov);
  const booked = await bookViaApi(page, { personId: petrov.id, specialty });
  const target = await freeTime(page, booked.doctor.id);
  let movedId: string | null = null;
  let taken: AppointmentDetail | null = null;
  try {
    await page.goto(
      `/appointments/${booked.id}/move/check/${target.id}?doctor=${booked.doctor.id}&from=${target.date}`,
    );
    await expect(page.getByRole('heading', { level: 1, name: 'Проверьте перенос' })).toBeVisible();
    const res = await apiCall(otherPage, 'POST', '/api/appointments', { slotId: target.id, personId: anna.id });
    taken = (await res.json()) as AppointmentDetail;
    await page.getByRole('button', { name: 'Перенести', exact: true }).click();
    await expect(page.locator('.error-summary')).toContainText('Это время только что заняли');
    const nearest = page.getByRole('region', { name: 'Ближайшее свободное время у этого врача' });
    await expect(nearest).toBeVisible();
    await expect(page.getByRole('button', { name: 'Перенести', exact: true })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Выбрать время ещё раз' })).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, '7-taken');
    // Nothing moved: the visit is still booked in its own time.
    expect((await apiGet<AppointmentDetail>(page, `/api/appointments/${booked.id}`)).status).toBe('booked');

    await nearest.getByRole('button').first().click();
    await expect(page.getByRole('heading', { level: 1, name: 'Проверьте перенос' })).toBeVisible();
    await expect(page.locator('.error-summary')).toHaveCount(0);
    await page.getByRole('button', { name: 'Перенести', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Визит перенесён' })).toBeVisible();
    movedId = new URL(page.url()).pathname.split('/').pop() ?? null;
    expect((await apiGet<AppointmentDetail>(page, `/api/appointments/${booked.id}`)).status).toBe('cancelled');
  } finally {
    await cancelViaApi(page, movedId ?? booked.id);
    await cancelViaApi(page, booked.id);
    if (taken) await cancelViaApi(otherPage, taken.id);
    await other.close();
  }
});
