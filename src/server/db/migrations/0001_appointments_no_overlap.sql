-- One person never holds two active appointments at overlapping times.
-- Guarded by the database with an exclusion constraint (btree_gist for the uuid equality).
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_no_overlap_per_person"
  EXCLUDE USING gist ("person_id" WITH =, tstzrange("start_at", "end_at") WITH &&)
  WHERE ("status" = 'booked');
--> statement-breakpoint
INSERT INTO "region_settings" ("id") VALUES (1) ON CONFLICT DO NOTHING;
