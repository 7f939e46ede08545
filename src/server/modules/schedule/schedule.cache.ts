// The schedule page from a per-process cache of the serialised anonymous response, one per
// doctor, checked against the database on every read - so a change made by any writer, in
// any process, shows at once:
//
// - Triggers (migration 0004) keep a per-doctor version in `schedule_versions` (bumped in the
//   transaction of every change of the doctor's slots: bookings, cancels, holds, blocks,
//   offers, template expansion, other channels, hand-written SQL) and a catalogue generation
//   (doctors, organisations, specialties, region settings). A cached body is used only when
//   both equal the versions it was rendered at, read after the request arrived.
// - Checks are batched (db/batch.ts): reads that arrive while checks are in flight go
//   together in the next one, each in a query sent after it arrived (read-after-write
//   holds), so the database sees one small prepared statement per batch, not per read.
// - Time also changes the page (slots start and leave it, holds lapse, the day turns): a
//   body is used only until the first such instant (renderSchedule's validUntilMs).
// - A signed-in viewer's own appointments and holds (the red frame) are never cached: the
//   check returns them for the viewer; without any, the viewer sees the anonymous page;
//   with some, the page is rendered for the viewer from the database as before.
import { gunzipSync } from 'node:zlib';
import { gzipToKeep } from '../../content-coding.js';
import type { AppContext } from '../../context.js';
import { QueryBatcher } from '../../db/batch.js';
import type { Db } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { selectScheduleVersions, selectVersionedSnapshot, type VersionCheck } from './schedule.repository.js';
import { getDoctorSchedule, renderSchedule, type ScheduleQuery } from './schedule.service.js';

interface Entry {
  version: number;
  generation: number;
  /**
   * The page as JSON, until the first read that accepts gzip compresses it: from then on only
   * the compressed form is kept (~12 times smaller; every browser asks for gzip) and the rare
   * client that does not gets it decompressed.
   */
  body: Buffer | null;
  gzip: Buffer | null;
  renderedAtMs: number;
  validUntilMs: number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  /** Misses answered by a render another request had started (same versions). */
  joined: number;
  viewerRenders: number;
  entries: number;
  bytes: number;
}

/** Bodies of one database handle, oldest first (Map order); bounded by bytes. */
class ScheduleCache {
  readonly checker: QueryBatcher<{ doctorId: number; viewerAccountId: string | null }, VersionCheck>;
  private readonly entries = new Map<number, Entry>();
  private bytes = 0;
  readonly stats = { hits: 0, misses: 0, joined: 0, viewerRenders: 0 };
  /** The render of each doctor's shared page now in flight (one per doctor at a time). */
  readonly rendering = new Map<number, Promise<Entry>>();

  constructor(
    db: Db,
    private readonly maxBytes: number,
  ) {
    this.checker = new QueryBatcher((items) => selectScheduleVersions(db, items), CHECKS_IN_FLIGHT);
  }

  get(doctorId: number): Entry | undefined {
    return this.entries.get(doctorId);
  }

  set(doctorId: number, entry: Entry): void {
    const old = this.entries.get(doctorId);
    if (old) {
      this.bytes -= sizeOf(old);
      this.entries.delete(doctorId);
    }
    this.entries.set(doctorId, entry);
    this.bytes += sizeOf(entry);
    this.evict();
  }

  /** The entry's gzip body, compressed once (level 1: ~0.2 ms for a two-week page, ~12 times smaller). */
  gzipOf(doctorId: number, entry: Entry): Buffer {
    if (!entry.gzip) {
      const before = sizeOf(entry);
      entry.gzip = gzipToKeep(entry.body ?? Buffer.alloc(0), 1);
      entry.body = null;
      if (this.entries.get(doctorId) === entry) this.bytes += sizeOf(entry) - before;
    }
    return entry.gzip;
  }

  private evict(): void {
    for (const [id, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(id);
      this.bytes -= sizeOf(e);
    }
  }

  snapshotStats(): CacheStats {
    return { ...this.stats, entries: this.entries.size, bytes: this.bytes };
  }
}

function sizeOf(e: Entry): number {
  return (e.body?.length ?? 0) + (e.gzip?.length ?? 0);
}

/** The entry's page as JSON. */
function identityOf(e: Entry): Buffer {
  return e.body ?? gunzipSync(e.gzip ?? Buffer.alloc(0));
}

/**
 * Version checks in flight at once: one. Reads arriving meanwhile wait for it and go together
 * in the next, so each check answers twice as many reads as with two in flight: the process's
 * one core does half the query round trips per read. Measured in four interleaved pairs of
 * `npm run bench -- --only reads` (warm, 64 connections): 13,111, 17,998, 14,823 and
 * 16,637 reads/s with one against 10,999, 13,241, 11,343 and 13,220/s with two, p99
 * 10-13 ms against 13-18 ms.
 */
const CHECKS_IN_FLIGHT = 1;

/** About 3,000 doctors' two-week schedules (~40 kB each). */
const DEFAULT_MAX_BYTES = 128 * 1024 * 1024;
const caches = new WeakMap<Db, ScheduleCache>();

function cacheOf(db: Db): ScheduleCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new ScheduleCache(db, DEFAULT_MAX_BYTES);
    caches.set(db, cache);
  }
  return cache;
}

/** Hits, misses and size of this database handle's schedule cache (tests, diagnostics). */
export function scheduleCacheStats(db: Db): CacheStats {
  return cacheOf(db).snapshotStats();
}

function isDefaultQuery(query: ScheduleQuery): boolean {
  return query.from === undefined && query.days === undefined;
}

export interface ScheduleBody {
  /** The page as JSON. */
  body: () => Buffer | string;
  /** The shared page's entity tag (doctor, versions, instant rendered); null for a page of one viewer. */
  etag: string | null;
  /** The shared page gzip-compressed (made once per cached page); null for a page of one viewer. */
  gzip: (() => Buffer) | null;
}

/**
 * GET /api/doctors/:id/schedule as a serialised JSON body: the same bytes as
 * JSON.stringify(getDoctorSchedule(...)), from the cache when it is current.
 */
export async function readDoctorSchedule(
  ctx: AppContext,
  doctorId: number,
  query: ScheduleQuery,
  viewerAccountId: string | null,
): Promise<ScheduleBody> {
  const entry = await readCached(ctx, doctorId, query, viewerAccountId);
  if (typeof entry === 'string') return { body: () => entry, etag: null, gzip: null };
  return {
    body: () => identityOf(entry),
    etag: `"s${doctorId}-${entry.version}-${entry.generation}-${entry.renderedAtMs}"`,
    gzip: () => cacheOf(ctx.db).gzipOf(doctorId, entry),
  };
}

async function readCached(
  ctx: AppContext,
  doctorId: number,
  query: ScheduleQuery,
  viewerAccountId: string | null,
): Promise<Entry | string> {
  if (!isDefaultQuery(query)) return JSON.stringify(await getDoctorSchedule(ctx, doctorId, query, viewerAccountId));
  const cache = cacheOf(ctx.db);
  const check = await cache.checker.load({ doctorId, viewerAccountId });
  const own = check.own;
  if (own && (own.held.length > 0 || own.booked.length > 0)) {
    // The red frame (and the viewer's own holds): rendered for this viewer, never cached.
    cache.stats.viewerRenders += 1;
    return JSON.stringify(await getDoctorSchedule(ctx, doctorId, query, viewerAccountId));
  }
  const now = ctx.now();
  const nowMs = now.getTime();
  const current = (e: Entry | undefined): e is Entry =>
    e !== undefined &&
    e.version === check.version &&
    e.generation === check.generation &&
    nowMs >= e.renderedAtMs &&
    nowMs < e.validUntilMs;
  const entry = cache.get(doctorId);
  if (current(entry)) {
    cache.stats.hits += 1;
    return entry;
  }
  cache.stats.misses += 1;
  // Requests that miss while the doctor's page is being rendered wait for that render and
  // take it if it has the versions their own check read (then it holds every write committed
  // before they arrived); otherwise, or if it failed, they render their own.
  const inFlight = cache.rendering.get(doctorId);
  if (inFlight !== undefined) {
    const joined = await inFlight.catch(() => undefined);
    if (current(joined)) {
      cache.stats.joined += 1;
      return joined;
    }
  }
  const render = renderShared(ctx, doctorId, query, now);
  if (!inFlight) {
    cache.rendering.set(doctorId, render);
    const forget = () => {
      if (cache.rendering.get(doctorId) === render) cache.rendering.delete(doctorId);
    };
    render.then(forget, forget);
  }
  const fresh = await render;
  cache.set(doctorId, fresh);
  return fresh;
}

/** The doctor's shared page from a fresh snapshot (read now, with its versions). */
async function renderShared(ctx: AppContext, doctorId: number, query: ScheduleQuery, now: Date): Promise<Entry> {
  const snapshot = await selectVersionedSnapshot(ctx.db, doctorId, now);
  if (!snapshot || !snapshot.card.active) throw new AppError('DOCTOR_NOT_FOUND');
  const rendered = renderSchedule(snapshot, query, now);
  return {
    version: snapshot.version,
    generation: snapshot.generation,
    body: Buffer.from(JSON.stringify(rendered.response)),
    gzip: null,
    renderedAtMs: now.getTime(),
    validUntilMs: rendered.validUntilMs,
  };
}
