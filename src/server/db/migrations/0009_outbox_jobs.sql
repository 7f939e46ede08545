-- Durable jobs for work an answer must not wait on or reveal (issue 15): sign-up and
-- password recovery only validate and enqueue here; the worker looks the address up and
-- writes the account, the token and the e-mail in one transaction that also deletes the job.
-- A job that keeps failing is kept as 'failed' with its payload emptied (no address, no hash).
CREATE TABLE "outbox_jobs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outbox_jobs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	CONSTRAINT "outbox_jobs_status" CHECK ("outbox_jobs"."status" in ('pending', 'failed')),
	CONSTRAINT "outbox_jobs_payload_object" CHECK (jsonb_typeof("outbox_jobs"."payload") = 'object'),
	CONSTRAINT "outbox_jobs_attempts" CHECK ("outbox_jobs"."attempts" >= 0)
);
--> statement-breakpoint
CREATE INDEX "outbox_jobs_due_idx" ON "outbox_jobs" USING btree ("next_attempt_at") WHERE "outbox_jobs"."status" = 'pending';
