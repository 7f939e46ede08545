-- «Не смогу прийти» after the cancel time (SPEC section 8a): the released visit stays booked
-- (its slot too, so the one-active-per-slot index is untouched) and its time is offered to the
-- waitlist as a release offer: a waitlist offer that names the released visit and holds
-- nothing. Confirming it cancels that visit as released and books the offer's person in one
-- transaction. Only a nullable column: the previous release runs on this schema unchanged.
ALTER TABLE "waitlist_offers" ADD COLUMN "released_appointment_id" uuid REFERENCES "appointments"("id");
