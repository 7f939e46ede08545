// Test data for accounts and card files, written straight to the database (fast), plus
// signing in through HTTP. All names and numbers are invented.
import { randomInt } from 'node:crypto';
import type { AppContext } from '../../src/server/context.js';
import { asc, eq } from 'drizzle-orm';
import { accounts, outbox, persons } from '../../src/server/db/schema.js';
import { identityJobHandlers } from '../../src/server/modules/identity/identity.jobs.js';
import { runDueJobs } from '../../src/server/modules/notify/jobs.worker.js';
import { hashPassword } from '../../src/server/modules/identity/password.js';
import type { PersonRow } from '../../src/server/modules/identity/persons.service.js';
import { snilsWithChecksum } from '../../src/shared/validation.js';
import type { TestClient } from '../support/client.js';
import type { TestContext } from '../support/context.js';

export type { PersonRow };

export const DEFAULT_PASSWORD = 'Test-password-1';

export interface CreateAccountOptions {
  email?: string;
  password?: string;
  role?: 'patient' | 'moderator' | 'operator';
  emailConfirmed?: boolean;
}

export interface CreatedAccount {
  id: string;
  email: string;
  password: string;
}

let sequence = 0;
/** A number unique within this test process (and very likely across parallel files). */
function nextSeq(): number {
  sequence += 1;
  return sequence;
}
const runTag = randomInt(100_000, 999_999);

// Hashing is the slow part (~180 ms); reuse hashes of the same password.
const hashCache = new Map<string, Promise<string>>();
function cachedHash(password: string): Promise<string> {
  let h = hashCache.get(password);
  if (!h) {
    h = hashPassword(password);
    hashCache.set(password, h);
  }
  return h;
}

export async function createAccount(ctx: AppContext, opts: CreateAccountOptions = {}): Promise<CreatedAccount> {
  const email = (opts.email ?? `user${runTag}-${nextSeq()}@example.test`).toLowerCase();
  const password = opts.password ?? DEFAULT_PASSWORD;
  const rows = await ctx.db
    .insert(accounts)
    .values({
      email,
      passwordHash: await cachedHash(password),
      role: opts.role ?? 'patient',
      emailConfirmedAt: opts.emailConfirmed === false ? null : ctx.now(),
      createdAt: ctx.now(),
    })
    .returning({ id: accounts.id });
  return { id: rows[0].id, email, password };
}

export interface CreatePersonOptions {
  isMain: boolean;
  status: 'pending' | 'confirmed' | 'rejected';
  lastName: string;
  firstName: string;
  middleName: string | null;
  birthDate: string;
  sex: 'M' | 'F';
  snils: string;
  policy: string;
  rejectReason: string | null;
  phone: string | null;
}

/** A valid, unique СНИЛС (checksum rule applies: the 9 digits are above 001-001-998). */
export function uniqueSnils(): string {
  const nine = String(100_000_000 + ((runTag * 1000 + nextSeq()) % 899_999_999)).padStart(9, '0');
  return snilsWithChecksum(nine);
}

/** A unique 16-digit полис ОМС. */
export function uniquePolicy(): string {
  return `18${String(runTag).padStart(6, '0')}${String(nextSeq()).padStart(8, '0')}`;
}

export async function createPerson(
  ctx: AppContext,
  accountId: string,
  opts: Partial<CreatePersonOptions> = {},
): Promise<PersonRow> {
  const status = opts.status ?? 'confirmed';
  const now = ctx.now();
  const rows = await ctx.db
    .insert(persons)
    .values({
      accountId,
      isMain: opts.isMain ?? false,
      lastName: opts.lastName ?? 'Иванова',
      firstName: opts.firstName ?? 'Мария',
      middleName: opts.middleName === undefined ? 'Петровна' : opts.middleName,
      birthDate: opts.birthDate ?? '1985-04-12',
      sex: opts.sex ?? 'F',
      snils: opts.snils ?? uniqueSnils(),
      policy: opts.policy ?? uniquePolicy(),
      phone: opts.phone ?? null,
      status,
      rejectReason: status === 'rejected' ? (opts.rejectReason ?? 'Номер полиса не найден в реестре') : null,
      submittedAt: now,
      decidedAt: status === 'pending' ? null : now,
      createdAt: now,
    })
    .returning();
  return rows[0];
}

/** Logs in through POST /api/auth/login and returns the signed-in client. */
export async function signIn(t: TestContext, email: string, password: string): Promise<TestClient> {
  const client = t.client();
  const res = await client.post('/api/auth/login', { email, password });
  if (res.status !== 200) throw new Error(`signIn failed: ${res.status} ${JSON.stringify(res.body)}`);
  return client;
}

/** A confirmed account with a confirmed main person and a signed-in client. */
export async function createPatient(
  t: TestContext,
  opts: { account?: CreateAccountOptions; person?: Partial<CreatePersonOptions> } = {},
): Promise<{ account: CreatedAccount; person: PersonRow; client: TestClient }> {
  const account = await createAccount(t.ctx, { ...opts.account, role: opts.account?.role ?? 'patient' });
  const person = await createPerson(t.ctx, account.id, { status: 'confirmed', ...opts.person, isMain: true });
  const client = await signIn(t, account.email, account.password);
  return { account, person, client };
}

/**
 * Runs the durable jobs as the worker would (sign-up and password recovery only enqueue);
 * returns how many ran. Failures are logged to `warnings` when given.
 */
export async function runJobs(ctx: AppContext, warnings: object[] = []): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await runDueJobs(ctx, identityJobHandlers, { warn: (obj) => warnings.push(obj) });
    if (n === 0) return total;
    total += n;
  }
}

/** E-mails queued for an address, oldest first (tests read links from here). */
export async function outboxFor(ctx: AppContext, to: string) {
  return ctx.db.select().from(outbox).where(eq(outbox.toAddress, to.toLowerCase())).orderBy(asc(outbox.id));
}

/** The token of a link like `${publicUrl}/confirm-email?token=…` in an e-mail's text. */
export function tokenFromLink(text: string, path: '/confirm-email' | '/reset-password'): string {
  const m = new RegExp(`${path.replace('/', '\\/')}\\?token=([A-Za-z0-9_-]+)`).exec(text);
  if (!m) throw new Error(`no ${path} link in the e-mail`);
  return m[1];
}
