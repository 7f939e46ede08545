// Test data for clinic staff (registry desk, doctors) and the clinic register, written
// straight to the database, plus signing staff in through HTTP. All names are invented.
import { randomInt } from 'node:crypto';
import type { AppContext } from '../../src/server/context.js';
import { accounts } from '../../src/server/db/schema.js';
import { hashPassword } from '../../src/server/modules/identity/password.js';
import { REGISTER_ACCOUNT_ID } from '../../src/server/modules/channels/register.js';
import type { TestClient } from '../support/client.js';
import type { TestContext } from '../support/context.js';
import { createPerson, DEFAULT_PASSWORD, signIn, type CreatePersonOptions, type PersonRow } from './identity.js';

export interface StaffAccount {
  id: string;
  email: string;
  password: string;
  organisationId: number;
  doctorId: number | null;
}

let sequence = 0;
const runTag = randomInt(100_000, 999_999);
let hash: Promise<string> | null = null;

/** A registrar or clinic administrator of an organisation, or (with `doctorId`) the account of that doctor. */
export async function createStaffAccount(
  ctx: AppContext,
  opts: { role: 'registrar' | 'doctor' | 'clinic_admin'; organisationId: number; doctorId?: number; email?: string },
): Promise<StaffAccount> {
  if (opts.role === 'doctor' && opts.doctorId === undefined) throw new Error('a doctor account needs doctorId');
  sequence += 1;
  const email = (opts.email ?? `${opts.role}${runTag}-${sequence}@clinic.example.test`).toLowerCase();
  hash ??= hashPassword(DEFAULT_PASSWORD);
  const rows = await ctx.db
    .insert(accounts)
    .values({
      email,
      passwordHash: await hash,
      role: opts.role,
      emailConfirmedAt: ctx.now(),
      organisationId: opts.organisationId,
      doctorId: opts.role === 'doctor' ? (opts.doctorId ?? null) : null,
      createdAt: ctx.now(),
    })
    .returning({ id: accounts.id });
  return {
    id: rows[0].id,
    email,
    password: DEFAULT_PASSWORD,
    organisationId: opts.organisationId,
    doctorId: opts.role === 'doctor' ? (opts.doctorId ?? null) : null,
  };
}

/** A staff account and its signed-in client. */
export async function createSignedInStaff(
  t: TestContext,
  opts: { role: 'registrar' | 'doctor' | 'clinic_admin'; organisationId: number; doctorId?: number },
): Promise<StaffAccount & { client: TestClient }> {
  const account = await createStaffAccount(t.ctx, opts);
  return { ...account, client: await signIn(t, account.email, account.password) };
}

/** A patient in the clinic register (known to clinics, e.g. registered at a desk earlier). */
export async function createRegisterPatient(
  ctx: AppContext,
  opts: Partial<CreatePersonOptions> = {},
): Promise<PersonRow> {
  return createPerson(ctx, REGISTER_ACCOUNT_ID, { ...opts, status: 'confirmed', isMain: false });
}
