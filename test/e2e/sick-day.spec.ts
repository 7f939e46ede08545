// The day a doctor falls ill: the registry closes Шутова's day (болезнь) at the desk, sees the
// two portal patients booked that day and offers each a move to Волков (same specialty);
// the call list prints; one patient confirms the move and gets the new visit, the other
// declines and is told the visit is cancelled, with «Встать в очередь». Every page passes
// axe; pages are photographed at 360 and 1280 px (test-results/sick-day/).
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import type { AbsenceDetail } from '../../src/shared/api/absence.js';
import type {
  AppointmentDetail,
  Person,
  ScheduleResponse,
  SessionResponse,
  StaffDoctorsResponse,
} from '../../src/shared/api/index.js';
import { addDays } from '../../src/shared/time.js';
import {
  DEMO_PASSWORD,
  expectFitsNarrowScreen,
  expectNoA11yViolations,
  loginViaApi,
  signUpPatient,
} from './support.js';
import { regionToday } from './patient-support.js';

const registrar = { email: 'registrar@example.org', password: DEMO_PASSWORD };
const moderatorAccount = { email: 'moderator@example.org', password: DEMO_PASSWORD };

async function csrf(req: APIRequestContext): Promise<string> {
  return ((await (await req.get('/api/session')).json()) as SessionResponse).csrfToken;
}
async function post<T>(req: APIRequestContext, url: string, data: unknown = {}): Promise<T> {
  const res = await req.post(url, { data, headers: { 'x-csrf-token': await csrf(req) } });
  expect(res.ok(), `POST ${url}: ${res.status()} ${await res.text()}`).toBeTruthy();
  return (await res.json()) as T;
}
async function get<T>(req: APIRequestContext, url: string): Promise<T> {
  const res = await req.get(url);
  expect(res.ok(), `GET ${url}: ${res.status()} ${await res.text()}`).toBeTruthy();
  return (await res.json()) as T;
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `test-results/sick-day/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** A fresh patient (own browser context) whose main person the moderator confirmed. */
async function patient(
  browser: Browser,
  moderator: APIRequestContext,
): Promise<{ page: Page; person: Person; close(): Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const fresh = await signUpPatient(page.request);
  await post(moderator, `/api/moderation/persons/${fresh.person!.id}/confirm`);
  return { page, person: fresh.person!, close: () => context.close() };
}

test('the registry closes a sick day; one patient confirms the move, the other declines and is cancelled with a notice', async ({
  page,
  browser,
}) => {
  const modContext = await browser.newContext();
  const moderator = modContext.request;
  await post(moderator, '/api/auth/login', moderatorAccount);
  const a = await patient(browser, moderator);
  const b = await patient(browser, moderator);

  // Both book Шутова (терапевт, afternoons) on the same day, at least two days ahead.
  await loginViaApi(page, registrar.email, registrar.password);
  const doctors = await get<StaffDoctorsResponse>(page.request, '/api/desk/doctors');
  const shutova = doctors.doctors.find((d) => d.name.startsWith('Шутова'))!;
  const volkov = doctors.doctors.find((d) => d.name.startsWith('Волков'))!;
  const schedule = await get<ScheduleResponse>(a.page.request, `/api/doctors/${shutova.id}/schedule`);
  const earliest = addDays(regionToday(), 2);
  const day = schedule.days.find((d) => d.date >= earliest && d.slots.filter((s) => s.state === 'free').length >= 2)!;
  expect(day, 'a day of Шутова with two free times').toBeTruthy();
  const [s1, s2] = day.slots.filter((s) => s.state === 'free');
  const visitA = await post<AppointmentDetail>(a.page.request, '/api/appointments', {
    slotId: s1.id,
    personId: a.person.id,
  });
  const visitB = await post<AppointmentDetail>(b.page.request, '/api/appointments', {
    slotId: s2.id,
    personId: b.person.id,
  });
  const nameA = `${a.person.lastName} ${a.person.firstName}`;
  const nameB = `${b.person.lastName} ${b.person.firstName}`;

  // The desk closes the day.
  await page.goto('/desk/schedules');
  await page.getByRole('link', { name: /Закрыть приём врача/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Закрыть приём врача' })).toBeVisible();
  await expectNoA11yViolations(page);
  await shoot(page, 'close-form');
  // Submitting empty: the error summary lists what is missing.
  await page.getByRole('button', { name: 'Закрыть приём' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Исправьте ошибки' })).toBeVisible();
  await page.getByRole('radio', { name: /^Шутова/ }).check({ force: true });
  await page.getByLabel('Первый день').fill(day.date);
  await page.getByLabel('Последний день (включительно)').fill(day.date);
  await page.getByRole('radio', { name: 'Болезнь' }).check({ force: true });
  await page.getByRole('button', { name: 'Закрыть приём' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Приём закрыт: Шутова/ })).toBeVisible();
  const absenceId = new URL(page.url()).pathname.split('/').pop()!;
  await expect(page.getByText('Пациенты видят в расписании: «Врач не принимает')).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: new RegExp(nameA) })).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: new RegExp(nameB) })).toBeVisible();
  await expectNoA11yViolations(page);
  await shoot(page, 'absence');
  await expectFitsNarrowScreen(page, 360);

  // Each portal patient is offered a move to Волков.
  for (const name of [nameA, nameB]) {
    await page.getByRole('button', { name: `Перенести запись ${name}` }).click();
    await page.getByLabel('Врач').selectOption(String(volkov.id));
    const times = page.getByRole('button', { name: new RegExp(`^Перенести ${name}`) });
    await expect(times.first()).toBeVisible();
    await expectNoA11yViolations(page);
    // The latest time shown: tomorrow's are past the cut-off for an answer (MOVE_TOO_LATE).
    await times.last().click();
    await expect(page.getByRole('status').getByText(`${name}`)).toBeVisible();
  }
  await expect(page.getByText(/Предложен перенос: .* ждём ответа пациента/)).toHaveCount(2);

  // The call list prints.
  await page.getByRole('link', { name: 'Список для обзвона (для печати)' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Список для обзвона' })).toBeVisible();
  await expectNoA11yViolations(page);
  await shoot(page, 'call-list');
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.site-header')).toBeHidden();
  await page.screenshot({ path: 'test-results/sick-day/call-list-print.png', fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // The schedule tells patients, without a diagnosis.
  await a.page.goto(`/doctors/${shutova.id}`);
  await expect(a.page.getByText(/^Врач не принимает \d/).first()).toBeVisible();
  await expect(a.page.getByText(/болезн/i)).toHaveCount(0);
  await expectNoA11yViolations(a.page);

  // A finds the offer in the card file (the notification's link opens its own page, below).
  const offerLink = async (p: Page) => {
    const list = await get<{ items: { kind: string; link: string | null }[] }>(p.request, '/api/notifications');
    return list.items.find((i) => i.kind === 'absence_move_offered')!.link!;
  };
  await a.page.goto(await offerLink(a.page));
  await expect(a.page.getByRole('heading', { level: 1, name: 'Терапевт: врач не сможет принять' })).toBeVisible();
  await expectNoA11yViolations(a.page);
  await shoot(a.page, 'move-offer');
  await a.page.goto('/cardfile');
  await expect(
    a.page.getByRole('heading', { level: 2, name: `Врач не сможет принять: ${nameA}`, exact: false }),
  ).toBeVisible();
  await expectNoA11yViolations(a.page);
  await shoot(a.page, 'cardfile-move');
  await a.page.getByRole('button', { name: /^Подтвердить/ }).click();
  await expect(a.page).toHaveURL(/\/appointments\/.+\?done=1$/);
  await expect(a.page.getByText(volkov.name).first()).toBeVisible();
  await expectNoA11yViolations(a.page);

  // B declines: the visit is cancelled by the clinic's decision, with the way to the queue.
  await b.page.goto(await offerLink(b.page));
  await b.page.getByRole('button', { name: /^Отказаться/ }).click();
  const dialog = b.page.getByRole('alertdialog').or(b.page.getByRole('dialog'));
  await expect(dialog.getByRole('heading', { name: 'Отказаться от переноса?' })).toBeVisible();
  await expectNoA11yViolations(b.page);
  await dialog.getByRole('button', { name: 'Отказаться' }).click();
  await expect(b.page.getByRole('heading', { level: 1, name: 'Запись отменена' })).toBeVisible();
  await expect(b.page.getByRole('link', { name: 'Встать в очередь' })).toBeVisible();
  await expectNoA11yViolations(b.page);
  await shoot(b.page, 'declined');
  const notices = await get<{ items: { kind: string; title: string }[] }>(b.page.request, '/api/notifications');
  expect(notices.items.map((i) => i.kind)).toContain('absence_visit_cancelled');

  // The desk sees both outcomes.
  const detail = await get<AbsenceDetail>(page.request, `/api/desk/absences/${absenceId}`);
  const outcome = (id: string) => detail.visits.find((v) => v.appointmentId === id)?.outcome;
  expect([outcome(visitA.id), outcome(visitB.id)]).toEqual(['confirmed', 'declined']);

  // Reopen the day so other journeys find Шутова's time as before.
  await post(page.request, `/api/desk/absences/${absenceId}/cancel`);
  await a.close();
  await b.close();
  await modContext.close();
});
