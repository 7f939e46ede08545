// Demo schedules that look lived-in: about a third of the future slots booked by invented
// people through every channel, a blocked training day and a few blocked slots, the fully
// booked doctor's every slot taken, and the demo patient's past and future visits.
import { asc, inArray } from 'drizzle-orm';
import type { Db } from '../index.js';
import { appointments, slots } from '../schema.js';
import { restrictionRefusal } from '../../modules/catalogue/catalogue.rules.js';
import { isBeforeCutoff } from '../../modules/booking/booking.rules.js';
import { addDays, isoWeekday, localDateOf, localTimeOf, zonedToInstant } from '../../../shared/time.js';
import type { DemoCatalogue } from './demo-catalogue.js';
import type { DemoDoctor } from './demo-data.js';
import type { DemoPeople, FillerPerson } from './demo-people.js';
import { found } from './found.js';

/** Share of future template slots booked by invented people. */
const BOOKED_SHARE = 0.35;
/** Share of the remaining slots blocked here and there. */
const BLOCKED_SHARE = 0.01;

type Source = 'portal' | 'electronic_queue' | 'doctor' | 'registry' | 'infomat';
const SOURCES: [Source, number][] = [
  ['registry', 0.34],
  ['portal', 0.28],
  ['infomat', 0.14],
  ['electronic_queue', 0.14],
  ['doctor', 0.1],
];
const REFERENCE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

type NewAppointment = typeof appointments.$inferInsert;
type SlotRef = { id: number; doctorId: number; startAt: Date; endAt: Date };

/** Keeps each invented person at one place at a time (the database refuses overlaps). */
class Diaries {
  private readonly busy = new Map<string, { s: number; e: number }[]>();
  isFree(personId: string, slot: SlotRef): boolean {
    const s = slot.startAt.getTime();
    const e = slot.endAt.getTime();
    return !(this.busy.get(personId) ?? []).some((b) => b.s < e && s < b.e);
  }
  occupy(personId: string, slot: SlotRef): void {
    const entry = { s: slot.startAt.getTime(), e: slot.endAt.getTime() };
    const list = this.busy.get(personId);
    if (list) list.push(entry);
    else this.busy.set(personId, [entry]);
  }
}

function weekdayOnOrAfter(date: string, step: 1 | -1): string {
  let d = date;
  while (isoWeekday(d) > 5) d = addDays(d, step);
  return d;
}

export async function seedBookings(
  tx: Db,
  ctx: { now: Date; today: string; timeZone: string; random: () => number },
  catalogue: DemoCatalogue,
  people: DemoPeople,
): Promise<void> {
  const { now, today, timeZone: tz, random } = ctx;
  const references = new Set<string>();
  const newReference = () => {
    for (;;) {
      let r = 'ПР-';
      for (let i = 0; i < 8; i++) r += REFERENCE_ALPHABET[Math.floor(random() * REFERENCE_ALPHABET.length)];
      if (!references.has(r)) {
        references.add(r);
        return r;
      }
    }
  };
  const diaries = new Diaries();
  // Rows of one real person in several card files and the register share one diary (the
  // database keeps one СНИЛС's visits apart).
  const sameRealPerson = new Map([
    [people.annaRegisterId, people.annaId],
    [people.childOfFatherId, people.childRegisterId],
  ]);
  const realPerson = (personId: string) => sameRealPerson.get(personId) ?? personId;
  const booked: NewAppointment[] = [];
  const book = (
    slot: SlotRef,
    personId: string,
    source: Source,
    bookedBy: string | null,
    createdAt: Date,
    status: 'booked' | 'visited' = 'booked',
  ) => {
    diaries.occupy(realPerson(personId), slot);
    booked.push({
      reference: newReference(),
      slotId: slot.id,
      personId,
      doctorId: slot.doctorId,
      startAt: slot.startAt,
      endAt: slot.endAt,
      status,
      source,
      bookedByAccountId: bookedBy,
      createdAt,
      // A past visit was marked by its doctor at its end (the person's history says so).
      ...(status === 'visited' ? { statusChangedAt: slot.endAt, statusChangedVia: 'doctor' } : {}),
    });
  };

  const future = await tx
    .select({ id: slots.id, doctorId: slots.doctorId, startAt: slots.startAt, endAt: slots.endAt })
    .from(slots)
    .where(inArray(slots.doctorId, catalogue.doctorIds))
    .orderBy(asc(slots.startAt), asc(slots.doctorId));

  // The demo patient: a visit to a therapist three weeks ago (its slot is made here, in the
  // past) and a portal booking with an ophthalmologist in Izhevsk at least three days ahead,
  // so that it can still be cancelled online.
  const therapist = catalogue.doctorId((d) => d.org === 'izhevsk' && d.specialty === 'терапевт' && !d.fullyBooked);
  const pastStart = zonedToInstant(weekdayOnOrAfter(addDays(today, -21), -1), '09:20', tz);
  const [pastSlot] = await tx
    .insert(slots)
    .values({
      doctorId: therapist,
      startAt: pastStart,
      endAt: new Date(pastStart.getTime() + 20 * 60_000),
      status: 'booked',
    })
    .returning({ id: slots.id, doctorId: slots.doctorId, startAt: slots.startAt, endAt: slots.endAt });
  book(
    pastSlot,
    people.annaId,
    'portal',
    people.patientAccountId,
    new Date(pastStart.getTime() - 6 * 86_400_000),
    'visited',
  );

  const ophthalmologist = catalogue.doctorId((d) => d.org === 'izhevsk' && d.specialty === 'офтальмолог');
  const notBefore = zonedToInstant(addDays(today, 3), '00:00', tz);
  const annaSlot = future.find(
    (s) => s.doctorId === ophthalmologist && s.startAt >= notBefore && localTimeOf(s.startAt, tz) >= '09:00',
  );
  const taken = new Set<number>();
  if (annaSlot) {
    taken.add(annaSlot.id);
    book(annaSlot, people.annaId, 'portal', people.patientAccountId, new Date(now.getTime() - 30 * 3_600_000));
  }

  // And a surgeon's visit in a few hours: its online cancellation closed at 18:00 the day
  // before, so the card file shows how a visit past the cut-off looks (cancel by phone).
  // A free template slot 1-24 hours ahead whose cut-off has passed is used; at night or on
  // a weekend, when there is none, a single slot two hours ahead is opened for the visit.
  const surgeon = catalogue.doctorId((d) => d.org === 'izhevsk' && d.specialty === 'хирург');
  const soonFrom = now.getTime() + 3_600_000;
  const soonTo = now.getTime() + 86_400_000;
  let soonSlot: SlotRef | undefined = future.find(
    (s) =>
      s.doctorId === surgeon &&
      !taken.has(s.id) &&
      s.startAt.getTime() >= soonFrom &&
      s.startAt.getTime() <= soonTo &&
      !isBeforeCutoff(now, s.startAt, tz, '18:00'),
  );
  if (!soonSlot) {
    const start = new Date(Math.ceil((now.getTime() + 2 * 3_600_000) / 600_000) * 600_000);
    [soonSlot] = await tx
      .insert(slots)
      .values({ doctorId: surgeon, startAt: start, endAt: new Date(start.getTime() + 20 * 60_000), status: 'booked' })
      .returning({ id: slots.id, doctorId: slots.doctorId, startAt: slots.startAt, endAt: slots.endAt });
  }
  taken.add(soonSlot.id);
  book(soonSlot, people.annaId, 'portal', people.patientAccountId, new Date(now.getTime() - 50 * 3_600_000));

  // Anna's visits made outside the portal, in the clinic register (an ЕСИА session shows them,
  // an e-mail session does not), one per channel; her son's at the registry; and the son's
  // portal visit booked by his father from his own account (never shown to Anna).
  const freeSlot = (
    match: (d: DemoDoctor) => boolean,
    dayOffset: number,
    from: string,
    personId: string,
  ): SlotRef | undefined => {
    const doctor = catalogue.doctorId(match);
    const dayStart = zonedToInstant(addDays(today, dayOffset), '00:00', tz);
    const slot = future.find(
      (s) =>
        s.doctorId === doctor &&
        !taken.has(s.id) &&
        s.startAt >= dayStart &&
        localTimeOf(s.startAt, tz) >= from &&
        diaries.isFree(realPerson(personId), s),
    );
    if (slot) taken.add(slot.id);
    return slot;
  };
  const izhevsk = (specialty: string) => (d: DemoDoctor) => d.org === 'izhevsk' && d.specialty === specialty;
  const channelVisits: [(d: DemoDoctor) => boolean, number, string, string, Source, string | null][] = [
    [(d) => d.org === 'izhevsk' && d.lastName === 'Волков', 5, '10:00', people.annaRegisterId, 'registry', null],
    [izhevsk('невролог'), 6, '11:00', people.annaRegisterId, 'doctor', null],
    [izhevsk('оториноларинголог'), 7, '09:00', people.annaRegisterId, 'electronic_queue', null],
    [izhevsk('стоматолог'), 8, '12:00', people.annaRegisterId, 'infomat', null],
    [izhevsk('педиатр'), 4, '10:00', people.childRegisterId, 'registry', null],
    [izhevsk('педиатр'), 9, '10:00', people.childOfFatherId, 'portal', people.fatherAccountId],
  ];
  for (const [doctor, dayOffset, from, personId, source, bookedBy] of channelVisits) {
    const slot = freeSlot(doctor, dayOffset, from, personId);
    if (slot) book(slot, personId, source, bookedBy, new Date(now.getTime() - 20 * 3_600_000));
  }

  // Blocked: a training day of one neurologist and a few single slots elsewhere.
  const trainingDoctor = catalogue.doctorId((d) => d.org === 'sarapul' && d.specialty === 'невролог');
  const trainingDay = weekdayOnOrAfter(addDays(today, 4), 1);
  const blocked: number[] = [];
  for (const s of future) {
    if (taken.has(s.id) || catalogue.fullyBookedIds.has(s.doctorId)) continue;
    if ((s.doctorId === trainingDoctor && localDateOf(s.startAt, tz) === trainingDay) || random() < BLOCKED_SHARE) {
      blocked.push(s.id);
      taken.add(s.id);
    }
  }

  // Everyone else: invented people, who may see the specialist and are free at that time.
  const pickSource = (): Source => {
    let r = random();
    for (const [source, weight] of SOURCES) {
      if (r < weight) return source;
      r -= weight;
    }
    return 'registry';
  };
  let cursor = 0;
  const pickPerson = (slot: SlotRef): FillerPerson | undefined => {
    const spec = found(catalogue.specialtyOfDoctor, slot.doctorId, 'doctor');
    const visitDate = localDateOf(slot.startAt, tz);
    for (let k = 0; k < people.fillers.length; k++) {
      const p = people.fillers[(cursor + k) % people.fillers.length];
      if (restrictionRefusal(spec, p, visitDate) === null && diaries.isFree(p.id, slot)) {
        cursor = (cursor + k + 1) % people.fillers.length;
        return p;
      }
    }
    return undefined;
  };
  for (const s of future) {
    if (taken.has(s.id)) continue;
    if (!catalogue.fullyBookedIds.has(s.doctorId) && random() >= BOOKED_SHARE) continue;
    const p = pickPerson(s);
    if (!p) {
      if (catalogue.fullyBookedIds.has(s.doctorId))
        throw new Error('demo data: nobody left to fill a fully booked schedule');
      continue;
    }
    const source = pickSource();
    book(
      s,
      p.id,
      source,
      source === 'portal' ? p.accountId : null,
      new Date(now.getTime() - Math.floor(random() * 10 * 86_400_000)),
    );
  }

  const bookedSlotIds = booked.filter((a) => a.status === 'booked').map((a) => a.slotId);
  for (let i = 0; i < bookedSlotIds.length; i += 2_000) {
    await tx
      .update(slots)
      .set({ status: 'booked' })
      .where(inArray(slots.id, bookedSlotIds.slice(i, i + 2_000)));
  }
  for (let i = 0; i < blocked.length; i += 2_000) {
    await tx
      .update(slots)
      .set({ status: 'blocked' })
      .where(inArray(slots.id, blocked.slice(i, i + 2_000)));
  }
  // 10 columns a row: 1,000 rows stay well under the 65,535 parameters of one statement.
  for (let i = 0; i < booked.length; i += 1_000) {
    await tx.insert(appointments).values(booked.slice(i, i + 1_000));
  }
}
