-- Moving a visit and releasing it after the cancel time (SPEC section 8a). Both only add
-- nullable columns, so the previous release runs on this schema unchanged.
-- A move books the new time and cancels the old visit in one transaction: the new visit names
-- the one it replaced (moved_from_id, at most one successor each); the old one is cancelled by
-- the patient with cancel_reason 'moved'. A visit released with «Не смогу прийти» after the
-- cancel time stays booked with released_at set until someone from the waitlist takes the
-- time; then it is cancelled by the patient with cancel_reason 'released'.
ALTER TABLE "appointments" ADD COLUMN "moved_from_id" uuid REFERENCES "appointments"("id");
--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "cancel_reason" text;
--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "released_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_cancel_reason_check"
  CHECK ("cancel_reason" is null or "cancel_reason" in ('moved','released'));
--> statement-breakpoint
CREATE UNIQUE INDEX "appointments_moved_from_key" ON "appointments" ("moved_from_id") WHERE "moved_from_id" IS NOT NULL;
