-- Before upgrading a database made by code older than migration 0005 (no released version is:
-- v0.1.0 and later have it): 0005 adds an exclusion constraint that keeps the booked visits
-- of one real person (one СНИЛС, whichever card file they were booked on) apart in time. If the
-- database already holds two overlapping booked visits of one СНИЛС — the same child booked on
-- the mother's and on the father's card file — PostgreSQL refuses the constraint (23P01
-- conflicting key value violates exclusion constraint "appointments_no_overlap_per_real_person"),
-- the whole upgrade is rolled back (drizzle applies the pending migrations in one
-- transaction), the new instance exits and the old ones keep serving. Nothing is lost, but the
-- upgrade cannot go on until a person decides which visit stays.
--
-- 1. List the overlapping pairs (ids and times only, no personal data):
--      psql "$DATABASE_MIGRATION_URL" -f deploy/upgrade/0005-overlaps.sql
-- 2. For each pair, the clinic calls the family and cancels the visit that is not kept (the
--    desk's cancel, which notifies the account; or, when no one can be reached, the later-booked
--    one with the statement at the end of this file, run by hand in a transaction).
-- 3. Run the query again: no rows. Then upgrade (README «Upgrading»).
-- test/pg/migration-0005-overlaps.pg.test.ts runs exactly this on a database at migration 0004.
SELECT a.id AS kept_candidate,
       b.id AS overlapping,
       a.start_at AS a_start,
       b.start_at AS b_start,
       a.created_at AS a_booked_at,
       b.created_at AS b_booked_at
FROM appointments a
JOIN persons pa ON pa.id = a.person_id
JOIN appointments b ON b.id <> a.id
  AND b.status = 'booked'
  AND tstzrange(b.start_at, b.end_at) && tstzrange(a.start_at, a.end_at)
  AND (b.created_at, b.id) > (a.created_at, a.id)
JOIN persons pb ON pb.id = b.person_id AND pb.snils = pa.snils
WHERE a.status = 'booked'
ORDER BY a.start_at, a.id;

-- The later-booked visit of each pair cancelled and its time freed, as the desk's cancel would
-- (only after the clinic has tried to reach the family; uncomment to run):
-- BEGIN;
-- WITH cancelled AS (
--   UPDATE appointments b SET status = 'cancelled', cancelled_at = now()
--   FROM appointments a, persons pa, persons pb
--   WHERE a.status = 'booked' AND b.status = 'booked' AND b.id <> a.id
--     AND pa.id = a.person_id AND pb.id = b.person_id AND pb.snils = pa.snils
--     AND tstzrange(b.start_at, b.end_at) && tstzrange(a.start_at, a.end_at)
--     AND (b.created_at, b.id) > (a.created_at, a.id)
--   RETURNING b.slot_id
-- )
-- UPDATE slots SET status = 'free' WHERE id IN (SELECT slot_id FROM cancelled) AND status = 'booked';
-- COMMIT;
