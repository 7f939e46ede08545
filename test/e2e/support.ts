// Shared helpers of the browser tests: signing in through the API, the accessibility
// check, the development mailbox, the demo accounts, narrow-screen checks.
import AxeBuilder from '@axe-core/playwright';
import { randomInt } from 'node:crypto';
import { expect, type APIRequestContext, type APIResponse, type Page } from '@playwright/test';
import type { DevMail, Person, PersonInput, SessionResponse } from '../../src/shared/api/index.js';
import { snilsWithChecksum } from '../../src/shared/validation.js';

/** The password of every demo account. */
export const DEMO_PASSWORD = 'Priyom-demo-1';

/**
 * Demo accounts loaded in demo mode (src/server/db/seed/demo.ts):
 * - patient: a confirmed main person, a confirmed child and a pending parent;
 * - single: one confirmed person (booking skips the «choose the person» step);
 * - moderator, operator: staff.
 * A few other accounts have pending people for the moderation queue. Staff tests never
 * change the demo people: they decide on fresh accounts (signUpPatient) and put any
 * operator setting they change back as it was.
 */
export const demo = {
  patient: { email: 'patient@example.org', password: DEMO_PASSWORD },
  single: { email: 'single@example.org', password: DEMO_PASSWORD },
  moderator: { email: 'moderator@example.org', password: DEMO_PASSWORD },
  operator: { email: 'operator@example.org', password: DEMO_PASSWORD },
  clinicAdmin: { email: 'clinicadmin@example.org', password: DEMO_PASSWORD },
} as const;

/** Accounts whose people the staff tests must leave alone (patient journeys use them). */
export const patientAccounts: readonly string[] = [demo.patient.email, demo.single.email];

/**
 * The CSRF token of this browser context: the cookie's value, as the web app reads it
 * (`src/web/api.ts`); asks `/api/session` to set the cookie when there is none yet.
 */
export async function csrfToken(page: Page): Promise<string> {
  const inJar = await csrfCookie(page);
  if (inJar) return inJar;
  const res = await page.request.get('/api/session');
  expect(res.ok(), `GET /api/session answered ${res.status()}`).toBeTruthy();
  return (await csrfCookie(page)) ?? ((await res.json()) as SessionResponse).csrfToken;
}

async function csrfCookie(page: Page): Promise<string | undefined> {
  const cookies = await page.context().cookies();
  return cookies.find((c) => c.name === 'priyom_csrf')?.value;
}

/**
 * A state-changing request with this context's CSRF token. The token is bound to the
 * session (it changes at sign-in and sign-out), and a page that was just opened may still be
 * fetching `/api/session`: when that answer lands after a sign-in it puts an older token in
 * the cookie. As the web app does (`src/web/api.ts`), a refused token is refreshed from
 * `/api/session` and the request sent once more.
 */
async function withCsrf(page: Page, send: (token: string) => Promise<APIResponse>): Promise<APIResponse> {
  const first = await send(await csrfToken(page));
  if (first.status() !== 403 || !(await first.text()).includes('CSRF_FAILED')) return first;
  const res = await page.request.get('/api/session');
  expect(res.ok(), `GET /api/session answered ${res.status()}`).toBeTruthy();
  return send(((await res.json()) as SessionResponse).csrfToken);
}

/**
 * Signs in through the API, sharing cookies with the page, so a test does not depend on
 * the login page. Then navigate with page.goto.
 */
export async function loginViaApi(page: Page, email: string, password: string = DEMO_PASSWORD): Promise<void> {
  const res = await withCsrf(page, (token) =>
    page.request.post('/api/auth/login', { data: { email, password }, headers: { 'x-csrf-token': token } }),
  );
  expect(res.ok(), `login as ${email} answered ${res.status()}: ${await res.text()}`).toBeTruthy();
}

/** Signs out through the API. */
export async function logoutViaApi(page: Page): Promise<void> {
  await withCsrf(page, (token) =>
    page.request.post('/api/auth/logout', { data: {}, headers: { 'x-csrf-token': token } }),
  );
}

/**
 * A state-changing API call as the page's signed-in account (for test set-up and
 * clean-up; the journey itself goes through the pages). Fails the test on a non-2xx
 * answer unless `allowFailure` is set.
 */
export async function apiCall(
  page: Page,
  method: 'POST' | 'PUT' | 'DELETE',
  url: string,
  data: unknown = {},
  opts: { allowFailure?: boolean } = {},
): Promise<APIResponse> {
  const res = await withCsrf(page, (token) =>
    page.request.fetch(url, { method, data, headers: { 'x-csrf-token': token } }),
  );
  if (!opts.allowFailure)
    expect(res.ok(), `${method} ${url} answered ${res.status()}: ${await res.text()}`).toBeTruthy();
  return res;
}

/** GET a JSON endpoint as the page's signed-in account. */
export async function apiGet<T>(page: Page, url: string): Promise<T> {
  const res = await page.request.get(url);
  expect(res.ok(), `GET ${url} answered ${res.status()}: ${await res.text()}`).toBeTruthy();
  return (await res.json()) as T;
}

/**
 * Runs axe (WCAG 2.0/2.1/2.2 A and AA) on the current page and fails on any violation of
 * impact serious or critical, listing their ids and elements.
 */
export async function expectNoA11yViolations(page: Page, opts: { exclude?: string[] } = {}): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']);
  for (const selector of opts.exclude ?? []) builder = builder.exclude(selector);
  const results = await builder.analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}`).join('\n')}`)
    .join('\n');
  expect(
    bad.map((v) => v.id),
    `accessibility violations on ${page.url()}:\n${report}`,
  ).toEqual([]);
}

/**
 * Checks the page at a phone width (320 px by default): nothing is wider than the screen,
 * so there is no horizontal scrolling. Restores the previous viewport.
 */
export async function expectFitsNarrowScreen(page: Page, width = 320): Promise<void> {
  const previous = page.viewportSize();
  await page.setViewportSize({ width, height: 800 });
  try {
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth), {
        message: `the page is wider than ${width} px (horizontal scroll)`,
        timeout: 3_000,
      })
      .toBeLessThanOrEqual(width);
  } finally {
    if (previous) await page.setViewportSize(previous);
  }
}

export interface ReceivedMail {
  id: number;
  to: string;
  subject: string;
  text: string;
  /** The first http(s) link of the text part, or null. */
  link: string | null;
}

/** A page's request context (shares its cookies), or a request context itself. */
export type Requester = Page | APIRequestContext;
function requestOf(r: Requester): APIRequestContext {
  return 'request' in r ? r.request : r;
}

/** The id of the newest message in the development mailbox (0 when empty). */
export async function latestDevMailId(page: Requester): Promise<number> {
  const res = await requestOf(page).get('/api/dev/mail');
  expect(res.ok(), `GET /api/dev/mail answered ${res.status()}`).toBeTruthy();
  const { messages } = (await res.json()) as { messages: DevMail[] };
  return messages.reduce((max, m) => Math.max(max, m.id), 0);
}

/**
 * The newest message in the development mailbox for `to` whose subject includes
 * `subjectIncludes`, polling for a few seconds (the outbox worker delivers within ~1 s).
 * Pass `after` (from latestDevMailId) to ignore messages that were there before.
 */
export async function readDevMail(
  page: Requester,
  query: { to: string; subjectIncludes?: string; after?: number; timeoutMs?: number },
): Promise<ReceivedMail> {
  const deadline = Date.now() + (query.timeoutMs ?? 8_000);
  const to = query.to.toLowerCase();
  for (;;) {
    const res = await requestOf(page).get('/api/dev/mail');
    expect(res.ok(), `GET /api/dev/mail answered ${res.status()}`).toBeTruthy();
    const { messages } = (await res.json()) as { messages: DevMail[] };
    const found = messages
      .filter(
        (m) =>
          m.to.toLowerCase().includes(to) &&
          (query.subjectIncludes === undefined || m.subject.includes(query.subjectIncludes)) &&
          m.id > (query.after ?? 0),
      )
      .sort((a, b) => b.id - a.id)[0];
    if (found) {
      return {
        id: found.id,
        to: found.to,
        subject: found.subject,
        text: found.text,
        link: /https?:\/\/[^\s<>"'«»]+/.exec(found.text)?.[0]?.replace(/[.,;:!?)\]]+$/, '') ?? null,
      };
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no e-mail to ${query.to}${query.subjectIncludes ? ` with «${query.subjectIncludes}»` : ''} in the development mailbox`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

// ---------- fresh accounts ----------

const lastNames = ['Соколова', 'Морозова', 'Волкова', 'Зайцева', 'Павлова', 'Семёнова', 'Голубева', 'Виноградова'];
const firstNames = ['Анна', 'Елена', 'Ольга', 'Татьяна', 'Наталья', 'Ирина', 'Светлана', 'Юлия'];
const letters = 'абвгдеклмнопрстуфхцчшэюя';

/** Invented, valid personal data (СНИЛС with checksum, 16-digit полис); unique per call. */
export function inventPerson(
  overrides: Partial<PersonInput> = {},
): PersonInput & { lastName: string; firstName: string } {
  // A short random suffix keeps names distinct in the moderation queue.
  const suffix = Array.from({ length: 3 }, () => letters[randomInt(letters.length)]).join('');
  return {
    lastName: `${lastNames[randomInt(lastNames.length)]}-${suffix}`,
    firstName: firstNames[randomInt(firstNames.length)],
    middleName: 'Андреевна',
    birthDate: `19${randomInt(50, 99)}-0${randomInt(1, 10)}-1${randomInt(0, 10)}`,
    sex: 'F',
    snils: snilsWithChecksum(String(randomInt(100_000_000, 999_999_999))),
    policy: `18${String(randomInt(0, 1e7)).padStart(7, '0')}${String(randomInt(0, 1e7)).padStart(7, '0')}`,
    phone: '+79120000000',
    ...overrides,
  } as PersonInput & { lastName: string; firstName: string };
}

export interface FreshPatient {
  email: string;
  password: string;
  /** The main person, pending moderation (absent when `person: null` was passed). */
  person: Person | null;
}

/**
 * A new patient account made the way a person makes one — sign-up, the confirmation
 * link from the development mailbox, personal data — through the API of its own request
 * context (the caller's cookies are untouched). The main person is left pending.
 */
export async function signUpPatient(
  request: APIRequestContext,
  opts: { email?: string; password?: string; person?: Partial<PersonInput> | null } = {},
): Promise<FreshPatient> {
  const email = opts.email ?? `e2e-${Date.now().toString(36)}-${randomInt(1e6)}@example.test`;
  const password = opts.password ?? 'E2e-password-1';
  const token = async () => ((await (await request.get('/api/session')).json()) as SessionResponse).csrfToken;
  const before = await latestDevMailId(request);
  const signup = await request.post('/api/auth/signup', {
    data: { email, password },
    headers: { 'x-csrf-token': await token() },
  });
  expect(signup.status(), await signup.text()).toBe(202);
  const mail = await readDevMail(request, { to: email, after: before });
  const confirmToken = mail.link ? new URL(mail.link).searchParams.get('token') : null;
  expect(confirmToken, `no confirmation link in: ${mail.text}`).toBeTruthy();
  const confirmed = await request.post('/api/auth/confirm-email', {
    data: { token: confirmToken },
    headers: { 'x-csrf-token': await token() },
  });
  expect(confirmed.ok(), await confirmed.text()).toBeTruthy();
  if (opts.person === null) return { email, password, person: null };
  const added = await request.post('/api/persons', {
    data: inventPerson(opts.person ?? {}),
    headers: { 'x-csrf-token': await token() },
  });
  expect(added.status(), await added.text()).toBe(201);
  return { email, password, person: (await added.json()) as Person };
}
