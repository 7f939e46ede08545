// The waitlist (SPEC §4; the seed guide's «Как встать в очередь…», «Как подтвердить время…»,
// «Для отказа…», «Как выйти из очереди»): «Встать в очередь» on a schedule with no free time,
// the offer that a cancellation brings (e-mail link → sign in → «Подтвердить» → the visit),
// three declined offers and the removal from the queue, leaving the queue from the card file,
// and the organisation that keeps no queue.
//
// The demo's fully booked doctor (Кузнецова) is booked by invented people nobody can sign in
// as, so the offer journeys make their own fully booked doctor: a fresh account («B», with a
// few confirmed people and the operator's per-specialty limit raised for the run) books every
// free time of one doctor through the API, a fresh patient («A») joins that doctor's queue
// through the pages, and B's cancellations free the times that are offered to A.
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import type {
  AppointmentDetail,
  CardFilePerson,
  DevMail,
  DoctorSummary,
  ErrorBody,
  Organisation,
  Person,
  RegionSettings,
  ScheduleResponse,
  WaitlistOffer,
} from '../../src/shared/api/index.js';
import { addDays } from '../../src/shared/time.js';
import {
  demo,
  DEMO_PASSWORD,
  expectFitsNarrowScreen,
  inventPerson,
  loginViaApi,
  logoutViaApi,
  signUpPatient,
} from './support.js';
import { demoPeople, expectAccessible, fullName, personCard, regionToday } from './patient-support.js';
import { call, callOk, getJson } from './request-support.js';

// ---------- API actors (B, the moderator, the operator) ----------

interface Actor {
  req: APIRequestContext;
  email: string;
}

async function signedIn(req: APIRequestContext, email: string, password = DEMO_PASSWORD): Promise<Actor> {
  const res = await call(req, 'POST', '/api/auth/login', { email, password });
  expect(res.ok(), `login as ${email}: ${res.status()} ${await res.text()}`).toBeTruthy();
  return { req, email };
}

/** Confirms people as the demo moderator. */
async function confirmPeople(moderator: Actor, ids: string[]): Promise<void> {
  for (const id of ids) await callOk(moderator.req, 'POST', `/api/moderation/persons/${id}/confirm`);
}

/**
 * A new patient account whose main person (and `extra` more people) the moderator has
 * confirmed; `req` is the account's request context (a page's, to share its cookies).
 */
async function confirmedPatient(
  req: APIRequestContext,
  moderator: Actor,
  extra = 0,
): Promise<{ email: string; password: string; persons: Person[] }> {
  const fresh = await signUpPatient(req);
  const persons = [fresh.person!];
  for (let i = 0; i < extra; i++) persons.push(await callOk<Person>(req, 'POST', '/api/persons', inventPerson()));
  await confirmPeople(
    moderator,
    persons.map((p) => p.id),
  );
  return { email: fresh.email, password: fresh.password, persons };
}

/** A browser page of a fresh, confirmed patient (own context: own cookies). */
async function patientPage(browser: Browser, moderator: Actor, extra = 0) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const account = await confirmedPatient(page.request, moderator, extra);
  return { page, ...account, close: () => context.close() };
}

// ---------- the fully booked doctor ----------

/** Specialties the other browser journeys do not book, without age or sex limits. */
const QUIET_SPECIALTIES = ['оториноларинголог', 'уролог', 'дерматовенеролог', 'стоматолог'];

interface Filler {
  actor: Actor;
  persons: Person[];
  /** B's appointments with the doctor, newest first as they were made. */
  booked: AppointmentDetail[];
}

async function freeSlots(req: APIRequestContext, doctorId: number) {
  const s = await getJson<ScheduleResponse>(req, `/api/doctors/${doctorId}/schedule`);
  return s.days.flatMap((d) => d.slots.filter((x) => x.state === 'free').map((x) => ({ ...x, date: d.date })));
}

/** B books every free time of the doctor, person after person (each up to the per-specialty limit). */
async function fillDoctor(filler: Filler, doctorId: number): Promise<void> {
  let p = 0;
  for (const slot of await freeSlots(filler.actor.req, doctorId)) {
    for (;;) {
      expect(p, 'B has too few people to take every free time').toBeLessThan(filler.persons.length);
      const res = await call(filler.actor.req, 'POST', '/api/appointments', {
        slotId: slot.id,
        personId: filler.persons[p].id,
      });
      if (res.status() === 201) {
        filler.booked.push((await res.json()) as AppointmentDetail);
        break;
      }
      const body = (await res.json()) as ErrorBody;
      if (body.code === 'SPECIALTY_LIMIT_REACHED' || body.code === 'OVERLAPPING_APPOINTMENT') {
        p++;
        continue;
      }
      // Taken meanwhile or just started: no longer free either way.
      if (['SLOT_TAKEN', 'SLOT_IN_PAST', 'SLOT_BLOCKED'].includes(body.code)) break;
      throw new Error(`filling the schedule: ${res.status()} ${body.code} ${body.message}`);
    }
  }
  const after = await getJson<ScheduleResponse>(filler.actor.req, `/api/doctors/${doctorId}/schedule`);
  expect(after.hasFreeInHorizon, 'the doctor still has free time after B booked it all').toBe(false);
}

/**
 * Cancels one of B's visits with the doctor at least two days ahead (well before the
 * cancellation cut-off, so an offer can be made) and returns it.
 */
async function cancelOne(filler: Filler): Promise<AppointmentDetail> {
  const earliest = addDays(regionToday(), 2);
  const i = filler.booked.findIndex((a) => a.localStart.slice(0, 10) >= earliest);
  expect(i, 'B has no visit two days ahead to cancel').toBeGreaterThanOrEqual(0);
  const [visit] = filler.booked.splice(i, 1);
  await callOk(filler.actor.req, 'POST', `/api/appointments/${visit.id}/cancel`);
  return visit;
}

// ---------- mail ----------

async function latestMailId(req: APIRequestContext): Promise<number> {
  const { messages } = await getJson<{ messages: DevMail[] }>(req, '/api/dev/mail');
  return messages.reduce((m, x) => Math.max(m, x.id), 0);
}

/** The newest mail to `to` after `after` whose text matches, polling while the outbox delivers it. */
async function waitForMail(
  req: APIRequestContext,
  to: string,
  after: number,
  match: RegExp,
  timeoutMs = 20_000,
): Promise<DevMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { messages } = await getJson<{ messages: DevMail[] }>(req, '/api/dev/mail');
    const found = messages
      .filter(
        (m) =>
          m.id > after &&
          m.to.toLowerCase().includes(to.toLowerCase()) &&
          (match.test(m.text) || match.test(m.subject)),
      )
      .sort((a, b) => b.id - a.id)[0];
    if (found) return found;
    if (Date.now() > deadline) {
      const theirs = messages
        .filter((m) => m.id > after && m.to.toLowerCase().includes(to.toLowerCase()))
        .map((m) => m.subject);
      throw new Error(`no e-mail to ${to} matching ${match} (got: ${theirs.join(' | ') || 'nothing'})`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The offer e-mail's link to /offers/<id>. */
function offerLink(mail: DevMail): string {
  const link = /https?:\/\/[^\s<>"'«»]+\/offers\/[0-9a-f-]{36}/.exec(mail.text)?.[0];
  expect(link, `no /offers/ link in: ${mail.text}`).toBeTruthy();
  return link!;
}

// ---------- page helpers ----------

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
/** '2026-11-26T09:30' -> '26 ноября 2026, 09:30', as the pages write it. */
function localLong(local: string): string {
  const [y, m, d] = local.slice(0, 10).split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}, ${local.slice(11, 16)}`;
}

/** The «Очередь» entries of a person's card. */
function queueEntries(page: Page, personName: string) {
  return personCard(page, personName).locator('li.waitlist-entry');
}

async function chooseRadioByLabel(page: Page, name: string): Promise<void> {
  const radio = page.getByRole('radio', { name, exact: true });
  await page.locator('label.radio').filter({ has: radio }).click();
  await expect(radio).toBeChecked();
}

async function chooseKindAndConfirm(
  page: Page,
  kind: 'К этому врачу' | 'К любому врачу этой специальности',
): Promise<void> {
  await chooseRadioByLabel(page, kind);
  await page.getByRole('button', { name: 'Подтвердить' }).click();
}

// ---------- shared set-up: the operator's limit, B and the fully booked doctor ----------

let baseURL = '';
let moderator: Actor;
let operator: Actor;
let filler: Filler;
let doctor: DoctorSummary;
let originalSettings: RegionSettings | null = null;
const contexts: APIRequestContext[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ playwright }, testInfo) => {
  testInfo.setTimeout(180_000);
  baseURL = String(testInfo.project.use.baseURL);
  const newReq = async () => {
    const r = await playwright.request.newContext({ baseURL });
    contexts.push(r);
    return r;
  };
  moderator = await signedIn(await newReq(), demo.moderator.email);
  operator = await signedIn(await newReq(), demo.operator.email);

  // The doctor with the fewest free times among the quiet specialties, in an organisation with a queue.
  const { doctors } = await getJson<{ doctors: DoctorSummary[] }>(moderator.req, '/api/doctors');
  const candidates = doctors
    .filter((d) => QUIET_SPECIALTIES.includes(d.specialty.name) && d.organisation.waitlistAllowed && d.freeCount > 0)
    .sort((a, b) => a.freeCount - b.freeCount);
  expect(candidates.length, 'a doctor of a quiet specialty with free time').toBeGreaterThan(0);
  doctor = candidates[0];

  // One person may hold up to 10 visits to a specialty for this run (put back in afterAll).
  const {
    updatedAt: _at,
    updatedBy: _by,
    ...settings
  } = await getJson<RegionSettings & { updatedAt: string; updatedBy: string | null }>(
    operator.req,
    '/api/operator/settings',
  );
  originalSettings = settings;
  await callOk(operator.req, 'PUT', '/api/operator/settings', { ...originalSettings, maxPerSpecialty: 10 });

  const free = (await freeSlots(moderator.req, doctor.id)).length;
  const bReq = await newReq();
  const b = await confirmedPatient(bReq, moderator, Math.ceil((free + 10) / 10));
  filler = { actor: { req: bReq, email: b.email }, persons: b.persons, booked: [] };
  await fillDoctor(filler, doctor.id);
});

// biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures from a destructuring pattern; this hook needs none
test.afterAll(async ({}, testInfo) => {
  testInfo.setTimeout(120_000);
  if (filler) {
    for (const a of filler.booked) await call(filler.actor.req, 'POST', `/api/appointments/${a.id}/cancel`);
  }
  if (originalSettings && operator) await callOk(operator.req, 'PUT', '/api/operator/settings', originalSettings);
  for (const r of contexts) await r.dispose();
});

// ---------- the journeys ----------

test('a patient joins the queue of a fully booked doctor, gets the e-mail offer, signs in from it and confirms the time', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  await fillDoctor(filler, doctor.id);
  const a = await patientPage(browser, moderator);
  const { page } = a;
  const name = fullName(a.persons[0]);
  try {
    // The public schedule: no free time, the organisation keeps a queue → «Встать в очередь».
    await page.goto(`/doctors/${doctor.id}`);
    const panel = page.getByRole('region', { name: 'Нет свободного времени для записи' });
    await expect(panel).toBeVisible();
    await expectAccessible(page);
    await panel.getByRole('link', { name: 'Встать в очередь' }).click();

    // One person in the card file: the person question is skipped.
    await expect(page.getByRole('heading', { level: 1, name: 'Выберите тип записи в очередь' })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/waitlist/join/kind\\?doctor=${doctor.id}&person=${a.persons[0].id}$`));
    await expect(page.getByRole('main')).toContainText(name);
    await expect(page.getByRole('radio', { name: 'К этому врачу', exact: true })).toHaveAccessibleDescription(
      new RegExp(`^${doctor.name}, кабинет ${doctor.room}`),
    );
    await expect(
      page.getByRole('radio', { name: 'К любому врачу этой специальности', exact: true }),
    ).toHaveAccessibleDescription(new RegExp(doctor.organisation.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await expectAccessible(page);

    // «Подтвердить» without a choice: the error summary takes focus and links to the question.
    await page.getByRole('button', { name: 'Подтвердить' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Исправьте ошибки' });
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link', { name: 'Выберите тип записи в очередь' })).toHaveAttribute('href', '#kind');
    await expectAccessible(page);
    await expectFitsNarrowScreen(page);

    await chooseKindAndConfirm(page, 'К этому врачу');
    await expect(page.getByRole('heading', { level: 1, name: 'Вы включены в очередь' })).toBeVisible();
    const main = page.getByRole('main');
    await expect(main).toContainText('Место в очереди1');
    await expect(main).toContainText(doctor.name);
    await expect(main).toContainText('уведомление на электронную почту или в мобильное приложение');
    await expect(main).toContainText('одно за другим');
    await expectAccessible(page);
    await expectFitsNarrowScreen(page);

    // The card file: «Очередь» with the doctor, the place and the offers left, «Отменить визит».
    await main.getByRole('link', { name: 'Перейти в «Мою картотеку»' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Моя картотека' })).toBeVisible();
    const entry = queueEntries(page, name);
    await expect(entry).toHaveCount(1);
    await expect(entry).toContainText(doctor.name);
    await expect(entry).toContainText(doctor.organisation.name);
    await expect(entry).toContainText('Место в очереди: 1');
    await expect(entry).toContainText('Осталось предложений: 3');
    await expect(entry.getByRole('button', { name: /^Отменить визит/ })).toBeVisible();
    await expect(entry.getByRole('button', { name: /^Подтвердить/ })).toHaveCount(0);
    await expectAccessible(page);

    // B cancels a visit with the doctor: the time is offered to A, by e-mail with a link.
    const before = await latestMailId(page.request);
    const freed = await cancelOne(filler);
    const mail = await waitForMail(page.request, a.email, before, /\/offers\//);
    expect(mail.subject).not.toContain(name);
    const link = offerLink(mail);

    // The slot is held for A, not free for everyone.
    const slot = (await getJson<ScheduleResponse>(filler.actor.req, `/api/doctors/${doctor.id}/schedule`)).days
      .flatMap((d) => d.slots)
      .find((s) => s.startAt === freed.startAt);
    expect(slot?.state, 'the freed time is not publicly free while it is offered').not.toBe('free');

    // Signed out, the e-mail's link goes through the login page and comes back to the offer.
    await logoutViaApi(page);
    await page.goto(link);
    await expect(page).toHaveURL(/\/login\?next=%2Foffers%2F/);
    await page.getByRole('textbox', { name: 'Адрес электронной почты' }).fill(a.email);
    await page.getByLabel('Пароль', { exact: true }).fill(a.password);
    await page.getByRole('button', { name: 'Войти', exact: true }).click();

    await expect(page.getByRole('heading', { level: 1, name: 'Предложено время для записи на приём' })).toBeVisible();
    await expect(page).toHaveURL(new URL(link).pathname);
    const offer = await getJson<WaitlistOffer>(page.request, `/api/offers/${new URL(link).pathname.split('/').pop()}`);
    expect(offer.status).toBe('pending');
    expect(offer.startAt).toBe(freed.startAt);
    const offerMain = page.getByRole('main');
    await expect(offerMain).toContainText(localLong(offer.localStart));
    await expect(offerMain).toContainText(`Ответьте до ${localLong(offer.localDeadline)}`);
    await expect(offerMain).toContainText(doctor.name);
    await expect(offerMain).toContainText(doctor.room);
    await expect(offerMain).toContainText(doctor.organisation.address);
    await expect(offerMain).toContainText(/[Вв]ы вернётесь в очередь на своё место/);
    await expectAccessible(page);
    await expectFitsNarrowScreen(page);

    await offerMain.getByRole('button', { name: /^Подтвердить/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Запись подтверждена' })).toBeVisible();
    await expect(page).toHaveURL(/\/appointments\/[0-9a-f-]{36}\?done=1$/);
    await expect(page.getByText('Вы записаны на приём')).toBeVisible();
    await expect(page.getByRole('main')).toContainText(localLong(offer.localStart));
    await expectAccessible(page);

    // The card file: the visit is there, the queue entry is fulfilled and gone.
    await page.goto('/cardfile');
    const card = personCard(page, name);
    await expect(card.locator('h3:text-is("Будущие визиты") + ul.visit-list > li.visit')).toContainText(doctor.name);
    await expect(card.locator('h3:text-is("Будущие визиты") + ul.visit-list > li.visit')).toContainText(
      localLong(offer.localStart),
    );
    await expect(queueEntries(page, name)).toHaveCount(0);
    await expect(card).toContainText('В очереди не стоит.');
    await expectAccessible(page);

    // The offer page now says it was answered.
    await page.goto(new URL(link).pathname);
    await expect(page.getByRole('heading', { level: 1, name: 'Вы уже подтвердили это время' })).toBeVisible();
    await expectAccessible(page);
  } finally {
    await a.close();
  }
});

test('three declined offers: back in the queue at the same place twice, then out of it, and told so', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  await fillDoctor(filler, doctor.id);
  // Two people in the card file: the booking journey gives the person, so the question is skipped.
  const a = await patientPage(browser, moderator, 1);
  const { page } = a;
  const person = a.persons[1];
  const name = fullName(person);
  try {
    await page.goto(`/book/${person.id}/doctor/${doctor.id}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Выберите дату и время' })).toBeVisible();
    const panel = page.getByRole('region', { name: 'Нет свободного времени для записи' });
    await expect(panel.getByRole('link', { name: 'Выбрать другого врача' })).toBeVisible();
    await panel.getByRole('link', { name: 'Встать в очередь' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Выберите тип записи в очередь' })).toBeVisible();
    await expect(page.getByRole('main')).toContainText(name);
    await chooseKindAndConfirm(page, 'К этому врачу');
    await expect(page.getByRole('heading', { level: 1, name: 'Вы включены в очередь' })).toBeVisible();

    // Offer 1, answered in the card file: «Отказаться», confirm, back in the queue.
    let before = await latestMailId(page.request);
    const first = await cancelOne(filler);
    await waitForMail(page.request, a.email, before, /\/offers\//);
    await page.goto('/cardfile');
    let entry = queueEntries(page, name);
    await expect(entry).toContainText(`Предложено время: ${localLong(first.localStart)}`);
    await expect(entry).toContainText(/Ответьте до \d{1,2} [а-я]+ \d{4}, \d{2}:\d{2}/);
    await expect(entry).toContainText(first.doctor.room);
    await expect(entry).toContainText('Осталось предложений: 3');
    await expect(entry.getByRole('button', { name: /^Подтвердить/ })).toBeVisible();
    await expectAccessible(page);
    await expectFitsNarrowScreen(page);
    await entry.getByRole('button', { name: /^Отказаться/ }).click();
    let dialog = page.getByRole('alertdialog', { name: 'Отказаться от предложенного времени?' });
    await expect(dialog).toContainText('Вы вернётесь в очередь на своё место');
    await expect(dialog).toContainText(localLong(first.localStart));
    await expectAccessible(page);
    // «Не отказываться» changes nothing.
    await dialog.getByRole('button', { name: 'Не отказываться' }).click();
    await expect(dialog).toBeHidden();
    await expect(entry.getByRole('button', { name: /^Подтвердить/ })).toBeVisible();
    await entry.getByRole('button', { name: /^Отказаться/ }).click();
    await dialog.getByRole('button', { name: 'Отказаться', exact: true }).click();
    await expect(dialog).toBeHidden();
    let status = personCard(page, name)
      .getByRole('status')
      .filter({ hasText: 'Вы отказались от предложенного времени' });
    await expect(status).toContainText('остаётесь в очереди на своём месте');
    await expect(status.locator('.notice')).toBeFocused();
    await expect(entry).toContainText('Место в очереди: 1');
    await expect(entry).toContainText('Осталось предложений: 2');
    await expect(entry.getByRole('button', { name: /^Подтвердить/ })).toHaveCount(0);
    await expectAccessible(page);
    // Nobody else waits: the declined time became free for everyone.
    expect((await freeSlots(page.request, doctor.id)).map((s) => s.startAt)).toContain(first.startAt);

    // Offer 2, answered on the offer page from the e-mail's link.
    before = await latestMailId(page.request);
    const second = await cancelOne(filler);
    const mail2 = await waitForMail(page.request, a.email, before, /\/offers\//);
    await page.goto(new URL(offerLink(mail2)).pathname);
    await expect(page.getByRole('heading', { level: 1, name: 'Предложено время для записи на приём' })).toBeVisible();
    await expect(page.getByRole('main')).toContainText(localLong(second.localStart));
    await page
      .getByRole('main')
      .getByRole('button', { name: /^Отказаться/ })
      .click();
    dialog = page.getByRole('alertdialog', { name: 'Отказаться от предложенного времени?' });
    await expect(dialog).toContainText('Вы вернётесь в очередь на своё место');
    await dialog.getByRole('button', { name: 'Отказаться', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Вы остаётесь в очереди' })).toBeVisible();
    await expect(page.getByRole('main')).toContainText('остаётесь в очереди на своём месте');
    await expectAccessible(page);
    await expectFitsNarrowScreen(page);

    // Offer 3, the last one: the confirmation says so; afterwards the entry is gone.
    before = await latestMailId(page.request);
    const third = await cancelOne(filler);
    await waitForMail(page.request, a.email, before, /\/offers\//);
    await page.goto('/cardfile');
    entry = queueEntries(page, name);
    await expect(entry).toContainText(`Предложено время: ${localLong(third.localStart)}`);
    await expect(entry).toContainText('Осталось предложений: 1');
    await entry.getByRole('button', { name: /^Отказаться/ }).click();
    dialog = page.getByRole('alertdialog', { name: 'Отказаться от предложенного времени?' });
    await expect(dialog).toContainText('Это последнее предложение: вы будете исключены из очереди');
    await expectAccessible(page);
    const beforeRemoval = await latestMailId(page.request);
    await dialog.getByRole('button', { name: 'Отказаться', exact: true }).click();
    await expect(dialog).toBeHidden();
    status = personCard(page, name).getByRole('status').filter({ hasText: 'Вы отказались от предложенного времени' });
    await expect(status).toContainText('исключены из очереди');
    await expect(queueEntries(page, name)).toHaveCount(0);
    await expect(personCard(page, name)).toContainText('В очереди не стоит.');
    await expectAccessible(page);

    // Told so: an e-mail that the person left the queue.
    const removal = await waitForMail(page.request, a.email, beforeRemoval, /Вы исключены из очереди/);
    expect(removal.text).not.toMatch(/\/offers\/[0-9a-f-]{36}/);
    const persons = (await getJson<{ persons: CardFilePerson[] }>(page.request, '/api/cardfile')).persons;
    expect(persons.find((p) => p.id === person.id)?.waitlist).toEqual([]);
  } finally {
    await a.close();
  }
});

test('the person question, a refusal shown in the error summary, and leaving the queue from the card file', async ({
  page,
}) => {
  // The demo patient: Anna (adult), her seven-year-old son and a parent still under review;
  // Кузнецова, the demo's fully booked therapist, sees adults only.
  await loginViaApi(page, demo.patient.email);
  const { doctors } = await getJson<{ doctors: DoctorSummary[] }>(page.request, '/api/doctors');
  const kuznetsova = doctors.find((d) => d.name.startsWith('Кузнецова') && d.specialty.name === 'терапевт')!;
  expect(kuznetsova.freeCount).toBe(0);
  const anna = (await getJson<{ persons: CardFilePerson[] }>(page.request, '/api/cardfile')).persons.find(
    (p) => fullName(p) === demoPeople.main,
  )!;
  try {
    await page.goto(`/doctors/${kuznetsova.id}`);
    await page
      .getByRole('region', { name: 'Нет свободного времени для записи' })
      .getByRole('link', { name: 'Встать в очередь' })
      .click();

    await expect(page.getByRole('heading', { level: 1, name: 'Кого поставить в очередь?' })).toBeVisible();
    const parent = page.getByRole('radio', { name: demoPeople.parent, exact: true });
    await expect(parent).toBeDisabled();
    await expect(parent).toHaveAccessibleDescription(/Данные на проверке у модератора/);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Продолжить' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Выберите, кого поставить в очередь' })).toBeFocused();

    // The son: the therapist sees adults only — the server refuses, the summary says why.
    await chooseRadioByLabel(page, demoPeople.child);
    await page.getByRole('button', { name: 'Продолжить' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Выберите тип записи в очередь' })).toBeVisible();
    // Other therapists of the clinic have free time: the queue to any of them is not offered.
    const anyTherapist = page.getByRole('radio', { name: 'К любому врачу этой специальности', exact: true });
    await expect(anyTherapist).toBeDisabled();
    await expect(anyTherapist).toHaveAccessibleDescription(/у других врачей этой специальности есть свободное время/);
    await expect(page.getByRole('link', { name: 'Записаться к другому врачу этой специальности' })).toBeVisible();
    await chooseKindAndConfirm(page, 'К этому врачу');
    const refusal = page.getByRole('alert').filter({ hasText: 'Не получилось' });
    await expect(refusal).toBeFocused();
    await expect(refusal).toContainText('Этот специалист не принимает пациентов такого возраста.');
    await expectAccessible(page);

    // «Назад» returns to the person question; Anna joins.
    await page
      .getByRole('main')
      .getByRole('link', { name: /Назад$/ })
      .click();
    await expect(page.getByRole('heading', { level: 1, name: 'Кого поставить в очередь?' })).toBeVisible();
    await chooseRadioByLabel(page, demoPeople.main);
    await page.getByRole('button', { name: 'Продолжить' }).click();
    await chooseKindAndConfirm(page, 'К этому врачу');
    await expect(page.getByRole('heading', { level: 1, name: 'Вы включены в очередь' })).toBeVisible();

    // Asking again: nothing left to join, the page says so.
    await page.goto(`/waitlist/join/kind?doctor=${kuznetsova.id}&person=${anna.id}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Человек уже в очереди' })).toBeVisible();
    await expect(page.getByRole('main')).toContainText('Этот человек уже стоит в очереди к этому врачу.');
    await expectAccessible(page);
    // And the server refuses a second entry too.
    const twice = await call(page.request, 'POST', '/api/waitlist', {
      personId: anna.id,
      doctorId: kuznetsova.id,
      kind: 'doctor',
    });
    expect(twice.status()).toBe(409);
    expect(((await twice.json()) as ErrorBody).code).toBe('WAITLIST_ALREADY');

    // Leaving: «Отменить визит» on the entry, «Выйти из очереди?», then it is gone.
    await page.goto('/cardfile');
    const entry = queueEntries(page, demoPeople.main);
    await expect(entry).toHaveCount(1);
    await expect(entry).toContainText(kuznetsova.name);
    await expect(entry).toContainText(/Место в очереди: \d+/);
    await entry.getByRole('button', { name: /^Отменить визит/ }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Выйти из очереди?' });
    await expect(dialog).toContainText(demoPeople.main);
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Остаться в очереди' }).click();
    await expect(dialog).toBeHidden();
    await expect(entry).toHaveCount(1);
    await entry.getByRole('button', { name: /^Отменить визит/ }).click();
    await dialog.getByRole('button', { name: 'Выйти из очереди' }).click();
    await expect(dialog).toBeHidden();
    const status = personCard(page, demoPeople.main).getByRole('status').filter({ hasText: 'Вы вышли из очереди' });
    await expect(status.locator('.notice')).toBeFocused();
    await expect(queueEntries(page, demoPeople.main)).toHaveCount(0);
    await expectAccessible(page);
    const after = (await getJson<{ persons: CardFilePerson[] }>(page.request, '/api/cardfile')).persons.find(
      (p) => p.id === anna.id,
    )!;
    expect(after.waitlist).toEqual([]);
  } finally {
    // Never leave the demo patient waiting.
    const cf = (await getJson<{ persons: CardFilePerson[] }>(page.request, '/api/cardfile')).persons;
    for (const e of cf.flatMap((p) => p.waitlist ?? []))
      await call(page.request, 'POST', `/api/waitlist/${e.id}/leave`);
  }
});

test('an organisation that keeps no queue: the schedule gives the registry’s phone instead', async ({ page }) => {
  const { organisations } = await getJson<{ organisations: (Organisation & { cutoffOverride: string | null })[] }>(
    operator.req,
    '/api/operator/organisations',
  );
  const { doctors } = await getJson<{ doctors: DoctorSummary[] }>(operator.req, '/api/doctors');
  const kuznetsova = doctors.find((d) => d.name.startsWith('Кузнецова') && d.specialty.name === 'терапевт')!;
  const org = organisations.find((o) => o.id === kuznetsova.organisation.id)!;
  expect(org.waitlistAllowed).toBe(true);
  await callOk(operator.req, 'PUT', `/api/operator/organisations/${org.id}`, {
    waitlistAllowed: false,
    cutoffOverride: org.cutoffOverride,
  });
  try {
    await page.goto(`/doctors/${kuznetsova.id}`);
    const panel = page.getByRole('region', { name: 'Нет свободного времени для записи' });
    await expect(panel).toContainText(
      'Медицинская организация не ведёт очередь. Записаться можно по телефону регистратуры',
    );
    await expect(panel.getByRole('link', { name: org.phone })).toHaveAttribute(
      'href',
      `tel:${org.phone.replace(/[^\d+]/g, '')}`,
    );
    await expect(panel.getByRole('link', { name: 'Встать в очередь' })).toHaveCount(0);
    await expectAccessible(page);

    // And joining anyway is refused by the server.
    const patient = await confirmedPatient(page.request, moderator);
    const res = await call(page.request, 'POST', '/api/waitlist', {
      personId: patient.persons[0].id,
      doctorId: kuznetsova.id,
      kind: 'doctor',
    });
    expect(res.status()).toBe(409);
    expect(((await res.json()) as ErrorBody).code).toBe('WAITLIST_NOT_ALLOWED');
    const cf = (await getJson<{ persons: CardFilePerson[] }>(page.request, '/api/cardfile')).persons;
    expect(cf[0].waitlist).toEqual([]);
  } finally {
    await callOk(operator.req, 'PUT', `/api/operator/organisations/${org.id}`, {
      waitlistAllowed: true,
      cutoffOverride: org.cutoffOverride,
    });
  }
});
