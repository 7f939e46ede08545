-- Own data (152-ФЗ, issue 19): removing a person from the card file and deleting an account.
-- Visits are medical records and stay, so the rows they point to stay too (appointments ->
-- persons -> accounts): a removed person or a deleted account is kept as a row with its
-- personal data replaced, and marked erased_at. Only additions: the previous release reads
-- such rows as a rejected person of an account that cannot sign in (no e-mail, no password).
ALTER TABLE "accounts" ADD COLUMN "erased_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "erased_at" timestamp with time zone;
--> statement-breakpoint
-- An erased account keeps nothing to sign in with.
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_erased_check"
  CHECK ("erased_at" IS NULL OR ("email" IS NULL AND "password_hash" IS NULL AND "esia_oid" IS NULL));
--> statement-breakpoint
-- An erased person is out of every list (rejected) and keeps no phone or patronymic.
ALTER TABLE "persons" ADD CONSTRAINT "persons_erased_check"
  CHECK ("erased_at" IS NULL OR ("status" = 'rejected' AND "phone" IS NULL AND "middle_name" IS NULL AND NOT "is_main"));
--> statement-breakpoint
-- The stand-in СНИЛС and полис of erased people: '000' + 8 digits and '0000' + 12 digits from
-- this sequence, unique (the card file's unique keys and the real-person exclusion constraint
-- on past visits hold) and below every СНИЛС ever issued (001-001-999 is the first).
CREATE SEQUENCE "erased_person_seq";
