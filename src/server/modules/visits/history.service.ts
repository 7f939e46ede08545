// A person's history (SPEC 8a): for one person of the account's card file, what happened to
// each visit this session may see - exactly the visits the card file shows (SPEC 6: the same
// visibility rule and the same real-person link for the holder in an ЕСИА session).
import type { PersonHistoryResponse } from '../../../shared/api/index.js';
import { fullName } from '../../../shared/person.js';
import { localDateTimeOf } from '../../../shared/time.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { type Actor, viewerOf } from '../booking/appointments.service.js';
import {
  appointmentVisible,
  relationToViewer,
  type AppointmentStatus,
  type Source,
} from '../booking/visibility.rules.js';
import { listOwnedPersons } from '../identity/persons.service.js';
import { historyRows, type HistoryDbRow } from './history.repository.js';
import { historyLines } from './history.rules.js';

export async function getPersonHistory(
  ctx: AppContext,
  actor: Actor,
  personId: string,
): Promise<PersonHistoryResponse> {
  const people = await listOwnedPersons(ctx.db, actor.accountId);
  const person = people.find((p) => p.id === personId);
  if (!person) throw new AppError('PERSON_NOT_FOUND');
  const viewer = viewerOf(actor, people);
  const linked =
    person.isMain && viewer.authMethod === 'esia' && viewer.main?.status === 'confirmed'
      ? { snils: viewer.main.snils }
      : null;
  const rows = (await historyRows(ctx.db, personId, linked)).filter((r) => {
    const owner = {
      personAccountId: r.person.accountId,
      personIsMain: r.person.isMain,
      personSnils: r.person.snils,
      personPolicy: r.person.policy,
    };
    if (!appointmentVisible(owner, { source: r.source as Source, bookedByAccountId: r.bookedByAccountId }, viewer))
      return false;
    // This person's own rows, or - for the holder - the same real person's rows elsewhere.
    const relation = relationToViewer(owner, viewer);
    return relation === 'linked-main' ? person.isMain : true;
  });
  const byId = new Map<string, HistoryDbRow>(rows.map((r) => [r.id, r]));
  const lines = historyLines(
    rows.map((r) => ({ ...r, source: r.source as Source, status: r.status as AppointmentStatus })),
    actor.accountId,
  );
  return {
    person: { id: person.id, name: fullName(person) },
    // Every line is of a row read here; flatMap keeps the types honest.
    entries: lines.flatMap((l) => {
      const r = byId.get(l.appointmentId);
      if (!r) return [];
      const tz = r.organisation.timeZone;
      const from = l.movedFromId ? byId.get(l.movedFromId) : undefined;
      return {
        appointmentId: l.appointmentId,
        kind: l.kind,
        released: l.released,
        at: l.at.toISOString(),
        localAt: localDateTimeOf(l.at, tz),
        timeZone: tz,
        who: l.who,
        channel: l.channel,
        visit: {
          reference: r.reference,
          localStart: localDateTimeOf(r.startAt, tz),
          doctor: fullName(r.doctor),
          specialty: r.specialty,
          organisation: r.organisation.name,
        },
        movedFromLocalStart: from ? localDateTimeOf(from.startAt, from.organisation.timeZone) : null,
      };
    }),
  };
}
