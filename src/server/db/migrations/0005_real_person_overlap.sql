-- One real person is never in two places at once, whichever card file or the clinic register
-- their visits were booked on: every appointment carries the person's СНИЛС (copied by a
-- trigger, so no writer can forget it) and an exclusion constraint keeps the active ones of
-- one СНИЛС apart, like appointments_no_overlap_per_person does per card-file row.
ALTER TABLE "appointments" ADD COLUMN "patient_snils" text DEFAULT '' NOT NULL;
--> statement-breakpoint
UPDATE "appointments" a SET "patient_snils" = p."snils" FROM "persons" p WHERE p."id" = a."person_id";
--> statement-breakpoint
CREATE FUNCTION "appointments_set_patient_snils"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT p.snils INTO NEW.patient_snils FROM persons p WHERE p.id = NEW.person_id;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "appointments_patient_snils" BEFORE INSERT OR UPDATE OF "person_id" ON "appointments"
  FOR EACH ROW EXECUTE FUNCTION "appointments_set_patient_snils"();
--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_no_overlap_per_real_person"
  EXCLUDE USING gist ("patient_snils" WITH =, tstzrange("start_at", "end_at") WITH &&)
  WHERE ("status" = 'booked');
