-- Schedules pushed by a clinic's information system (issue 17, «Schedules in»): the clinic's
-- own ids of its doctors (unique per organisation) and of its slots (unique per doctor, so a
-- repeated push finds the same rows), and the clinic's specialty codes mapped to the region's
-- specialties (one mapping per organisation and code; creating specialties stays the operator's).
ALTER TABLE "doctors" ADD COLUMN "external_id" text;
--> statement-breakpoint
ALTER TABLE "doctors" ADD CONSTRAINT "doctors_external_id_check" CHECK ("external_id" IS NULL OR "external_id" ~ '^[A-Za-z0-9._:-]{1,100}$');
--> statement-breakpoint
CREATE UNIQUE INDEX "doctors_external_id_key" ON "doctors" ("organisation_id", "external_id") WHERE "external_id" IS NOT NULL;
--> statement-breakpoint
ALTER TABLE "slots" ADD COLUMN "external_id" text;
--> statement-breakpoint
ALTER TABLE "slots" ADD CONSTRAINT "slots_external_id_check" CHECK ("external_id" IS NULL OR "external_id" ~ '^[A-Za-z0-9._:-]{1,100}$');
--> statement-breakpoint
CREATE UNIQUE INDEX "slots_external_id_key" ON "slots" ("doctor_id", "external_id") WHERE "external_id" IS NOT NULL;
--> statement-breakpoint
CREATE TABLE "integration_specialty_codes" (
  "organisation_id" integer NOT NULL REFERENCES "organisations"("id"),
  "external_code" text NOT NULL,
  "specialty_id" integer NOT NULL REFERENCES "specialties"("id"),
  "updated_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "integration_specialty_codes_pkey" PRIMARY KEY ("organisation_id", "external_code"),
  CONSTRAINT "integration_specialty_codes_code_check" CHECK ("external_code" ~ '^[A-Za-z0-9._:-]{1,100}$')
);
