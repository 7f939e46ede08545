-- A doctor's absence (SPEC section 8, «Closing a doctor's days»): the closed range, why, who
-- closed it; the visits it affected and what the clinic decided for each. The database keeps
-- the closed time closed: a slot inside an active absence never becomes free (a trigger turns
-- it blocked, whoever frees or inserts it: a cancel, a lapsed hold, template expansion), and
-- two active absences of one doctor never overlap.
CREATE TABLE "doctor_absences" (
  "id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  "doctor_id" integer NOT NULL REFERENCES "doctors"("id"),
  "organisation_id" integer NOT NULL REFERENCES "organisations"("id"),
  "starts_at" timestamp with time zone NOT NULL,
  "ends_at" timestamp with time zone NOT NULL,
  "reason" text NOT NULL,
  "comment" text,
  "kept_blocked_slot_ids" bigint[] NOT NULL DEFAULT '{}',
  "created_by" uuid NOT NULL REFERENCES "accounts"("id"),
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  "cancelled_at" timestamp with time zone,
  "cancelled_by" uuid REFERENCES "accounts"("id"),
  CONSTRAINT "doctor_absences_reason_check" CHECK ("reason" in ('sick','vacation','training','other')),
  CONSTRAINT "doctor_absences_range_check" CHECK ("ends_at" > "starts_at"),
  CONSTRAINT "doctor_absences_cancel_check" CHECK (("cancelled_at" is null) = ("cancelled_by" is null))
);
--> statement-breakpoint
ALTER TABLE "doctor_absences" ADD CONSTRAINT "doctor_absences_no_overlap"
  EXCLUDE USING gist ("doctor_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&)
  WHERE ("cancelled_at" IS NULL);
--> statement-breakpoint
CREATE INDEX "doctor_absences_doctor_idx" ON "doctor_absences" ("doctor_id", "starts_at") WHERE "cancelled_at" IS NULL;
--> statement-breakpoint
CREATE TABLE "absence_visits" (
  "absence_id" bigint NOT NULL REFERENCES "doctor_absences"("id"),
  "appointment_id" uuid NOT NULL REFERENCES "appointments"("id"),
  "state" text NOT NULL DEFAULT 'open',
  "offer_id" uuid,
  "offer_slot_id" bigint REFERENCES "slots"("id"),
  "offer_deadline" timestamp with time zone,
  "new_appointment_id" uuid REFERENCES "appointments"("id"),
  "decided_by" uuid REFERENCES "accounts"("id"),
  "decided_at" timestamp with time zone,
  "answered_at" timestamp with time zone,
  "outcome" text,
  CONSTRAINT "absence_visits_pkey" PRIMARY KEY ("absence_id", "appointment_id"),
  CONSTRAINT "absence_visits_state_check" CHECK ("state" in ('open','offered','moved','cancelled')),
  CONSTRAINT "absence_visits_outcome_check" CHECK ("outcome" is null or "outcome" in ('moved_by_clinic','confirmed','declined','expired','cancelled_by_clinic','cancelled_elsewhere')),
  CONSTRAINT "absence_visits_offer_check" CHECK (("state" = 'offered') = ("offer_deadline" is not null and "offer_slot_id" is not null and "offer_id" is not null and "outcome" is null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "absence_visits_offer_key" ON "absence_visits" ("offer_id") WHERE "offer_id" IS NOT NULL;
--> statement-breakpoint
CREATE UNIQUE INDEX "absence_visits_one_offer_per_slot" ON "absence_visits" ("offer_slot_id") WHERE "state" = 'offered';
--> statement-breakpoint
CREATE INDEX "absence_visits_due_idx" ON "absence_visits" ("offer_deadline") WHERE "state" = 'offered';
--> statement-breakpoint
CREATE FUNCTION "slots_keep_absence_closed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM "doctor_absences" a
    WHERE a."doctor_id" = NEW."doctor_id" AND a."cancelled_at" IS NULL
      AND a."starts_at" < NEW."end_at" AND a."ends_at" > NEW."start_at"
  ) THEN
    NEW."status" := 'blocked';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "slots_keep_absence_closed" BEFORE INSERT OR UPDATE OF "status" ON "slots"
  FOR EACH ROW WHEN (NEW."status" = 'free') EXECUTE FUNCTION "slots_keep_absence_closed"();
