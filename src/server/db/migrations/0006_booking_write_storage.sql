DROP INDEX "slots_hold_account_idx";--> statement-breakpoint
CREATE INDEX "slots_hold_account_idx" ON "slots" USING btree ("hold_account_id") WHERE "slots"."hold_account_id" is not null;--> statement-breakpoint
-- Room for a booking's slot update on its own page (a HOT update writes no index entries).
-- Pages written before this keep their fill until they are rewritten.
ALTER TABLE "slots" SET (fillfactor = 90);
--> statement-breakpoint
-- A booking's e-mail (text and HTML, ~6 kB) is compressed in the booking's transaction: lz4
-- costs a fraction of the default pglz's CPU. Builds without lz4 (PGlite) keep pglz.
DO $$
BEGIN
  ALTER TABLE "outbox" ALTER COLUMN "text_body" SET COMPRESSION lz4,
                       ALTER COLUMN "html_body" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  NULL;
END
$$;
