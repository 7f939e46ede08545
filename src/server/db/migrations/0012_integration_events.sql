-- Changes out (issue 17): the integration change log and the webhooks drawn from it.
-- Triggers record every change of an appointment or a slot in the writing transaction, so no
-- writer (portal, desk, kiosk, integration push, absence, template expansion) can forget to.
-- Each row carries the writing transaction's id (xid8 as bigint); readers take only rows whose
-- transaction is older than every transaction still running (pg_snapshot_xmin of their
-- snapshot) and order by (xid, id): a row that becomes readable later always sorts after
-- every row read before, so a cursor never passes over a change. The payload (`data`) is the
-- row as it was written, without the patient's personal data.
CREATE TABLE "integration_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "integration_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"xid" bigint DEFAULT (pg_current_xact_id()::text::bigint) NOT NULL,
	"organisation_id" integer NOT NULL,
	"event_type" text NOT NULL,
	"appointment_id" uuid,
	"slot_id" bigint,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "integration_changes_event_type" CHECK ("integration_changes"."event_type" in ('appointment.created','appointment.cancelled','appointment.visited','appointment.no_show','appointment.updated','slot.created','slot.updated','slot.deleted')),
	CONSTRAINT "integration_changes_one_entity" CHECK (("integration_changes"."appointment_id" is null) <> ("integration_changes"."slot_id" is null))
);
--> statement-breakpoint
CREATE INDEX "integration_changes_order_idx" ON "integration_changes" USING btree ("xid","id");--> statement-breakpoint
CREATE INDEX "integration_changes_feed_idx" ON "integration_changes" USING btree ("organisation_id","xid","id") WHERE "integration_changes"."appointment_id" is not null;--> statement-breakpoint
CREATE FUNCTION "record_appointment_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    kind := 'appointment.created';
  ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
    kind := CASE NEW.status
      WHEN 'cancelled' THEN 'appointment.cancelled'
      WHEN 'visited' THEN 'appointment.visited'
      WHEN 'no_show' THEN 'appointment.no_show'
      ELSE 'appointment.updated' END;
  ELSIF (NEW.slot_id, NEW.doctor_id, NEW.start_at, NEW.end_at, NEW.source, NEW.external_id, NEW.cancelled_by, NEW.person_id)
        IS DISTINCT FROM (OLD.slot_id, OLD.doctor_id, OLD.start_at, OLD.end_at, OLD.source, OLD.external_id, OLD.cancelled_by, OLD.person_id) THEN
    kind := 'appointment.updated';
  ELSE
    RETURN NULL;
  END IF;
  INSERT INTO integration_changes (organisation_id, event_type, appointment_id, data)
  SELECT d.organisation_id, kind, NEW.id, jsonb_build_object(
    'id', NEW.id, 'reference', NEW.reference, 'externalId', NEW.external_id, 'source', NEW.source,
    'status', NEW.status, 'cancelledBy', NEW.cancelled_by, 'slotId', NEW.slot_id, 'doctorId', NEW.doctor_id,
    'startAt', NEW.start_at, 'endAt', NEW.end_at)
  FROM doctors d WHERE d.id = NEW.doctor_id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "appointments_record_change" AFTER INSERT OR UPDATE ON "appointments"
  FOR EACH ROW EXECUTE FUNCTION record_appointment_change();--> statement-breakpoint
-- Slots: statement-level with transition tables (template expansion inserts thousands at once).
-- What integrators see of a slot is free / busy / blocked and its times; an update that changes
-- neither (a hold moving from one patient to another) is no event.
CREATE FUNCTION "record_slot_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO integration_changes (organisation_id, event_type, slot_id, data)
    SELECT d.organisation_id, 'slot.created', n.id, jsonb_build_object(
      'id', n.id, 'doctorId', n.doctor_id, 'startAt', n.start_at, 'endAt', n.end_at,
      'status', CASE n.status WHEN 'free' THEN 'free' WHEN 'blocked' THEN 'blocked' ELSE 'busy' END)
    FROM changed_new n JOIN doctors d ON d.id = n.doctor_id ORDER BY n.id;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO integration_changes (organisation_id, event_type, slot_id, data)
    SELECT d.organisation_id, 'slot.updated', n.id, jsonb_build_object(
      'id', n.id, 'doctorId', n.doctor_id, 'startAt', n.start_at, 'endAt', n.end_at,
      'status', CASE n.status WHEN 'free' THEN 'free' WHEN 'blocked' THEN 'blocked' ELSE 'busy' END)
    FROM changed_new n JOIN changed_old o ON o.id = n.id JOIN doctors d ON d.id = n.doctor_id
    WHERE (CASE n.status WHEN 'free' THEN 'free' WHEN 'blocked' THEN 'blocked' ELSE 'busy' END,
           n.start_at, n.end_at, n.doctor_id)
       IS DISTINCT FROM
          (CASE o.status WHEN 'free' THEN 'free' WHEN 'blocked' THEN 'blocked' ELSE 'busy' END,
           o.start_at, o.end_at, o.doctor_id)
    ORDER BY n.id;
  ELSE
    INSERT INTO integration_changes (organisation_id, event_type, slot_id, data)
    SELECT d.organisation_id, 'slot.deleted', o.id, jsonb_build_object(
      'id', o.id, 'doctorId', o.doctor_id, 'startAt', o.start_at, 'endAt', o.end_at)
    FROM changed_old o JOIN doctors d ON d.id = o.doctor_id ORDER BY o.id;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "slots_record_change_insert" AFTER INSERT ON "slots"
  REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION record_slot_change();--> statement-breakpoint
CREATE TRIGGER "slots_record_change_update" AFTER UPDATE ON "slots"
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION record_slot_change();--> statement-breakpoint
CREATE TRIGGER "slots_record_change_delete" AFTER DELETE ON "slots"
  REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION record_slot_change();--> statement-breakpoint
-- The appointments made before this migration enter the log once, in the order the feed gave
-- them until now (their last change, then id), so a feed read from the beginning still lists them.
INSERT INTO integration_changes (organisation_id, event_type, appointment_id, data)
SELECT d.organisation_id,
  CASE a.status WHEN 'cancelled' THEN 'appointment.cancelled' WHEN 'visited' THEN 'appointment.visited'
    WHEN 'no_show' THEN 'appointment.no_show' ELSE 'appointment.created' END,
  a.id, jsonb_build_object(
    'id', a.id, 'reference', a.reference, 'externalId', a.external_id, 'source', a.source,
    'status', a.status, 'cancelledBy', a.cancelled_by, 'slotId', a.slot_id, 'doctorId', a.doctor_id,
    'startAt', a.start_at, 'endAt', a.end_at)
FROM appointments a JOIN doctors d ON d.id = a.doctor_id
ORDER BY greatest(a.created_at, coalesce(a.status_changed_at, a.created_at), coalesce(a.cancelled_at, a.created_at)), a.id;--> statement-breakpoint
-- Webhook subscriptions: one API key's URL and the event types it wants (exact, or 'appointment.*'
-- / 'slot.*'). The signing secret is never stored: it is derived from the server's secret and
-- secret_salt (webhooks.service.ts). Events after from_change_id only.
CREATE TABLE "webhook_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"api_key_id" uuid NOT NULL,
	"organisation_id" integer NOT NULL,
	"url" text NOT NULL,
	"event_types" text[] NOT NULL,
	"secret_salt" text NOT NULL,
	"from_change_id" bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "webhook_subscriptions_event_types" CHECK (cardinality("webhook_subscriptions"."event_types") between 1 and 20)
);
--> statement-breakpoint
ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "webhook_subscriptions_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "webhook_subscriptions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_subscriptions_key_idx" ON "webhook_subscriptions" USING btree ("api_key_id");--> statement-breakpoint
CREATE INDEX "webhook_subscriptions_organisation_idx" ON "webhook_subscriptions" USING btree ("organisation_id");--> statement-breakpoint
-- One delivery per subscription and event: a durable outbox drained by the worker with leases
-- (notify/lease.ts), retried with back-off, then failed; replay sets it pending again.
CREATE TABLE "webhook_deliveries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"subscription_id" uuid NOT NULL,
	"change_id" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"last_status_code" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"replays" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "webhook_deliveries_status" CHECK ("webhook_deliveries"."status" in ('pending', 'delivered', 'failed')),
	CONSTRAINT "webhook_deliveries_attempts" CHECK ("webhook_deliveries"."attempts" >= 0)
);
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_subscription_id_webhook_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."webhook_subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_change_id_integration_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."integration_changes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_subscription_change_key" ON "webhook_deliveries" USING btree ("subscription_id","change_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
-- Where the worker's fan-out (change log -> deliveries) stands: one row, locked while it moves.
CREATE TABLE "webhook_dispatch" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"xid" bigint NOT NULL,
	"change_id" bigint NOT NULL,
	CONSTRAINT "webhook_dispatch_singleton" CHECK ("webhook_dispatch"."id" = 1)
);
--> statement-breakpoint
INSERT INTO "webhook_dispatch" ("id", "xid", "change_id")
SELECT 1, coalesce(max("xid"), 0), coalesce(max("id"), 0) FROM "integration_changes";
