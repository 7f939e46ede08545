CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" integer NOT NULL,
	"channel" text NOT NULL,
	"label" text NOT NULL,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash"),
	CONSTRAINT "api_keys_channel_check" CHECK ("api_keys"."channel" in ('electronic_queue','registry','doctor','infomat','mis'))
);
--> statement-breakpoint
CREATE TABLE "esia_requests" (
	"state" uuid PRIMARY KEY NOT NULL,
	"purpose" text NOT NULL,
	"account_id" uuid,
	"browser_hash" text NOT NULL,
	"return_to" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "esia_requests_purpose_check" CHECK ("esia_requests"."purpose" in ('login','link')),
	CONSTRAINT "esia_requests_link_check" CHECK (("esia_requests"."purpose" = 'link') = ("esia_requests"."account_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "kiosk_devices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" integer NOT NULL,
	"label" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"revoked_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone,
	CONSTRAINT "kiosk_devices_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "accounts" DROP CONSTRAINT "accounts_role_check";--> statement-breakpoint
ALTER TABLE "accounts" ALTER COLUMN "email" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "esia_oid" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "esia_linked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "organisation_id" integer;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "doctor_id" integer;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "cancelled_by" text;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "cancelled_via" text;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "booked_by_staff_account_id" uuid;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "booked_by_api_key_id" uuid;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "external_org_id" integer;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "status_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_revoked_by_accounts_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "esia_requests" ADD CONSTRAINT "esia_requests_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kiosk_devices" ADD CONSTRAINT "kiosk_devices_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kiosk_devices" ADD CONSTRAINT "kiosk_devices_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_organisation_idx" ON "api_keys" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "esia_requests_expires_idx" ON "esia_requests" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "kiosk_devices_organisation_idx" ON "kiosk_devices" USING btree ("organisation_id");--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_doctor_id_doctors_id_fk" FOREIGN KEY ("doctor_id") REFERENCES "public"."doctors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_booked_by_staff_account_id_accounts_id_fk" FOREIGN KEY ("booked_by_staff_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_booked_by_api_key_id_api_keys_id_fk" FOREIGN KEY ("booked_by_api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_external_org_id_organisations_id_fk" FOREIGN KEY ("external_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_esia_oid_key" ON "accounts" USING btree ("esia_oid");--> statement-breakpoint
CREATE UNIQUE INDEX "appointments_external_key" ON "appointments" USING btree ("external_org_id","external_id") WHERE "appointments"."external_id" is not null;--> statement-breakpoint
CREATE INDEX "persons_name_idx" ON "persons" USING btree (lower("last_name"),lower("first_name"),"birth_date");--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_staff_scope_check" CHECK (("accounts"."role" in ('registrar','doctor')) = ("accounts"."organisation_id" is not null) and ("accounts"."role" = 'doctor') = ("accounts"."doctor_id" is not null));--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_role_check" CHECK ("accounts"."role" in ('patient','moderator','operator','registrar','doctor','system'));--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_cancelled_by_check" CHECK ("appointments"."cancelled_by" is null or "appointments"."cancelled_by" in ('patient','clinic'));--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_cancelled_via_check" CHECK ("appointments"."cancelled_via" is null or "appointments"."cancelled_via" in ('portal','registry','infomat','doctor','electronic_queue','integration'));--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_external_check" CHECK (("appointments"."external_id" is null) = ("appointments"."external_org_id" is null));--> statement-breakpoint
-- The clinic register: the system account whose card file holds one row per patient known to clinics
-- (appointments made at the registry desk, by doctors, at infomats and in clinics' own systems).
INSERT INTO "accounts" ("id", "email", "role", "created_at") VALUES ('00000000-0000-4000-8000-000000000001', NULL, 'system', now()) ON CONFLICT DO NOTHING;
