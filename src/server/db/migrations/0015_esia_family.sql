-- Family from ЕСИА and a person's history (SPEC section 8a). Only nullable columns, an index
-- and checks that every existing row passes, so the previous release runs on this schema.
-- A child brought from ЕСИА keeps ЕСИА's id for it (esia_oid, once per card file) and the
-- birth certificate (Russian: series like "IV-МЮ", six-digit number), so the next sign-in
-- updates the same row instead of adding another. A visit's outcome (visited / no-show)
-- records the channel that marked it (status_changed_via), for the person's history.
ALTER TABLE "persons" ADD COLUMN "esia_oid" text;
--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "birth_cert_series" text;
--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "birth_cert_number" text;
--> statement-breakpoint
ALTER TABLE "persons" ADD CONSTRAINT "persons_esia_oid_check"
  CHECK ("esia_oid" is null or "esia_oid" ~ '^[0-9]{1,20}$');
--> statement-breakpoint
ALTER TABLE "persons" ADD CONSTRAINT "persons_birth_cert_check"
  CHECK (("birth_cert_series" is null) = ("birth_cert_number" is null)
    and ("birth_cert_number" is null or "birth_cert_number" ~ '^[0-9]{6}$')
    and ("birth_cert_series" is null or "birth_cert_series" ~ '^[IVXLC]{1,6}-[А-ЯЁ]{2}$'));
--> statement-breakpoint
CREATE UNIQUE INDEX "persons_account_esia_oid_key" ON "persons" ("account_id","esia_oid") WHERE "esia_oid" IS NOT NULL;
--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "status_changed_via" text;
--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_status_changed_via_check"
  CHECK ("status_changed_via" is null or "status_changed_via" in ('registry','doctor','integration'));
