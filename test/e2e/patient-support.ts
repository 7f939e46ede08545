// Helpers of the patient journeys (test/e2e/patient-*.spec.ts): the demo people, the
// catalogue, free times found through the schedule API (never hard-coded dates, so the
// tests do not depend on the time of day or the weekday), and set-up bookings.
import { expect, type Locator, type Page } from '@playwright/test';
import type {
  AppointmentDetail,
  CardFilePerson,
  DoctorSummary,
  ErrorBody,
  ScheduleResponse,
  ScheduleSlot,
  Specialty,
} from '../../src/shared/api/index.js';
import { addDays, localDateOf } from '../../src/shared/time.js';
import { DEMO_TIME_ZONE } from '../../src/server/db/seed/demo-data.js';
import { apiCall, apiGet, DEMO_PASSWORD, expectNoA11yViolations } from './support.js';

/** The axe check of support.ts, with optional extra exclusions for a test's own reasons. */
export async function expectAccessible(page: Page, opts: { exclude?: string[] } = {}): Promise<void> {
  await expectNoA11yViolations(page, { exclude: opts.exclude ?? [] });
}

/** The demo patient's people (src/server/db/seed/demo.ts, DEMO_PATIENT). */
export const demoPeople = {
  main: 'Иванова Анна Сергеевна',
  child: 'Иванов Михаил Андреевич',
  parent: 'Смирнов Сергей Петрович',
  single: 'Петров Алексей Викторович',
} as const;

export function fullName(p: { lastName: string; firstName: string; middleName: string | null }): string {
  return [p.lastName, p.firstName, p.middleName].filter(Boolean).join(' ');
}

/**
 * Chooses a radio option the way a person does, by clicking its label (react-aria keeps the
 * input itself visually hidden under the label), and checks it is chosen.
 */
export async function chooseRadio(page: Page, name: string): Promise<void> {
  const radio = page.getByRole('radio', { name, exact: true });
  await page.locator('label.radio').filter({ has: radio }).click();
  await expect(radio).toBeChecked();
}

/** The page's back link («‹ Назад», «‹ Моя картотека», ...) above the heading. */
export function backLink(page: Page, label = 'Назад'): Locator {
  return page.getByRole('main').getByRole('link', { name: new RegExp(`^‹?\\s*${label}$`) });
}

/** Signs in through the login page (the journey itself, not the API shortcut). */
export async function loginThroughPage(page: Page, email: string, password: string = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await expect(page.getByRole('heading', { level: 1, name: 'Вход в личный кабинет' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Адрес электронной почты' }).fill(email);
  await page.getByLabel('Пароль', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Войти', exact: true }).click();
}

/** The signed-in account's card file through the API. */
export async function cardFile(page: Page): Promise<CardFilePerson[]> {
  return (await apiGet<{ persons: CardFilePerson[] }>(page, '/api/cardfile')).persons;
}

/** One person of the signed-in account's card file, by full name. */
export async function personNamed(page: Page, name: string): Promise<CardFilePerson> {
  const persons = await cardFile(page);
  const found = persons.find((p) => fullName(p) === name);
  expect(found, `no «${name}» in the card file (${persons.map(fullName).join(', ')})`).toBeTruthy();
  return found!;
}

export async function specialtyNamed(page: Page, name: string): Promise<Specialty> {
  const { specialties } = await apiGet<{ specialties: Specialty[] }>(page, '/api/specialties');
  const found = specialties.find((s) => s.name === name);
  expect(found, `no specialty «${name}»`).toBeTruthy();
  return found!;
}

/** The doctors of a specialty that have free time inside the horizon, nearest first. */
export async function doctorsWithFreeTime(page: Page, specialtyName: string): Promise<DoctorSummary[]> {
  const specialty = await specialtyNamed(page, specialtyName);
  const { doctors } = await apiGet<{ doctors: DoctorSummary[] }>(page, `/api/doctors?specialtyId=${specialty.id}`);
  const free = doctors
    .filter((d) => d.nearestFreeAt !== null)
    .sort((a, b) => a.nearestFreeAt!.localeCompare(b.nearestFreeAt!));
  expect(free.length, `no doctor of «${specialtyName}» has free time`).toBeGreaterThan(0);
  return free;
}

/** Today in the demo region (the organisations' zone). */
export function regionToday(): string {
  return localDateOf(new Date(), DEMO_TIME_ZONE);
}

export interface DatedSlot extends ScheduleSlot {
  date: string;
}

/** A doctor's slots as the signed-in account sees them (`state` free/busy/mine/...). */
export async function scheduleSlots(page: Page, doctorId: number): Promise<DatedSlot[]> {
  const schedule = await apiGet<ScheduleResponse>(page, `/api/doctors/${doctorId}/schedule`);
  return schedule.days.flatMap((d) => d.slots.map((s) => ({ ...s, date: d.date })));
}

const MONTHS = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
];

/** '26 ноября, 09:30': how the schedule names a time (its buttons' accessible names start so). */
export function slotLabel(slot: DatedSlot): string {
  const [, m, d] = slot.date.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]}, ${slot.time}`;
}

/**
 * A doctor of the specialty with a free time starting at least `minMinutesAhead` from now
 * (so it cannot slip into the past while the test books it), and that time.
 */
/**
 * On a phone the schedule shows one day at a time: picks the slot's day in the day picker
 * («чт 26.11 …»). On a wide screen there is no picker and every day is shown already.
 */
export async function showSlotDay(page: Page, slot: DatedSlot): Promise<void> {
  const [, m, d] = slot.date.split('-');
  const day = page
    .getByRole('group', { name: 'Выберите день' })
    .getByRole('button', { name: new RegExp(` ${d}\\.${m}`) });
  if (await day.isVisible()) {
    await day.click();
    await expect(day).toHaveAttribute('aria-pressed', 'true');
  }
}

export async function doctorWithFreeTime(
  page: Page,
  specialtyName: string,
  minMinutesAhead = 60,
): Promise<{ doctor: DoctorSummary; slot: DatedSlot }> {
  const after = Date.now() + minMinutesAhead * 60_000;
  for (const doctor of await doctorsWithFreeTime(page, specialtyName)) {
    const slot = (await scheduleSlots(page, doctor.id)).find(
      (s) => s.state === 'free' && Date.parse(s.startAt) >= after,
    );
    if (slot) return { doctor, slot };
  }
  throw new Error(`no doctor of «${specialtyName}» has a free time ${minMinutesAhead} minutes ahead`);
}

/**
 * Books, through the API, a free time of one of the doctors of `specialtyName` for a person
 * of the signed-in account, no earlier than `minDaysAhead` days from today (two days ahead
 * the cancellation cut-off — 18:00 of the day before — is always still to come). Times that
 * the person cannot take (an overlapping visit) or that were just taken are skipped.
 */
export async function bookViaApi(
  page: Page,
  opts: { personId: string; specialty: string; minDaysAhead?: number; doctorId?: number },
): Promise<AppointmentDetail> {
  const earliest = addDays(regionToday(), opts.minDaysAhead ?? 2);
  const doctors = opts.doctorId ? [{ id: opts.doctorId }] : await doctorsWithFreeTime(page, opts.specialty);
  const refusals: string[] = [];
  for (const doctor of doctors) {
    const candidates = (await scheduleSlots(page, doctor.id)).filter((s) => s.state === 'free' && s.date >= earliest);
    for (const slot of candidates.slice(0, 12)) {
      const res = await apiCall(
        page,
        'POST',
        '/api/appointments',
        { slotId: slot.id, personId: opts.personId },
        { allowFailure: true },
      );
      if (res.status() === 201) return (await res.json()) as AppointmentDetail;
      const body = (await res.json()) as ErrorBody;
      refusals.push(body.code);
      if (!['SLOT_TAKEN', 'OVERLAPPING_APPOINTMENT', 'SLOT_BLOCKED'].includes(body.code)) {
        throw new Error(`booking «${opts.specialty}» was refused: ${res.status()} ${body.code} ${body.message}`);
      }
    }
  }
  throw new Error(
    `no bookable time of «${opts.specialty}» from ${earliest} (${refusals.join(', ') || 'no free times'})`,
  );
}

/** Cancels through the API, ignoring an appointment that is already cancelled (clean-up). */
export async function cancelViaApi(page: Page, appointmentId: string): Promise<void> {
  await apiCall(page, 'POST', `/api/appointments/${appointmentId}/cancel`, {}, { allowFailure: true });
}

/** The card of one person in «Моя картотека». */
export function personCard(page: Page, name: string): Locator {
  return page
    .locator('section.person-card')
    .filter({ has: page.getByRole('heading', { level: 2, name, exact: true }) });
}

/** The «Будущие визиты» list of a person's card. */
export function futureVisits(card: Locator): Locator {
  return card.locator('h3:text-is("Будущие визиты") + ul.visit-list > li.visit');
}

/** The «Прошедшие визиты» list of a person's card. */
export function pastVisits(card: Locator): Locator {
  return card.locator('h3:text-is("Прошедшие визиты") + ul.visit-list > li.visit');
}

/** The row of one visit, by its reference number. */
export function visitRow(scope: Locator, reference: string): Locator {
  return scope.filter({ has: scope.page().getByText(reference, { exact: true }) });
}

/** No horizontal scrolling at the current viewport width. */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const width = page.viewportSize()?.width ?? 0;
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth), {
      message: `${page.url()} is wider than ${width} px (horizontal scroll)`,
      timeout: 3_000,
    })
    .toBeLessThanOrEqual(width);
}
