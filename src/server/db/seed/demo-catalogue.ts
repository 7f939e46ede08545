// Demo catalogue: organisations, specialties, doctors, weekly templates expanded into slots
// for the booking horizon, and the slots of the doctor whose time is all taken.
import type { Db } from '../index.js';
import { doctors, organisations, scheduleTemplates, specialties } from '../schema.js';
import { expandTemplates, insertFreeSlots, type NewSlot } from '../../modules/schedule/schedule.service.js';
import { datesBetween, slotsForTemplateDay } from '../../modules/schedule/schedule.rules.js';
import { addDays, isoWeekday } from '../../../shared/time.js';
import { DEMO_DOCTORS, DEMO_ORGANISATIONS, DEMO_SPECIALTIES, type DemoDoctor, type DemoHours } from './demo-data.js';
import { found } from './found.js';

export type DemoSpecialtyRow = typeof specialties.$inferSelect;

export interface DemoCatalogue {
  /** doctorIds[i] is the id of DEMO_DOCTORS[i]. */
  doctorIds: number[];
  specialtyOfDoctor: Map<number, DemoSpecialtyRow>;
  fullyBookedIds: Set<number>;
  /** The id of the first demo doctor matching. */
  doctorId(match: (d: DemoDoctor) => boolean): number;
  organisationId(key: 'izhevsk' | 'sarapul' | 'glazov' | 'votkinsk'): number;
}

function templateHours(h: { start: string; end: string; slotMinutes: number; breakStart?: string; breakEnd?: string }) {
  return {
    startTime: h.start,
    endTime: h.end,
    slotMinutes: h.slotMinutes,
    breakStart: h.breakStart ?? null,
    breakEnd: h.breakEnd ?? null,
  };
}

function weeklyTemplates(
  doctorId: number,
  hours: DemoHours,
  validFrom: string,
): (typeof scheduleTemplates.$inferInsert)[] {
  const rows: (typeof scheduleTemplates.$inferInsert)[] = [];
  for (let weekday = 1; weekday <= 5; weekday++) rows.push({ doctorId, weekday, ...templateHours(hours), validFrom });
  if (hours.saturday) {
    rows.push({
      doctorId,
      weekday: 6,
      ...templateHours({ start: hours.saturday.start, end: hours.saturday.end, slotMinutes: hours.slotMinutes }),
      validFrom,
    });
  }
  return rows;
}

export async function seedCatalogue(
  tx: Db,
  ctx: { now: Date; today: string; lastDate: string; timeZone: string },
): Promise<DemoCatalogue> {
  const { now, today, lastDate, timeZone } = ctx;
  const orgRows = await tx
    .insert(organisations)
    .values(DEMO_ORGANISATIONS.map(({ key: _key, ...o }) => ({ ...o, timeZone })))
    .returning({ id: organisations.id, name: organisations.name });
  const orgIdByName = new Map(orgRows.map((o) => [o.name, o.id]));
  const orgId = new Map(DEMO_ORGANISATIONS.map((o) => [o.key, found(orgIdByName, o.name, 'organisation')]));

  const specRows = await tx.insert(specialties).values(DEMO_SPECIALTIES).returning();
  const specByName = new Map(specRows.map((s) => [s.name, s]));

  const doctorKey = (d: { lastName: string; firstName: string; room: string }) =>
    `${d.lastName}|${d.firstName}|${d.room}`;
  const doctorRows = await tx
    .insert(doctors)
    .values(
      DEMO_DOCTORS.map((d) => ({
        organisationId: found(orgId, d.org, 'organisation'),
        specialtyId: found(specByName, d.specialty, 'specialty').id,
        lastName: d.lastName,
        firstName: d.firstName,
        middleName: d.middleName,
        room: d.room,
        // The position as staff lists name it: врач-терапевт, врач-акушер-гинеколог, ...
        position: `врач-${d.specialty}`,
      })),
    )
    .returning({ id: doctors.id, lastName: doctors.lastName, firstName: doctors.firstName, room: doctors.room });
  const idByKey = new Map(doctorRows.map((r) => [doctorKey(r), r.id]));
  const doctorIds = DEMO_DOCTORS.map((d) => found(idByKey, doctorKey(d), 'doctor'));

  // Weekly hours become templates (valid from a month ago), expanded for the horizon.
  const validFrom = addDays(today, -30);
  const templates = DEMO_DOCTORS.flatMap((d, i) =>
    d.fullyBooked ? [] : weeklyTemplates(doctorIds[i], d.hours, validFrom),
  );
  await tx.insert(scheduleTemplates).values(templates);
  await expandTemplates(tx, now);

  // A fully booked doctor has no templates: the clinic's system pushed the slots, and the
  // horizon moving on adds no free time, so the waitlist stays on offer.
  const pushed: NewSlot[] = [];
  DEMO_DOCTORS.forEach((d, i) => {
    if (!d.fullyBooked) return;
    for (const date of datesBetween(today, lastDate)) {
      if (isoWeekday(date) > 5) continue;
      for (const s of slotsForTemplateDay(templateHours(d.hours), date, timeZone)) {
        if (s.startAt > now) pushed.push({ doctorId: doctorIds[i], ...s });
      }
    }
  });
  await insertFreeSlots(tx, pushed);

  return {
    doctorIds,
    specialtyOfDoctor: new Map(DEMO_DOCTORS.map((d, i) => [doctorIds[i], found(specByName, d.specialty, 'specialty')])),
    fullyBookedIds: new Set(DEMO_DOCTORS.flatMap((d, i) => (d.fullyBooked ? [doctorIds[i]] : []))),
    doctorId(match) {
      const i = DEMO_DOCTORS.findIndex(match);
      if (i < 0) throw new Error('demo data: no such demo doctor');
      return doctorIds[i];
    },
    organisationId(key) {
      return found(orgId, key, 'organisation');
    },
  };
}
