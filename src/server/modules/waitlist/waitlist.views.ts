// The API shapes of entries and offers (src/shared/api.ts: waitlistEntry, waitlistOffer),
// built from the repository's view rows. Pure.
import type { WaitlistEntry, WaitlistOffer } from '../../../shared/api/index.js';
import { localDateTimeOf } from '../../../shared/time.js';
import { fullName } from '../../../shared/person.js';
import type { EntryViewRow, OfferViewRow } from './waitlist.repository.js';
import { offersLeft } from './waitlist.rules.js';

type OfferPart = OfferViewRow['offer'];
type OfferDoctorPart = OfferViewRow['offerDoctor'];

interface OfferBase {
  entry: { id: string; status: string; offersMade: number };
  person: OfferViewRow['person'];
  specialty: OfferViewRow['specialty'];
  organisation: OfferViewRow['organisation'];
  maxOffers: number;
}

function place(o: OfferViewRow['organisation']) {
  return { id: o.id, name: o.name, address: o.address, phone: o.phone, timeZone: o.timeZone };
}

export function toOfferDto(base: OfferBase, offer: OfferPart, doctor: OfferDoctorPart): WaitlistOffer {
  const tz = base.organisation.timeZone;
  const active = base.entry.status === 'waiting' || base.entry.status === 'offered';
  return {
    id: offer.id,
    entryId: base.entry.id,
    status: offer.status,
    slotId: offer.slotId,
    startAt: offer.startAt.toISOString(),
    endAt: offer.endAt.toISOString(),
    localStart: localDateTimeOf(offer.startAt, tz),
    timeZone: tz,
    deadline: offer.deadline.toISOString(),
    localDeadline: localDateTimeOf(offer.deadline, tz),
    person: { id: base.person.id, name: fullName(base.person) },
    doctor: { id: doctor.id, name: fullName(doctor), specialty: base.specialty.name, room: doctor.room },
    organisation: place(base.organisation),
    offersLeftAfter: active ? offersLeft(base.entry.offersMade, base.maxOffers, false) : 0,
  };
}

/** The pending offer of an entry row, when there is one (left joins: all or nothing). */
function pendingOffer(row: EntryViewRow): { offer: OfferPart; doctor: OfferDoctorPart } | null {
  const o = row.offer;
  const d = row.offerDoctor;
  if (!o || !d || o.id === null || o.startAt === null || o.endAt === null || d.id === null) return null;
  return { offer: o as OfferPart, doctor: d as OfferDoctorPart };
}

export function toEntryDto(row: EntryViewRow): WaitlistEntry {
  const offer = pendingOffer(row);
  const d = row.entryDoctor;
  return {
    id: row.entry.id,
    personId: row.entry.personId,
    kind: row.entry.doctorId === null ? 'specialty' : 'doctor',
    doctor: d && d.id !== null ? { id: d.id, name: fullName(d) } : null,
    specialty: { id: row.specialty.id, name: row.specialty.name },
    organisation: place(row.organisation),
    status: row.entry.status === 'offered' ? 'offered' : 'waiting',
    since: row.entry.createdAt.toISOString(),
    place: Number(row.place),
    offersLeft: offersLeft(row.entry.offersMade, row.maxOffers, offer !== null),
    offer: offer ? toOfferDto(row, offer.offer, offer.doctor) : null,
  };
}
