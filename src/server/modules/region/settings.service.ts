// Region-wide rules set by the operator (cut-off, horizon, limits) and per-organisation
// overrides. Other modules read them through getRegionSettings / effectiveCutoff.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { accounts, organisations, regionSettings } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { recordAudit } from './audit.service.js';

export interface RegionSettingsValues {
  cutoffTime: string;
  horizonDays: number;
  maxPerSpecialty: number;
  holdMinutes: number;
  offerWindowHours: number;
  maxOffers: number;
}

export async function getRegionSettings(
  db: Db,
): Promise<RegionSettingsValues & { updatedAt: Date; updatedBy: string | null; version: number }> {
  const rows = await db
    .select({
      cutoffTime: regionSettings.cutoffTime,
      horizonDays: regionSettings.horizonDays,
      maxPerSpecialty: regionSettings.maxPerSpecialty,
      holdMinutes: regionSettings.holdMinutes,
      offerWindowHours: regionSettings.offerWindowHours,
      maxOffers: regionSettings.maxOffers,
      updatedAt: regionSettings.updatedAt,
      updatedBy: accounts.email,
      version: regionSettings.version,
    })
    .from(regionSettings)
    .leftJoin(accounts, eq(accounts.id, regionSettings.updatedBy))
    .where(eq(regionSettings.id, 1));
  const row = rows[0];
  if (!row) throw new Error('region_settings row is missing: migrations were not applied');
  return row;
}

// The settings change only through the operator page, but any process may be asked: each
// keeps the last row it read with its version (bumped by a trigger on every update). A caller
// that has read the current version in its own statement (the booking's locking read) gets
// the cached values only when they are of exactly that version - never a stale rule.
const cachedSettings = new WeakMap<Db, { version: number; values: RegionSettingsValues }>();

/**
 * The region settings of `version`, read by the caller in its own statement: from this
 * process's cache (kept per database handle `cacheKey`) when it holds that version, else read
 * in `db` (the caller's transaction) and remembered.
 */
export async function regionSettingsAtVersion(cacheKey: Db, db: Db, version: number): Promise<RegionSettingsValues> {
  const cached = cachedRegionSettings(cacheKey, version);
  if (cached) return cached;
  const row = await getRegionSettings(db);
  const values: RegionSettingsValues = {
    cutoffTime: row.cutoffTime,
    horizonDays: row.horizonDays,
    maxPerSpecialty: row.maxPerSpecialty,
    holdMinutes: row.holdMinutes,
    offerWindowHours: row.offerWindowHours,
    maxOffers: row.maxOffers,
  };
  const held = cachedSettings.get(cacheKey);
  if (!held || row.version > held.version) cachedSettings.set(cacheKey, { version: row.version, values });
  return values;
}

/** The region settings at `version` if this process's cache holds exactly that version, else null. */
export function cachedRegionSettings(cacheKey: Db, version: number): RegionSettingsValues | null {
  const cached = cachedSettings.get(cacheKey);
  return cached && cached.version === version ? cached.values : null;
}

/** The cut-off wall time that applies to an organisation. */
export function effectiveCutoff(regionCutoff: string, organisationOverride: string | null): string {
  return organisationOverride ?? regionCutoff;
}

type EditableRegion = Pick<
  RegionSettingsValues,
  'cutoffTime' | 'horizonDays' | 'maxPerSpecialty' | 'holdMinutes' | 'offerWindowHours' | 'maxOffers'
>;

export async function updateRegionSettings(
  db: Db,
  actorAccountId: string,
  next: EditableRegion,
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await getRegionSettings(tx);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of Object.keys(next) as (keyof EditableRegion)[]) {
      if (current[key] !== next[key]) changes[key] = { from: current[key], to: next[key] };
    }
    if (Object.keys(changes).length === 0) return;
    await tx
      .update(regionSettings)
      .set({ ...next, updatedAt: now, updatedBy: actorAccountId })
      .where(eq(regionSettings.id, 1));
    await recordAudit(
      tx,
      { actorAccountId, action: 'settings.update', entityType: 'region_settings', entityId: '1', details: changes },
      now,
    );
  });
}

export async function listOrganisationSettings(db: Db) {
  return db.select().from(organisations).orderBy(asc(organisations.id));
}
