// Helpers for the booking tests: sessions made straight in the database (fast, and the
// only way to get a ЕСИА-signed session before ЕСИА login exists), appointments from other
// channels, and quick looks at what was written.
import { and, count, eq } from 'drizzle-orm';
import type { TestClient } from '../support/client.js';
import type { TestContext } from '../support/context.js';
import { appointments, outbox, sessions, slots } from '../../src/server/db/schema.js';
import { hmac, randomToken, SESSION_COOKIE, type AuthMethod } from '../../src/server/modules/session/session.js';
import type { AppointmentSource } from '../../src/shared/api/index.js';

/** A client signed in as the account, with the given sign-in method, and its CSRF token. */
export async function sessionClient(
  t: TestContext,
  accountId: string,
  authMethod: AuthMethod = 'password',
): Promise<TestClient> {
  const token = randomToken();
  await t.ctx.db.insert(sessions).values({
    idHash: hmac(t.config.sessionSecret, token),
    accountId,
    authMethod,
    createdAt: t.ctx.now(),
    expiresAt: new Date(t.ctx.now().getTime() + 30 * 86_400_000),
  });
  const client = t.client();
  client.cookies.set(SESSION_COOKIE, token);
  await client.ensureCsrf();
  return client;
}

let refSeq = 0;

/** An appointment recorded by another channel (registry, doctor ...) or by the portal directly. */
export async function insertAppointment(
  t: TestContext,
  a: {
    slot: { id: number; doctorId: number; startAt: Date; endAt: Date };
    personId: string;
    source: AppointmentSource;
    bookedByAccountId?: string | null;
    status?: 'booked' | 'cancelled' | 'visited' | 'no_show';
  },
): Promise<string> {
  refSeq += 1;
  const status = a.status ?? 'booked';
  const rows = await t.ctx.db
    .insert(appointments)
    .values({
      reference: `ТЕСТ-${process.pid}-${refSeq}`,
      slotId: a.slot.id,
      personId: a.personId,
      doctorId: a.slot.doctorId,
      startAt: a.slot.startAt,
      endAt: a.slot.endAt,
      status,
      source: a.source,
      bookedByAccountId: a.bookedByAccountId ?? null,
      createdAt: t.ctx.now(),
    })
    .returning({ id: appointments.id });
  if (status === 'booked') await t.ctx.db.update(slots).set({ status: 'booked' }).where(eq(slots.id, a.slot.id));
  return rows[0].id;
}

export async function countAppointments(
  t: TestContext,
  where: { slotId?: number; personId?: string } = {},
): Promise<number> {
  const conditions = [
    where.slotId !== undefined ? eq(appointments.slotId, where.slotId) : undefined,
    where.personId !== undefined ? eq(appointments.personId, where.personId) : undefined,
  ].filter((c) => c !== undefined);
  const rows = await t.ctx.db
    .select({ n: count() })
    .from(appointments)
    .where(conditions.length ? and(...conditions) : undefined);
  return Number(rows[0].n);
}

export async function slotState(t: TestContext, slotId: number) {
  const rows = await t.ctx.db.select().from(slots).where(eq(slots.id, slotId));
  return rows[0];
}

export async function setSlotStatus(t: TestContext, slotId: number, status: 'free' | 'blocked'): Promise<void> {
  await t.ctx.db.update(slots).set({ status }).where(eq(slots.id, slotId));
}

export async function emailsTo(t: TestContext, address: string) {
  return t.ctx.db.select().from(outbox).where(eq(outbox.toAddress, address));
}
