CREATE TABLE "catalogue_generation" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"generation" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "catalogue_generation_singleton" CHECK ("catalogue_generation"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "schedule_versions" (
	"doctor_id" integer NOT NULL,
	"shard" smallint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "schedule_versions_doctor_id_shard_pk" PRIMARY KEY("doctor_id","shard")
);
--> statement-breakpoint
ALTER TABLE "region_settings" ADD COLUMN "version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "schedule_versions" ADD CONSTRAINT "schedule_versions_doctor_id_doctors_id_fk" FOREIGN KEY ("doctor_id") REFERENCES "public"."doctors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
INSERT INTO "catalogue_generation" ("id", "generation") VALUES (1, 0) ON CONFLICT DO NOTHING;--> statement-breakpoint
-- Cached schedule responses (schedule.cache.ts) are checked against these versions on every
-- read. Triggers keep them, so no writer of slots (portal, registry, kiosk, integration,
-- template expansion, a hand-written UPDATE) can forget to. Statement-level with transition
-- tables: a bulk insert of thousands of slots bumps each (doctor, shard) once, in key order.
CREATE FUNCTION "bump_schedule_versions"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO schedule_versions (doctor_id, shard, version)
    SELECT doctor_id, (id % 16)::smallint, 1 FROM changed_new GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (doctor_id, shard) DO UPDATE SET version = schedule_versions.version + 1;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO schedule_versions (doctor_id, shard, version)
    SELECT doctor_id, shard, 1 FROM (
      SELECT doctor_id, (id % 16)::smallint AS shard FROM changed_new
      UNION SELECT doctor_id, (id % 16)::smallint FROM changed_old
    ) c ORDER BY 1, 2
    ON CONFLICT (doctor_id, shard) DO UPDATE SET version = schedule_versions.version + 1;
  ELSE
    INSERT INTO schedule_versions (doctor_id, shard, version)
    SELECT o.doctor_id, (o.id % 16)::smallint, 1 FROM changed_old o
     WHERE EXISTS (SELECT 1 FROM doctors d WHERE d.id = o.doctor_id)
     GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (doctor_id, shard) DO UPDATE SET version = schedule_versions.version + 1;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "slots_bump_versions_insert" AFTER INSERT ON "slots"
  REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION bump_schedule_versions();--> statement-breakpoint
CREATE TRIGGER "slots_bump_versions_update" AFTER UPDATE ON "slots"
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION bump_schedule_versions();--> statement-breakpoint
CREATE TRIGGER "slots_bump_versions_delete" AFTER DELETE ON "slots"
  REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION bump_schedule_versions();--> statement-breakpoint
CREATE FUNCTION "bump_catalogue_generation"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE catalogue_generation SET generation = generation + 1 WHERE id = 1;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "doctors_bump_generation" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "doctors"
  FOR EACH STATEMENT EXECUTE FUNCTION bump_catalogue_generation();--> statement-breakpoint
CREATE TRIGGER "organisations_bump_generation" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "organisations"
  FOR EACH STATEMENT EXECUTE FUNCTION bump_catalogue_generation();--> statement-breakpoint
CREATE TRIGGER "specialties_bump_generation" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "specialties"
  FOR EACH STATEMENT EXECUTE FUNCTION bump_catalogue_generation();--> statement-breakpoint
CREATE TRIGGER "region_settings_bump_generation" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "region_settings"
  FOR EACH STATEMENT EXECUTE FUNCTION bump_catalogue_generation();--> statement-breakpoint
-- TRUNCATE fires no DELETE triggers and names no rows: it invalidates every cached schedule.
CREATE TRIGGER "slots_bump_generation_truncate" AFTER TRUNCATE ON "slots"
  FOR EACH STATEMENT EXECUTE FUNCTION bump_catalogue_generation();--> statement-breakpoint
-- The region settings' own version: processes cache the row and compare this number, read in
-- the same statement as the booking's locks, so a stale rule is never applied.
CREATE FUNCTION "bump_region_settings_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := OLD.version + 1;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "region_settings_bump_version" BEFORE UPDATE ON "region_settings"
  FOR EACH ROW EXECUTE FUNCTION bump_region_settings_version();
