-- The change log (migration 0012) carries a move and a release after the cancel time (SPEC 8a):
-- «Не смогу прийти» (released_at) is a change a clinic's system must see: it records
-- appointment.updated like any other change of the row; a move's link (moved_from_id, written
-- right after the new visit's insert) joins that insert's change; every change's data names
-- them with the cancel reason. Replacing the function is additive:
-- the trigger, its table and the previous release's writes stay as they were.
CREATE OR REPLACE FUNCTION "record_appointment_change"() RETURNS trigger LANGUAGE plpgsql AS $$
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
  ELSIF (NEW.slot_id, NEW.doctor_id, NEW.start_at, NEW.end_at, NEW.source, NEW.external_id, NEW.cancelled_by, NEW.person_id,
         NEW.released_at)
        IS DISTINCT FROM (OLD.slot_id, OLD.doctor_id, OLD.start_at, OLD.end_at, OLD.source, OLD.external_id, OLD.cancelled_by, OLD.person_id,
         OLD.released_at) THEN
    kind := 'appointment.updated';
  ELSIF NEW.moved_from_id IS DISTINCT FROM OLD.moved_from_id THEN
    -- A move links its new visit right after inserting it, in the same transaction: the link
    -- joins that transaction's change of the visit instead of making a second one.
    UPDATE integration_changes SET data = data || jsonb_build_object('movedFromId', NEW.moved_from_id)
     WHERE appointment_id = NEW.id AND xid = pg_current_xact_id()::text::bigint;
    IF FOUND THEN
      RETURN NULL;
    END IF;
    kind := 'appointment.updated';
  ELSE
    RETURN NULL;
  END IF;
  INSERT INTO integration_changes (organisation_id, event_type, appointment_id, data)
  SELECT d.organisation_id, kind, NEW.id, jsonb_build_object(
    'id', NEW.id, 'reference', NEW.reference, 'externalId', NEW.external_id, 'source', NEW.source,
    'status', NEW.status, 'cancelledBy', NEW.cancelled_by, 'slotId', NEW.slot_id, 'doctorId', NEW.doctor_id,
    'startAt', NEW.start_at, 'endAt', NEW.end_at,
    'cancelReason', NEW.cancel_reason, 'releasedAt', NEW.released_at, 'movedFromId', NEW.moved_from_id)
  FROM doctors d WHERE d.id = NEW.doctor_id;
  RETURN NULL;
END $$;
