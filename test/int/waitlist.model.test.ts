// Model-based test of the waitlist: random sequences of join, leave, cancel, confirm,
// decline and expire (move the clock, run the worker) against the real services through
// HTTP, on PGlite (or PostgreSQL with PRIYOM_TEST_DATABASE_URL). After every step the
// database is checked against invariants computed independently of the implementation:
//  - a slot is never offered to two entries at once, never both offered and booked, and an
//    offer's slot is held for exactly that offer;
//  - declines and expiries never exceed the limit; an entry is removed exactly when its
//    last allowed offer went unanswered; every offer was announced exactly once;
//  - each offer made in the step went to the oldest matching eligible entry;
//  - no waiting entry is skipped while a slot it matches (and may take) is publicly free.
// Each run gets its own organisation, doctors and people; the clock only moves forward.
import { inArray } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appointments,
  notifications,
  regionSettings,
  slots,
  waitlistEntries,
  waitlistOffers,
} from '../../src/server/db/schema.js';
import { offerFreeSlotsToWaitlist } from '../../src/server/modules/waitlist/matching.service.js';
import { processWaitlist } from '../../src/server/modules/waitlist/waitlist.worker.js';
import { addDays, localDateOf, zonedToInstant } from '../../src/shared/time.js';
import {
  createAppointmentRow,
  createDoctor,
  createOrganisation,
  createSlots,
  createSpecialty,
  type DoctorRow,
  type SlotRow,
} from '../factories/catalogue.js';
import { createAccount, createPerson, type PersonRow } from '../factories/identity.js';
import type { TestClient } from '../support/client.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { sessionClient } from './booking.helpers.js';

const ZONE = 'Europe/Samara';
/** The operator's limit, lowered from the default 3 so that removals happen in short runs. */
const MAX_OFFERS = 2;
const HOUR = 3_600_000;

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ now: '2026-11-25T09:00:00Z' });
  await t.ctx.db.update(regionSettings).set({ maxOffers: MAX_OFFERS });
});
afterAll(async () => t.close());

// ---------- one run's world ----------

interface Patient {
  person: PersonRow;
  accountId: string;
  client: TestClient;
}

interface World {
  doctors: DoctorRow[];
  slots: SlotRow[];
  slotIds: number[];
  patients: Patient[];
  personIds: string[];
  /** account id -> a signed-in client (patients and the fillers who booked every slot). */
  clients: Map<string, TestClient>;
}

/**
 * An organisation with two doctors of one specialty and one of another, nine slots (some at
 * the same times across doctors), every slot booked through the portal by a filler account,
 * and four confirmed people in three accounts (one account books for two).
 */
async function makeWorld(): Promise<World> {
  const organisation = await createOrganisation(t.ctx, { timeZone: ZONE });
  const s1 = await createSpecialty(t.ctx);
  const s2 = await createSpecialty(t.ctx);
  const doctors = [
    await createDoctor(t.ctx, { organisationId: organisation.id, specialtyId: s1.id }),
    await createDoctor(t.ctx, { organisationId: organisation.id, specialtyId: s1.id }),
    await createDoctor(t.ctx, { organisationId: organisation.id, specialtyId: s2.id }),
  ];
  const today = localDateOf(t.ctx.now(), ZONE);
  const local = (days: number, time: string) => zonedToInstant(addDays(today, days), time, ZONE);
  const times = [
    [local(1, '11:00'), local(2, '10:00'), local(3, '10:00')],
    [local(1, '11:00'), local(2, '10:00'), local(4, '12:00')],
    [local(2, '10:00'), local(3, '10:00'), local(4, '12:00')],
  ];
  const clients = new Map<string, TestClient>();
  const allSlots: SlotRow[] = [];
  for (let i = 0; i < doctors.length; i++) {
    const created = await createSlots(t.ctx, doctors[i].id, times[i]);
    const filler = await createAccount(t.ctx);
    const fillerPerson = await createPerson(t.ctx, filler.id, { isMain: true });
    for (const slot of created) {
      await createAppointmentRow(t.ctx, slot, fillerPerson.id, { source: 'portal', bookedByAccountId: filler.id });
    }
    clients.set(filler.id, await sessionClient(t, filler.id));
    allSlots.push(...created);
  }
  const patients: Patient[] = [];
  for (let a = 0; a < 3; a++) {
    const account = await createAccount(t.ctx);
    const client = await sessionClient(t, account.id);
    clients.set(account.id, client);
    const people = a === 0 ? 2 : 1;
    for (let k = 0; k < people; k++) {
      const person = await createPerson(t.ctx, account.id, { isMain: k === 0, firstName: k === 0 ? 'Мария' : 'Пётр' });
      patients.push({ person, accountId: account.id, client });
    }
  }
  return {
    doctors,
    slots: allSlots,
    slotIds: allSlots.map((s) => s.id),
    patients,
    personIds: patients.map((p) => p.person.id),
    clients,
  };
}

// ---------- reading the state ----------

interface Snapshot {
  now: Date;
  slots: (typeof slots.$inferSelect)[];
  entries: (typeof waitlistEntries.$inferSelect)[];
  offers: (typeof waitlistOffers.$inferSelect)[];
  appointments: (typeof appointments.$inferSelect)[];
}

async function snapshot(w: World): Promise<Snapshot> {
  const entries = await t.ctx.db.select().from(waitlistEntries).where(inArray(waitlistEntries.personId, w.personIds));
  const entryIds = entries.map((e) => e.id);
  return {
    now: t.ctx.now(),
    slots: await t.ctx.db.select().from(slots).where(inArray(slots.id, w.slotIds)),
    entries,
    offers: entryIds.length
      ? await t.ctx.db.select().from(waitlistOffers).where(inArray(waitlistOffers.entryId, entryIds))
      : [],
    appointments: await t.ctx.db.select().from(appointments).where(inArray(appointments.slotId, w.slotIds)),
  };
}

// ---------- the oracle: rules restated independently ----------

type Entry = Snapshot['entries'][number];
type Slot = Snapshot['slots'][number];

interface Span {
  id: string;
  startAt: Date;
  endAt: Date;
  specialtyId: number;
}

function specialtyOf(w: World, doctorId: number): number {
  const d = w.doctors.find((x) => x.id === doctorId);
  if (!d) throw new Error('unknown doctor');
  return d.specialtyId;
}

function matches(w: World, e: Entry, s: Slot): boolean {
  return e.doctorId === null ? e.specialtyId === specialtyOf(w, s.doctorId) : e.doctorId === s.doctorId;
}

function older(a: Entry, b: Entry): boolean {
  const d = a.createdAt.getTime() - b.createdAt.getTime();
  return d < 0 || (d === 0 && a.id < b.id);
}

/** A person's booked visits that have not ended and the slots of their pending offers. */
function commitments(w: World, snaps: Snapshot[], personId: string, now: Date): Span[] {
  const out = new Map<string, Span>();
  for (const snap of snaps) {
    for (const a of snap.appointments) {
      if (a.personId === personId && a.status === 'booked' && a.endAt > now) {
        out.set(`a:${a.id}`, { id: a.id, startAt: a.startAt, endAt: a.endAt, specialtyId: specialtyOf(w, a.doctorId) });
      }
    }
    for (const o of snap.offers) {
      const e = snap.entries.find((x) => x.id === o.entryId);
      const s = snap.slots.find((x) => x.id === o.slotId);
      if (o.status === 'pending' && e?.personId === personId && s) {
        out.set(`o:${o.id}`, { id: o.id, startAt: s.startAt, endAt: s.endAt, specialtyId: specialtyOf(w, s.doctorId) });
      }
    }
  }
  return [...out.values()];
}

/** Whether an offer of this slot could be made now: at least an hour to answer before the cut-off (18:00 the day before). */
function offerable(s: Slot, now: Date): boolean {
  const cutoff = zonedToInstant(addDays(localDateOf(s.startAt, ZONE), -1), '18:00', ZONE);
  const deadline = Math.min(now.getTime() + 24 * HOUR, cutoff.getTime());
  return s.startAt > now && deadline - now.getTime() >= HOUR;
}

function mayTake(w: World, e: Entry, s: Slot, spans: Span[], offersSeen: Snapshot['offers'], now: Date): boolean {
  if (e.offersMade >= MAX_OFFERS) return false;
  if (offersSeen.some((o) => o.entryId === e.id && o.slotId === s.id)) return false;
  if (!offerable(s, now)) return false;
  const spec = specialtyOf(w, s.doctorId);
  if (spans.some((c) => c.startAt < s.endAt && s.startAt < c.endAt)) return false;
  if (spans.some((c) => c.specialtyId === spec && c.startAt > now)) return false; // one per specialty
  return true;
}

function isFree(s: Slot, now: Date): boolean {
  return (
    s.startAt > now && (s.status === 'free' || (s.status === 'held' && s.heldUntil !== null && s.heldUntil <= now))
  );
}

// ---------- invariants after every step ----------

/** What the runs exercised: the property must not pass vacuously. */
const seen = { offers: 0, bookedFromOffers: 0 };

async function checkInvariants(w: World, pre: Snapshot): Promise<Snapshot> {
  const post = await snapshot(w);
  seen.offers += post.offers.filter((x) => !pre.offers.some((p) => p.id === x.id)).length;
  seen.bookedFromOffers +=
    post.offers.filter((x) => x.status === 'accepted').length -
    pre.offers.filter((x) => x.status === 'accepted').length;
  const now = post.now;
  const describeState = () =>
    JSON.stringify({ now, entries: post.entries, offers: post.offers, slots: post.slots }, null, 1);

  // A slot: at most one pending offer, held for exactly it, never also booked.
  for (const s of post.slots) {
    const pending = post.offers.filter((o) => o.slotId === s.id && o.status === 'pending');
    const booked = post.appointments.filter((a) => a.slotId === s.id && a.status === 'booked');
    expect(pending.length, describeState()).toBeLessThanOrEqual(1);
    expect(booked.length).toBeLessThanOrEqual(1);
    if (pending.length === 1) {
      const entry = post.entries.find((e) => e.id === pending[0].entryId)!;
      expect(booked, 'offered and booked at once').toEqual([]);
      expect(s).toMatchObject({
        status: 'held',
        holdOfferId: pending[0].id,
        holdPersonId: entry.personId,
        holdAccountId: null,
      });
    } else {
      expect(s.holdOfferId, `slot ${s.id} held for an offer that is not pending`).toBeNull();
    }
    if (booked.length === 1) expect(s.status).toBe('booked');
  }

  // Entries: the offer sequence and its limit.
  for (const e of post.entries) {
    const own = post.offers.filter((o) => o.entryId === e.id);
    const unanswered = own.filter((o) => o.status === 'declined' || o.status === 'expired').length;
    const pending = own.filter((o) => o.status === 'pending').length;
    expect(e.offersMade).toBe(own.length);
    expect(e.offersMade).toBeLessThanOrEqual(MAX_OFFERS);
    expect(unanswered).toBeLessThanOrEqual(MAX_OFFERS);
    expect(pending).toBe(e.status === 'offered' ? 1 : 0);
    if (e.status === 'removed') {
      expect(e).toMatchObject({ endReason: 'offers_exhausted', offersMade: MAX_OFFERS });
      expect(unanswered).toBe(MAX_OFFERS);
    }
    if (e.status === 'waiting' || e.status === 'offered') expect(unanswered).toBeLessThan(MAX_OFFERS);
    if (e.status === 'fulfilled') expect(own.filter((o) => o.status === 'accepted')).toHaveLength(1);
  }

  // Every offer was announced exactly once.
  if (post.offers.length) {
    const keys = post.offers.map((o) => `waitlist_offer:${o.id}`);
    const notes = await t.ctx.db
      .select({ key: notifications.dedupKey })
      .from(notifications)
      .where(inArray(notifications.dedupKey, keys));
    expect(notes.map((n) => n.key).sort()).toEqual([...keys].sort());
  }

  // Each offer made in this step went to the oldest matching entry that could take it.
  const waitingBefore = new Set(pre.entries.filter((e) => e.status === 'waiting').map((e) => e.id));
  for (const o of post.offers.filter((x) => !pre.offers.some((p) => p.id === x.id))) {
    const winner = post.entries.find((e) => e.id === o.entryId)!;
    const s = post.slots.find((x) => x.id === o.slotId)!;
    expect(matches(w, winner, s)).toBe(true);
    // The winner itself could take it: never had this slot, within its limits, time enough to answer.
    // (Judged after the step without this offer: what the person took on later in the step never clashes with it.)
    const winnerSpans = commitments(w, [post], winner.personId, now).filter((c) => c.id !== o.id);
    const seen = post.offers.filter((x) => x.id !== o.id);
    expect(
      mayTake(w, { ...winner, offersMade: winner.offersMade - 1 }, s, winnerSpans, seen, now),
      `offer ${o.id} to an entry that may not take it`,
    ).toBe(true);
    for (const e of post.entries) {
      if (e.id === winner.id || e.status !== 'waiting' || !waitingBefore.has(e.id)) continue;
      if (!matches(w, e, s) || !older(e, winner)) continue;
      // Everything the person was committed to before or after the step, except this offer.
      const spans = commitments(w, [pre, post], e.personId, now).filter((c) => c.id !== o.id);
      expect(
        mayTake(w, e, s, spans, post.offers, now),
        `offer ${o.id} skipped the older entry ${e.id}\n${describeState()}`,
      ).toBe(false);
    }
  }

  // No waiting entry is skipped while a slot it may take is publicly free.
  for (const s of post.slots.filter((x) => isFree(x, now))) {
    for (const e of post.entries.filter((x) => x.status === 'waiting' && matches(w, x, s))) {
      const spans = commitments(w, [post], e.personId, now);
      expect(
        mayTake(w, e, s, spans, post.offers, now),
        `slot ${s.id} is free while entry ${e.id} waits\n${describeState()}`,
      ).toBe(false);
    }
  }
  return post;
}

// ---------- commands ----------

type Model = Record<string, never>;

function codeOf(res: { status: number; body: unknown }): string {
  const code = (res.body as { code?: string } | null)?.code;
  return code ? `${res.status} ${code}` : String(res.status);
}

function pick<T>(items: T[], n: number): T | null {
  return items.length ? items[n % items.length] : null;
}

class Join implements fc.AsyncCommand<Model, World> {
  constructor(
    readonly personIndex: number,
    readonly doctorIndex: number,
    readonly kind: 'doctor' | 'specialty',
  ) {}
  check = () => true;
  async run(_m: Model, w: World) {
    const pre = await snapshot(w);
    const p = w.patients[this.personIndex];
    const doctor = w.doctors[this.doctorIndex];
    const now = pre.now;
    const targetDoctors =
      this.kind === 'doctor'
        ? [doctor.id]
        : w.doctors.filter((d) => d.specialtyId === doctor.specialtyId).map((d) => d.id);
    const already = pre.entries.some(
      (e) =>
        e.personId === p.person.id &&
        (e.status === 'waiting' || e.status === 'offered') &&
        (this.kind === 'doctor'
          ? e.doctorId === doctor.id
          : e.doctorId === null && e.specialtyId === doctor.specialtyId),
    );
    const limit = pre.appointments.some(
      (a) =>
        a.personId === p.person.id &&
        a.status === 'booked' &&
        a.startAt > now &&
        specialtyOf(w, a.doctorId) === doctor.specialtyId,
    );
    const free = pre.slots.some((s) => targetDoctors.includes(s.doctorId) && isFree(s, now));
    const expected = already
      ? '409 WAITLIST_ALREADY'
      : limit
        ? '409 SPECIALTY_LIMIT_REACHED'
        : free
          ? '409 WAITLIST_NOT_NEEDED'
          : '201';
    const res = await p.client.post('/api/waitlist', { personId: p.person.id, doctorId: doctor.id, kind: this.kind });
    expect(codeOf(res), JSON.stringify(res.body)).toBe(expected);
    await checkInvariants(w, pre);
  }
  toString = () => `join(person ${this.personIndex}, doctor ${this.doctorIndex}, ${this.kind})`;
}

class Leave implements fc.AsyncCommand<Model, World> {
  constructor(readonly n: number) {}
  check = () => true;
  async run(_m: Model, w: World) {
    const pre = await snapshot(w);
    const active = pre.entries
      .filter((e) => e.status === 'waiting' || e.status === 'offered')
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const e = pick(active, this.n);
    if (!e) return;
    const res = await w.clients.get(e.accountId)!.post(`/api/waitlist/${e.id}/leave`);
    expect(codeOf(res), JSON.stringify(res.body)).toBe('200');
    await checkInvariants(w, pre);
  }
  toString = () => `leave(${this.n})`;
}

class Cancel implements fc.AsyncCommand<Model, World> {
  constructor(readonly n: number) {}
  check = () => true;
  async run(_m: Model, w: World) {
    const pre = await snapshot(w);
    const now = pre.now;
    const cancellable = pre.appointments
      .filter((a) => {
        const cutoff = zonedToInstant(addDays(localDateOf(a.startAt, ZONE), -1), '18:00', ZONE);
        return a.status === 'booked' && a.source === 'portal' && a.startAt > now && now < cutoff;
      })
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const a = pick(cancellable, this.n);
    if (!a) return;
    const res = await w.clients.get(a.bookedByAccountId!)!.post(`/api/appointments/${a.id}/cancel`);
    expect(codeOf(res), JSON.stringify(res.body)).toBe('200');
    await checkInvariants(w, pre);
  }
  toString = () => `cancel(${this.n})`;
}

class Answer implements fc.AsyncCommand<Model, World> {
  constructor(
    readonly n: number,
    readonly answer: 'confirm' | 'decline',
  ) {}
  check = () => true;
  async run(_m: Model, w: World) {
    const pre = await snapshot(w);
    const pending = pre.offers.filter((o) => o.status === 'pending').sort((a, b) => (a.id < b.id ? -1 : 1));
    const o = pick(pending, this.n);
    if (!o) return;
    const entry = pre.entries.find((e) => e.id === o.entryId)!;
    const res = await w.clients.get(entry.accountId)!.post(`/api/offers/${o.id}/${this.answer}`);
    const late = o.deadline <= pre.now;
    if (late) {
      expect(codeOf(res)).toBe('409 OFFER_EXPIRED');
    } else if (this.answer === 'confirm') {
      expect(codeOf(res), JSON.stringify(res.body)).toBe('201');
      expect(res.body).toMatchObject({ personId: entry.personId, status: 'booked', source: 'portal' });
    } else {
      expect(codeOf(res), JSON.stringify(res.body)).toBe('200');
      const left = Math.max(0, MAX_OFFERS - entry.offersMade);
      expect(res.body).toEqual({ ok: true, removed: left === 0, offersLeft: left });
    }
    await checkInvariants(w, pre);
  }
  toString = () => `${this.answer}(${this.n})`;
}

class Expire implements fc.AsyncCommand<Model, World> {
  constructor(readonly minutes: number) {}
  check = () => true;
  async run(_m: Model, w: World) {
    const pre = await snapshot(w);
    t.clock.advance(this.minutes * 60_000);
    // The worker: the waitlist step every second, the sweep after template expansion hourly.
    while ((await processWaitlist(t.ctx)).expired > 0) {
      /* settle */
    }
    await offerFreeSlotsToWaitlist(t.ctx);
    const post = await checkInvariants(w, pre);
    for (const o of post.offers.filter((x) => x.status === 'pending')) expect(o.deadline > post.now).toBe(true);
    // Every offer that expired was announced as such: expired, or removed from the waitlist.
    for (const o of post.offers.filter((x) => x.status === 'expired')) {
      const told = await t.ctx.db
        .select({ key: notifications.dedupKey })
        .from(notifications)
        .where(inArray(notifications.dedupKey, [`offer_expired:${o.id}`, `waitlist_removed:${o.entryId}`]));
      expect(told.length).toBeGreaterThan(0);
    }
  }
  toString = () => `expire(+${this.minutes} min)`;
}

const join = fc
  .tuple(
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: 0, max: 2 }),
    fc.constantFrom('doctor' as const, 'specialty' as const),
  )
  .map(([p, d, k]) => new Join(p, d, k));
const cancel = fc.nat({ max: 20 }).map((n) => new Cancel(n));
const decline = fc.nat({ max: 20 }).map((n) => new Answer(n, 'decline'));
// Cancelling frees the slots the others feed on, declining drives the offer sequence: they come up more often.
const commands = [
  join,
  join,
  cancel,
  cancel,
  cancel,
  decline,
  decline,
  fc.nat({ max: 20 }).map((n) => new Leave(n)),
  fc.nat({ max: 20 }).map((n) => new Answer(n, 'confirm')),
  fc.integer({ min: 30, max: 30 * 60 }).map((m) => new Expire(m)),
];

describe('the waitlist under random sequences of actions', () => {
  it('keeps its invariants after every step', async () => {
    await fc.assert(
      // A few people join first (so that freed slots have somewhere to go), then the random steps.
      fc.asyncProperty(
        fc.array(join, { minLength: 2, maxLength: 5 }),
        fc.commands(commands, { maxCommands: 15, size: 'max' }),
        async (joins, cmds) => {
          // A new week for every run: earlier runs' slots are in the past.
          t.clock.advance(7 * 24 * HOUR);
          await fc.asyncModelRun(async () => ({ model: {} as Model, real: await makeWorld() }), [...joins, ...cmds]);
        },
      ),
      { numRuns: 50 },
    );
    expect(seen.offers).toBeGreaterThan(0);
    expect(seen.bookedFromOffers).toBeGreaterThan(0);
  }, 120_000);
});
