-- Referrals (направления, SPEC section 8a): a specialty the catalogue marks «по направлению»
-- (specialties.self_booking false) is booked from the portal only with a valid referral of
-- that real person. Only additions: a new table, a nullable column, new indexes; the previous
-- release runs on this schema unchanged (it never writes referral_id).
-- A referral belongs to the real person (the СНИЛС, as appointments.patient_snils): any
-- card-file row of that person may book with it. person_id is the row it was issued to (a
-- card-file row or the clinic register's). Validity is a range of local dates of the visit.
-- Issued by a doctor (issued_by_account_id, issued_by_doctor_id) or by the clinic's system
-- (issued_by_api_key_id, optionally its own id external_id), for one organisation.
CREATE TABLE "referrals" (
  "id" uuid PRIMARY KEY NOT NULL,
  "person_id" uuid NOT NULL REFERENCES "persons"("id"),
  "patient_snils" text NOT NULL,
  "specialty_id" integer NOT NULL REFERENCES "specialties"("id"),
  "organisation_id" integer REFERENCES "organisations"("id"),
  "valid_from" date NOT NULL,
  "valid_until" date NOT NULL,
  "issued_by_organisation_id" integer NOT NULL REFERENCES "organisations"("id"),
  "issued_by_account_id" uuid REFERENCES "accounts"("id"),
  "issued_by_doctor_id" integer REFERENCES "doctors"("id"),
  "issued_by_api_key_id" uuid REFERENCES "api_keys"("id"),
  "external_id" text,
  "created_at" timestamp with time zone NOT NULL,
  "revoked_at" timestamp with time zone,
  CONSTRAINT "referrals_valid_range_check" CHECK ("valid_until" >= "valid_from"),
  CONSTRAINT "referrals_issuer_check" CHECK (("issued_by_account_id" IS NULL) <> ("issued_by_api_key_id" IS NULL)),
  CONSTRAINT "referrals_snils_check" CHECK ("patient_snils" <> '')
);
--> statement-breakpoint
CREATE INDEX "referrals_patient_idx" ON "referrals" ("patient_snils", "specialty_id");
--> statement-breakpoint
CREATE INDEX "referrals_issuer_idx" ON "referrals" ("issued_by_organisation_id", "created_at");
--> statement-breakpoint
CREATE UNIQUE INDEX "referrals_external_key" ON "referrals" ("issued_by_organisation_id", "external_id") WHERE "external_id" IS NOT NULL;
--> statement-breakpoint
-- The visit a referral was used for. One referral serves at most one visit that is not
-- cancelled: a cancelled visit (any channel) gives it back by its status alone.
ALTER TABLE "appointments" ADD COLUMN "referral_id" uuid REFERENCES "referrals"("id");
--> statement-breakpoint
CREATE UNIQUE INDEX "appointments_one_per_referral" ON "appointments" ("referral_id") WHERE "referral_id" IS NOT NULL AND "status" <> 'cancelled';
--> statement-breakpoint
-- A portal or kiosk appointment in a time kept for referrals names its referral (a patient's
-- own booking with one); the rest of the rule of migration 0007 is unchanged. The previous
-- release never books such a time for a patient (its rules refuse it), so it is unaffected.
CREATE OR REPLACE FUNCTION "appointments_check_slot_channel"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM slots s
     WHERE s.id = NEW.slot_id
       AND (s.channel = 'portal'
            OR (NEW.source = 'infomat' AND s.channel = 'registry')
            OR (s.channel = 'referral' AND NEW.referral_id IS NOT NULL))
  ) THEN
    RAISE EXCEPTION 'the slot is not open to this channel'
      USING ERRCODE = '23514', CONSTRAINT = 'appointments_slot_channel';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- not additive: the check is only widened (a patient with a referral may hold a time kept for referrals); every row valid before stays valid, and the previous release never holds such a time.
ALTER TABLE "slots" DROP CONSTRAINT "slots_portal_hold_check";
--> statement-breakpoint
ALTER TABLE "slots" ADD CONSTRAINT "slots_portal_hold_check" CHECK ("hold_account_id" is null or "channel" in ('portal','referral'));
