// Helpers for the waitlist tests: a doctor with no free time (every slot booked through the
// portal by another account, which can cancel one to free it), and quick looks at entries,
// offers and notifications.
import { and, asc, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { WaitlistEntry } from '../../src/shared/api/index.js';
import { notifications, outbox, waitlistEntries, waitlistOffers } from '../../src/server/db/schema.js';
import {
  createAppointmentRow,
  createBookableSetup,
  createDoctor,
  createSlots,
  type BookableSetup,
  type CreateOrganisationOptions,
  type CreateSpecialtyOptions,
  type SlotRow,
} from '../factories/catalogue.js';
import { createAccount, createPerson, type PersonRow } from '../factories/identity.js';
import type { TestClient } from '../support/client.js';
import type { TestContext } from '../support/context.js';
import { sessionClient } from './booking.helpers.js';

export interface Filler {
  accountId: string;
  person: PersonRow;
  client: TestClient;
  /** slot id -> the filler's portal appointment in it. */
  appointments: Map<number, string>;
}

/** An account whose person holds portal appointments in the given slots (so it can cancel them). */
export async function fillSlots(t: TestContext, slots: SlotRow[]): Promise<Filler> {
  const account = await createAccount(t.ctx);
  const person = await createPerson(t.ctx, account.id, { isMain: true, firstName: 'Анна', lastName: 'Заполнитель' });
  const appointments = new Map<number, string>();
  for (const slot of slots) {
    const a = await createAppointmentRow(t.ctx, slot, person.id, { source: 'portal', bookedByAccountId: account.id });
    appointments.set(slot.id, a.id);
  }
  return { accountId: account.id, person, client: await sessionClient(t, account.id), appointments };
}

export interface BusyDoctor {
  setup: BookableSetup;
  filler: Filler;
}

/** A doctor whose six slots (10:00 and 10:30 local on the next three days) are all booked by a filler. */
export async function busyDoctor(
  t: TestContext,
  opts: { organisation?: CreateOrganisationOptions; specialty?: CreateSpecialtyOptions } = {},
): Promise<BusyDoctor> {
  const setup = await createBookableSetup(t.ctx, opts);
  const filler = await fillSlots(t, setup.slots);
  return { setup, filler };
}

/** Another doctor of the same specialty in the same organisation, with slots at the given instants. */
export async function colleague(t: TestContext, setup: BookableSetup, starts: Date[]) {
  const doctor = await createDoctor(t.ctx, {
    organisationId: setup.organisation.id,
    specialtyId: setup.specialty.id,
    lastName: 'Сидорова',
    firstName: 'Елена',
    middleName: 'Павловна',
  });
  const slots = await createSlots(t.ctx, doctor.id, starts);
  return { doctor, slots };
}

/** The filler cancels its appointment in the slot through HTTP (the slot is freed). */
export async function freeSlot(busy: { filler: Filler }, slotId: number): Promise<void> {
  const id = busy.filler.appointments.get(slotId);
  if (!id) throw new Error(`no filler appointment in slot ${slotId}`);
  const res = await busy.filler.client.post(`/api/appointments/${id}/cancel`);
  expect(res.status).toBe(200);
}

export async function join(
  client: TestClient,
  personId: string,
  doctorId: number,
  kind: 'doctor' | 'specialty' = 'doctor',
) {
  const res = await client.post<WaitlistEntry>('/api/waitlist', { personId, doctorId, kind });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export async function entryRow(t: TestContext, id: string) {
  const rows = await t.ctx.db.select().from(waitlistEntries).where(eq(waitlistEntries.id, id));
  return rows[0];
}

export async function offersOf(t: TestContext, entryId: string) {
  return t.ctx.db
    .select()
    .from(waitlistOffers)
    .where(eq(waitlistOffers.entryId, entryId))
    .orderBy(asc(waitlistOffers.createdAt));
}

export async function pendingOfferOf(t: TestContext, entryId: string) {
  const rows = await t.ctx.db
    .select()
    .from(waitlistOffers)
    .where(and(eq(waitlistOffers.entryId, entryId), eq(waitlistOffers.status, 'pending')));
  return rows[0] ?? null;
}

export async function offersOfSlot(t: TestContext, slotId: number) {
  return t.ctx.db.select().from(waitlistOffers).where(eq(waitlistOffers.slotId, slotId));
}

export async function notificationsOf(t: TestContext, accountId: string, kind?: string) {
  const rows = await t.ctx.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.accountId, accountId), kind ? eq(notifications.kind, kind) : undefined))
    .orderBy(asc(notifications.id));
  return rows;
}

export async function emailsOf(t: TestContext, accountId: string, kind?: string) {
  return t.ctx.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.accountId, accountId), kind ? eq(outbox.kind, kind) : undefined))
    .orderBy(asc(outbox.id));
}

export async function countRows(t: TestContext) {
  const [entries, offers, notes] = await Promise.all([
    t.ctx.db.$count(waitlistEntries),
    t.ctx.db.$count(waitlistOffers),
    t.ctx.db.$count(notifications),
  ]);
  return { entries, offers, notes };
}
