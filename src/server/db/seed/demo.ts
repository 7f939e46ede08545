// Demo data for an empty database (demo mode): Udmurtian clinics with doctors, weekly
// hours expanded into slots for the booking horizon, schedules about a third booked by
// invented people through every channel, and ready-made accounts to try the portal with.
// Everything is invented. Loaded in one transaction; a later start finds the
// organisations and does nothing.
import { sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import type { Db } from '../index.js';
import { organisations } from '../schema.js';
import { hashPassword } from '../../modules/identity/password.js';
import { lastBookableDate } from '../../modules/booking/booking.rules.js';
import { getRegionSettings } from '../../modules/region/settings.service.js';
import { localDateOf } from '../../../shared/time.js';
import { seedBookings } from './demo-bookings.js';
import { seedCatalogue } from './demo-catalogue.js';
import { DEMO_TIME_ZONE } from './demo-data.js';
import { DEMO_PASSWORD, seedPeople } from './demo-people.js';

export { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_PATIENT, DEMO_PATIENT_DOCUMENTS } from './demo-people.js';

const SEED_LOCK = 7_302_002;

/** A small deterministic generator, so that every demo database looks the same. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Loads the demo data when the organisations table is empty; returns whether it did.
 * Safe when two processes start at once: they take turns on a transaction lock and the
 * second finds the data there.
 */
export async function loadDemoDataIfEmpty(ctx: AppContext): Promise<boolean> {
  const seeded = await ctx.db.select({ id: organisations.id }).from(organisations).limit(1);
  if (seeded.length > 0) return false;
  const now = ctx.now();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
    const existing = await tx.select({ id: organisations.id }).from(organisations).limit(1);
    if (existing.length > 0) return false;
    await seed(tx, now, passwordHash);
    return true;
  });
}

async function seed(tx: Db, now: Date, passwordHash: string): Promise<void> {
  const timeZone = DEMO_TIME_ZONE;
  const today = localDateOf(now, timeZone);
  const { horizonDays } = await getRegionSettings(tx);
  const lastDate = lastBookableDate(now, timeZone, horizonDays);
  const catalogue = await seedCatalogue(tx, { now, today, lastDate, timeZone });
  const staff = {
    organisationId: catalogue.organisationId('izhevsk'),
    doctorId: catalogue.doctorId((d) => d.org === 'izhevsk' && d.lastName === 'Волков'),
  };
  const people = await seedPeople(tx, { now, today, passwordHash }, staff);
  await seedBookings(tx, { now, today, timeZone, random: mulberry32(20_261_125) }, catalogue, people);
}
