// SQL for kiosk devices (infomats) and the few catalogue facts the kiosk needs. Every
// function takes the database or an open transaction first; the clock is passed in.
import { and, desc, eq, inArray, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/index.js';
import { accounts, doctors, kioskDevices, organisations, slots, specialties } from '../../../db/schema.js';

const deviceColumns = {
  id: kioskDevices.id,
  label: kioskDevices.label,
  organisationId: kioskDevices.organisationId,
  organisationShortName: organisations.shortName,
  createdAt: kioskDevices.createdAt,
  createdBy: accounts.email,
  lastSeenAt: kioskDevices.lastSeenAt,
  revokedAt: kioskDevices.revokedAt,
};
export type KioskDeviceRow = {
  id: string;
  label: string;
  organisationId: number;
  organisationShortName: string;
  createdAt: Date;
  createdBy: string | null;
  lastSeenAt: Date | null;
  revokedAt: Date | null;
};

export async function insertDevice(
  db: Db,
  d: { organisationId: number; label: string; tokenHash: string; createdBy: string; now: Date },
): Promise<{ id: string }> {
  const rows = await db
    .insert(kioskDevices)
    .values({
      organisationId: d.organisationId,
      label: d.label,
      tokenHash: d.tokenHash,
      createdBy: d.createdBy,
      createdAt: d.now,
    })
    .returning({ id: kioskDevices.id });
  return rows[0];
}

/** The device a cookie belongs to (revoked ones too), with its organisation. */
export async function findDeviceByTokenHash(db: Db, tokenHash: string) {
  const rows = await db
    .select({
      id: kioskDevices.id,
      label: kioskDevices.label,
      revokedAt: kioskDevices.revokedAt,
      lastSeenAt: kioskDevices.lastSeenAt,
      organisation: {
        id: organisations.id,
        name: organisations.name,
        shortName: organisations.shortName,
        address: organisations.address,
        phone: organisations.phone,
        timeZone: organisations.timeZone,
      },
    })
    .from(kioskDevices)
    .innerJoin(organisations, eq(organisations.id, kioskDevices.organisationId))
    .where(eq(kioskDevices.tokenHash, tokenHash))
    .limit(1);
  return rows[0] ?? null;
}

/** Records that the device was used, unless that was recorded after `staleBefore`. */
export async function touchDevice(db: Db, deviceId: string, now: Date, staleBefore: Date): Promise<void> {
  await db
    .update(kioskDevices)
    .set({ lastSeenAt: now })
    .where(
      and(eq(kioskDevices.id, deviceId), or(isNull(kioskDevices.lastSeenAt), lt(kioskDevices.lastSeenAt, staleBefore))),
    );
}

/** Devices of one organisation (or of all), active ones first, newest first. */
export async function listDevices(db: Db, organisationId: number | null): Promise<KioskDeviceRow[]> {
  const where: SQL | undefined = organisationId === null ? undefined : eq(kioskDevices.organisationId, organisationId);
  const rows = await db
    .select(deviceColumns)
    .from(kioskDevices)
    .innerJoin(organisations, eq(organisations.id, kioskDevices.organisationId))
    .leftJoin(accounts, eq(accounts.id, kioskDevices.createdBy))
    .where(where)
    .orderBy(desc(kioskDevices.createdAt), desc(kioskDevices.id));
  return rows.sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null));
}

export async function findDevice(db: Db, deviceId: string): Promise<KioskDeviceRow | null> {
  const rows = await db
    .select(deviceColumns)
    .from(kioskDevices)
    .innerJoin(organisations, eq(organisations.id, kioskDevices.organisationId))
    .leftJoin(accounts, eq(accounts.id, kioskDevices.createdBy))
    .where(eq(kioskDevices.id, deviceId))
    .limit(1);
  return rows[0] ?? null;
}

/** Switches a device off (once: a revoked device keeps its first revocation time). */
export async function revokeDevice(db: Db, deviceId: string, now: Date): Promise<void> {
  await db
    .update(kioskDevices)
    .set({ revokedAt: now })
    .where(and(eq(kioskDevices.id, deviceId), isNull(kioskDevices.revokedAt)));
}

export async function organisationExists(db: Db, organisationId: number): Promise<boolean> {
  const rows = await db
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.id, organisationId))
    .limit(1);
  return rows.length > 0;
}

/** Age and sex restrictions of specialties (to tell a patient beforehand whom they may see). */
export async function selectSpecialtyRestrictions(db: Db, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: specialties.id, minAge: specialties.minAge, maxAge: specialties.maxAge, sex: specialties.sex })
    .from(specialties)
    .where(inArray(specialties.id, ids));
}

/** A slot's times, organisation and specialty (the kiosk's look before booking; the booking re-checks under locks). */
export async function selectSlotFacts(db: Db, slotId: number) {
  const rows = await db
    .select({
      startAt: slots.startAt,
      endAt: slots.endAt,
      organisationId: doctors.organisationId,
      specialtyName: specialties.name,
    })
    .from(slots)
    .innerJoin(doctors, eq(doctors.id, slots.doctorId))
    .innerJoin(specialties, eq(specialties.id, doctors.specialtyId))
    .where(eq(slots.id, slotId))
    .limit(1);
  return rows[0] ?? null;
}
