// Helpers for the notification tests: VAPID keys for the server, a browser's push keys,
// a patient with a portal booking made through HTTP, and quick looks at what was written.
import { createECDH, randomBytes, type ECDH } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import webpush from 'web-push';
import { notifications, outbox, pushOutbox, pushSubscriptions } from '../../src/server/db/schema.js';
import type { AppointmentDetail } from '../../src/shared/api/index.js';
import { createBookableSetup } from '../factories/catalogue.js';
import { createAccount, createPerson } from '../factories/identity.js';
import type { TestClient } from '../support/client.js';
import type { TestContext } from '../support/context.js';
import { sessionClient } from './booking.helpers.js';

/** Environment that turns Web Push on with a fresh key pair. */
export function vapidEnv(): Record<string, string> {
  const keys = webpush.generateVAPIDKeys();
  return {
    VAPID_PUBLIC_KEY: keys.publicKey,
    VAPID_PRIVATE_KEY: keys.privateKey,
    VAPID_SUBJECT: 'mailto:ops@example.test',
  };
}

/** What a browser keeps for a subscription: its P-256 key pair and the 16-byte auth secret. */
export interface BrowserPushKeys {
  ecdh: ECDH;
  p256dh: string;
  auth: string;
  authBytes: Buffer;
}

export function browserPushKeys(): BrowserPushKeys {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const authBytes = randomBytes(16);
  return { ecdh, p256dh: ecdh.getPublicKey().toString('base64url'), auth: authBytes.toString('base64url'), authBytes };
}

export interface Patient {
  accountId: string;
  email: string;
  personId: string;
  client: TestClient;
}

/** An account with a confirmed main person and a signed-in client (session made in the database). */
export async function patient(t: TestContext): Promise<Patient> {
  const account = await createAccount(t.ctx);
  const person = await createPerson(t.ctx, account.id, { isMain: true, status: 'confirmed' });
  return {
    accountId: account.id,
    email: account.email,
    personId: person.id,
    client: await sessionClient(t, account.id),
  };
}

/**
 * Books through HTTP (a fresh organisation each time). Slot 2 (default) is 10:00 local
 * the day after tomorrow; 0 is tomorrow, 4 the day after that.
 */
export async function book(
  t: TestContext,
  p: Patient,
  opts: { organisation?: { name?: string }; specialty?: { name?: string }; slot?: number } = {},
) {
  const setup = await createBookableSetup(t.ctx, { organisation: opts.organisation, specialty: opts.specialty });
  const res = await p.client.post<AppointmentDetail>('/api/appointments', {
    slotId: setup.slots[opts.slot ?? 2].id,
    personId: p.personId,
  });
  if (res.status !== 201) throw new Error(`booking failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { setup, appointment: res.body };
}

export async function notificationsOf(t: TestContext, accountId: string) {
  return t.ctx.db.select().from(notifications).where(eq(notifications.accountId, accountId));
}

export async function emailsOf(t: TestContext, accountId: string) {
  return t.ctx.db.select().from(outbox).where(eq(outbox.accountId, accountId));
}

export async function pushRowsOf(t: TestContext, accountId: string) {
  return t.ctx.db
    .select({ row: pushOutbox })
    .from(pushOutbox)
    .innerJoin(pushSubscriptions, eq(pushSubscriptions.id, pushOutbox.subscriptionId))
    .where(eq(pushSubscriptions.accountId, accountId))
    .then((rows) => rows.map((r) => r.row));
}

export async function countRows(
  t: TestContext,
  table: typeof pushSubscriptions | typeof pushOutbox | typeof notifications | typeof outbox,
) {
  const rows = await t.ctx.db.select({ n: count() }).from(table);
  return Number(rows[0].n);
}
