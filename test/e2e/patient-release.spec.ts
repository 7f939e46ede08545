// «Не смогу прийти» after the cancel time (SPEC 8a, issue 19): a patient whose visit can no
// longer be cancelled online releases it from the visit page; a patient in the doctor's queue
// gets the time by e-mail and takes it; the first patient's visit then reads «освобождена
// пациентом». A second released visit nobody takes stays booked, and the registry's page of
// that patient says «Пациент предупредил, что не придёт».
//
// The run needs visits past their cancel time that are still more than two hours away (so an
// offer can be answered an hour before): the operator's cut-off is set to 00:00 for the run, so
// every visit of today and tomorrow (local) is past it, and put back in afterAll. As in
// waitlist.spec, a fresh account («B») fills one doctor of a quiet specialty, here one of the
// demo registrar's organisation, and a fresh patient («A») waits in that doctor's queue.
import { mkdirSync } from 'node:fs';
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import type {
  AppointmentDetail,
  DevMail,
  DoctorSummary,
  ErrorBody,
  Person,
  RegionSettings,
  ScheduleResponse,
  StaffDoctorsResponse,
} from '../../src/shared/api/index.js';
import { addDays } from '../../src/shared/time.js';
import { DEMO_PASSWORD, demo, expectFitsNarrowScreen, inventPerson, loginViaApi, signUpPatient } from './support.js';
import { expectAccessible, regionToday } from './patient-support.js';
import { call, callOk, getJson } from './request-support.js';

const SHOTS = '/tmp/release';
const QUIET_SPECIALTIES = ['оториноларинголог', 'уролог', 'дерматовенеролог', 'стоматолог', 'офтальмолог'];

async function signedIn(req: APIRequestContext, email: string): Promise<APIRequestContext> {
  const res = await call(req, 'POST', '/api/auth/login', { email, password: DEMO_PASSWORD });
  expect(res.ok(), `login as ${email}: ${res.status()}`).toBeTruthy();
  return req;
}

/** A fresh patient in its own browser context whose main person (and `extra` more) the moderator confirmed. */
async function patientPage(browser: Browser, extra = 0) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const fresh = await signUpPatient(page.request);
  const persons: Person[] = [fresh.person!];
  for (let i = 0; i < extra; i++)
    persons.push(await callOk<Person>(page.request, 'POST', '/api/persons', inventPerson()));
  for (const p of persons) await callOk(moderator, 'POST', `/api/moderation/persons/${p.id}/confirm`);
  return { page, email: fresh.email, persons, close: () => context.close() };
}

async function freeSlots(req: APIRequestContext, doctorId: number) {
  const s = await getJson<ScheduleResponse>(req, `/api/doctors/${doctorId}/schedule`);
  return s.days.flatMap((d) => d.slots.filter((x) => x.state === 'free').map((x) => ({ ...x, date: d.date })));
}

/** Books every free time of the doctor for B's people (each up to the per-specialty limit). */
async function fillDoctor(req: APIRequestContext, persons: Person[], doctorId: number): Promise<AppointmentDetail[]> {
  const booked: AppointmentDetail[] = [];
  let p = 0;
  for (const slot of await freeSlots(req, doctorId)) {
    for (;;) {
      expect(p, 'B has too few people to take every free time').toBeLessThan(persons.length);
      const res = await call(req, 'POST', '/api/appointments', { slotId: slot.id, personId: persons[p].id });
      if (res.status() === 201) {
        booked.push((await res.json()) as AppointmentDetail);
        break;
      }
      const body = (await res.json()) as ErrorBody;
      if (body.code === 'SPECIALTY_LIMIT_REACHED' || body.code === 'OVERLAPPING_APPOINTMENT') {
        p++;
        continue;
      }
      if (['SLOT_TAKEN', 'SLOT_IN_PAST', 'SLOT_BLOCKED'].includes(body.code)) break;
      throw new Error(`filling the schedule: ${res.status()} ${body.code} ${body.message}`);
    }
  }
  return booked;
}

async function latestMailId(req: APIRequestContext): Promise<number> {
  const { messages } = await getJson<{ messages: DevMail[] }>(req, '/api/dev/mail');
  return messages.reduce((m, x) => Math.max(m, x.id), 0);
}

async function waitForMail(req: APIRequestContext, to: string, after: number, match: RegExp): Promise<DevMail> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { messages } = await getJson<{ messages: DevMail[] }>(req, '/api/dev/mail');
    const found = messages.find(
      (m) =>
        m.id > after && m.to.toLowerCase().includes(to.toLowerCase()) && (match.test(m.text) || match.test(m.subject)),
    );
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no e-mail to ${to} matching ${match}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
}

let moderator: APIRequestContext;
let operator: APIRequestContext;
let doctor: DoctorSummary;
let originalSettings: RegionSettings | null = null;
let b: Awaited<ReturnType<typeof patientPage>>;
let booked: AppointmentDetail[] = [];
const contexts: APIRequestContext[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ playwright, browser }, testInfo) => {
  testInfo.setTimeout(180_000);
  const baseURL = String(testInfo.project.use.baseURL);
  const newReq = async () => {
    const r = await playwright.request.newContext({ baseURL });
    contexts.push(r);
    return r;
  };
  moderator = await signedIn(await newReq(), demo.moderator.email);
  operator = await signedIn(await newReq(), demo.operator.email);
  const registrar = await signedIn(await newReq(), 'registrar@example.org');
  const desk = await getJson<StaffDoctorsResponse>(registrar, '/api/desk/doctors');

  // Today's and tomorrow's visits are past the cut-off for this run; one person may hold 10 visits of a specialty.
  const {
    updatedAt: _at,
    updatedBy: _by,
    ...settings
  } = await getJson<RegionSettings & { updatedAt: string; updatedBy: string | null }>(
    operator,
    '/api/operator/settings',
  );
  originalSettings = settings;
  await callOk(operator, 'PUT', '/api/operator/settings', { ...settings, maxPerSpecialty: 10, cutoffTime: '00:00' });

  // A doctor of the registrar's organisation, of a quiet specialty, with free time tomorrow (local).
  const tomorrow = addDays(regionToday(), 1);
  const { doctors } = await getJson<{ doctors: DoctorSummary[] }>(moderator, '/api/doctors');
  const candidates = doctors
    .filter(
      (d) =>
        d.organisation.id === desk.organisation.id &&
        QUIET_SPECIALTIES.includes(d.specialty.name) &&
        d.organisation.waitlistAllowed &&
        d.freeCount > 0,
    )
    .sort((x, y) => x.freeCount - y.freeCount);
  let chosen: DoctorSummary | undefined;
  for (const d of candidates) {
    if ((await freeSlots(moderator, d.id)).filter((s) => s.date === tomorrow).length >= 2) {
      chosen = d;
      break;
    }
  }
  expect(chosen, 'a quiet doctor of the registrar’s organisation with two free times tomorrow').toBeTruthy();
  doctor = chosen!;

  const free = (await freeSlots(moderator, doctor.id)).length;
  b = await patientPage(browser, Math.ceil((free + 10) / 10));
  booked = await fillDoctor(b.page.request, b.persons, doctor.id);
  const after = await getJson<ScheduleResponse>(moderator, `/api/doctors/${doctor.id}/schedule`);
  expect(after.hasFreeInHorizon, 'the doctor still has free time after B booked it all').toBe(false);
});

// biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures from a destructuring pattern; this hook needs none
test.afterAll(async ({}, testInfo) => {
  testInfo.setTimeout(120_000);
  if (originalSettings && operator) await callOk(operator, 'PUT', '/api/operator/settings', originalSettings);
  if (b) {
    for (const a of booked) await call(b.page.request, 'POST', `/api/appointments/${a.id}/cancel`);
    await b.close();
  }
  for (const r of contexts) await r.dispose();
});

test('after the cancel time B releases a visit, A from the queue takes the time, B sees «освобождена пациентом»', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const tomorrow = addDays(regionToday(), 1);
  const later = booked.find((v) => v.localStart.slice(0, 10) > tomorrow);
  const tomorrows = booked.filter((v) => v.localStart.slice(0, 10) === tomorrow);
  expect(tomorrows.length, 'B holds two visits tomorrow').toBeGreaterThanOrEqual(2);
  const target = tomorrows[0];

  // A waits in the doctor's queue (the joining journey itself is waitlist.spec's).
  const a = await patientPage(browser);
  try {
    await callOk(a.page.request, 'POST', '/api/waitlist', {
      personId: a.persons[0].id,
      doctorId: doctor.id,
      kind: 'doctor',
    });

    // Before the cut-off (a visit after tomorrow): cancel, no «Не смогу прийти».
    const { page } = b;
    if (later) {
      await page.goto(`/appointments/${later.id}`);
      await expect(page.getByRole('heading', { level: 1, name: 'Ваша запись' })).toBeVisible();
      await expect(page.getByRole('button', { name: /^Отменить визит/ })).toBeVisible();
      await expect(page.getByRole('button', { name: /^Не смогу прийти/ })).toHaveCount(0);
    }

    // After it: the reason cancelling is closed, and «Не смогу прийти» instead of «Отменить визит».
    await page.goto(`/appointments/${target.id}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Ваша запись' })).toBeVisible();
    const main = page.getByRole('main');
    await expect(main).toContainText('Отмена через портал закрыта');
    await expect(page.getByRole('button', { name: /^Отменить визит/ })).toHaveCount(0);
    const release = page.getByRole('button', { name: /^Не смогу прийти/ });
    await expect(release).toBeVisible();
    await expectAccessible(page);
    await shoot(page, 'visit-after-cutoff');
    await page.setViewportSize({ width: 1280, height: 900 });

    // The confirmation: «Я приду» changes nothing; «Не смогу прийти» releases.
    await release.click();
    const dialog = page.getByRole('alertdialog', { name: 'Не сможете прийти?' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('предложим это время пациентам из очереди');
    await expectAccessible(page);
    await page.setViewportSize({ width: 360, height: 900 });
    await page.screenshot({ path: `${SHOTS}/release-dialog-360.png` });
    await page.setViewportSize({ width: 1280, height: 900 });
    await dialog.getByRole('button', { name: 'Я приду' }).click();
    await expect(dialog).toHaveCount(0);
    const untouched = await getJson<AppointmentDetail>(page.request, `/api/appointments/${target.id}`);
    expect(untouched.releasedAt).toBeNull();

    const before = await latestMailId(page.request);
    await release.click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Не смогу прийти' }).click();
    const note = page.locator('.release-note');
    await expect(note).toContainText('Вы предупредили, что не придёте');
    await expect(note).toBeFocused();
    await expect(page.getByRole('button', { name: /^Не смогу прийти/ })).toHaveCount(0);
    await expectAccessible(page);
    await shoot(page, 'visit-released');
    await page.setViewportSize({ width: 1280, height: 900 });

    // The card file shows the same note on the visit's row.
    await page.goto('/cardfile');
    const row = page.locator('li.visit').filter({ has: page.locator(`a[href="/appointments/${target.id}"]`) });
    await expect(row.locator('.release-note')).toContainText('Вы предупредили, что не придёте');
    await expectAccessible(page);

    // A gets the offer and takes the time.
    const mail = await waitForMail(page.request, a.email, before, /\/offers\//);
    const link = /https?:\/\/[^\s<>"'«»]+\/offers\/[0-9a-f-]{36}/.exec(mail.text)?.[0];
    expect(link, `no /offers/ link in: ${mail.text}`).toBeTruthy();
    await a.page.goto(new URL(link!).pathname);
    await expect(a.page.getByRole('heading', { level: 1, name: 'Предложено время для записи на приём' })).toBeVisible();
    await expectAccessible(a.page);
    await shoot(a.page, 'offer-of-released-time');
    await a.page.setViewportSize({ width: 1280, height: 900 });
    await a.page
      .getByRole('main')
      .getByRole('button', { name: /^Подтвердить/ })
      .click();
    await expect(a.page.getByRole('heading', { level: 1, name: 'Запись подтверждена' })).toBeVisible();
    await expectAccessible(a.page);

    // B's visit is cancelled as released, and B is told.
    await page.goto(`/appointments/${target.id}`);
    await expect(page.getByRole('main')).toContainText('Запись отменена.');
    await expect(page.getByRole('main')).toContainText('Освобождена пациентом');
    await expect(page.getByRole('button', { name: /^Не смогу прийти/ })).toHaveCount(0);
    await expectAccessible(page);
    await expectFitsNarrowScreen(page);
    await shoot(page, 'visit-taken');
    await page.setViewportSize({ width: 1280, height: 900 });
    await waitForMail(page.request, b.email, before, /Ваше время заняли/);
    booked = booked.filter((v) => v.id !== target.id);
  } finally {
    await a.close();
  }
});

test('a released visit nobody takes stays booked, and the registry sees that the patient warned', async ({ page }) => {
  const tomorrow = addDays(regionToday(), 1);
  const kept = booked.find((v) => v.localStart.slice(0, 10) === tomorrow && v.status === 'booked');
  expect(kept, 'B holds another visit tomorrow').toBeTruthy();
  const released = await callOk<AppointmentDetail>(b.page.request, 'POST', `/api/appointments/${kept!.id}/release`);
  expect(released).toMatchObject({ status: 'booked', releasable: false });

  await loginViaApi(page, 'registrar@example.org');
  await page.goto(`/desk/patients/${kept!.personId}`);
  const item = page.locator('li.visit').filter({ hasText: kept!.reference });
  await expect(item).toBeVisible();
  await expect(item.locator('.visit-released')).toContainText('Пациент предупредил, что не придёт');
  await expectAccessible(page);
  await shoot(page, 'desk-patient-warned');
});
