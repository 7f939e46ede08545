-- The clinic's catalogue (issue 16): the clinic administrator role (one organisation, like the
-- registry desk), a doctor's position (должность), and whether patients may book a specialty
-- themselves or only with a referral. The checks keep what the catalogue pages accept.
ALTER TABLE "accounts" DROP CONSTRAINT "accounts_role_check";
--> statement-breakpoint
ALTER TABLE "accounts" DROP CONSTRAINT "accounts_staff_scope_check";
--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_role_check" CHECK ("role" in ('patient','moderator','operator','registrar','doctor','clinic_admin','system'));
--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_staff_scope_check" CHECK (("role" in ('registrar','doctor','clinic_admin')) = ("organisation_id" is not null) and ("role" = 'doctor') = ("doctor_id" is not null));
--> statement-breakpoint
ALTER TABLE "doctors" ADD COLUMN "position" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "doctors" ADD CONSTRAINT "doctors_text_check" CHECK (char_length("position") <= 120 and char_length(btrim("room")) between 1 and 20 and char_length(btrim("last_name")) between 1 and 100 and char_length(btrim("first_name")) between 1 and 100);
--> statement-breakpoint
ALTER TABLE "specialties" ADD COLUMN "self_booking" boolean DEFAULT true NOT NULL;
--> statement-breakpoint
ALTER TABLE "specialties" ADD CONSTRAINT "specialties_limits_check" CHECK (("min_age" is null or "min_age" between 0 and 120) and ("max_age" is null or "max_age" between 1 and 121) and ("min_age" is null or "max_age" is null or "max_age" > "min_age") and ("sex" is null or "sex" in ('M','F')) and char_length(btrim("name")) between 1 and 100);
--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_text_check" CHECK (char_length(btrim("name")) between 1 and 200 and char_length(btrim("short_name")) between 1 and 80 and char_length(btrim("address")) between 1 and 300 and char_length(btrim("phone")) between 1 and 40 and char_length("time_zone") between 1 and 64);
--> statement-breakpoint
-- The clinic administrator's change log: the audit entries whose details name the organisation.
CREATE INDEX "audit_log_organisation_idx" ON "audit_log" USING btree (("details" ->> 'organisationId'), "id");
