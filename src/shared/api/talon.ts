// The HTTP contract of the printable талон and of finding a visit by its reference (issue 19).
import { z } from 'zod';
import { freeText } from '../text.js';
import { appointmentStatus } from './common.js';
import { kioskVisit } from './kiosk.js';

/** GET /api/appointments/:id/talon: what the printed талон carries, the QR code drawn as an SVG path. */
export const talonResponse = z.object({
  id: z.uuid(),
  reference: z.string(),
  status: appointmentStatus,
  /** «И. А. С.»: initials only, a талон may be lost. */
  patientInitials: z.string(),
  doctor: z.object({ name: z.string(), specialty: z.string(), room: z.string() }),
  organisation: z.object({ name: z.string(), address: z.string(), phone: z.string() }),
  /** The organisation's wall time, "2026-11-26T09:30". */
  localStart: z.string(),
  timeZone: z.string(),
  /** «время местное: Самара, Ижевск (МСК+1)». */
  zoneLabel: z.string(),
  qr: z.object({
    /** What the code holds: the reference in Latin letters («PR-7K3M92QD»), which a scanner can type. */
    text: z.string(),
    /** Modules per side, without the quiet zone. */
    size: z.number(),
    /** SVG path of the dark modules in module units. */
    path: z.string(),
  }),
});
export type TalonResponse = z.infer<typeof talonResponse>;

/** A reference as a scanner or a person typed it: «ПР-7K3M92QD», «PR-7K3M92QD», «7k3m92qd»… */
export const referenceLookupBody = z.object({
  reference: freeText({ field: 'Номер записи', max: 40, minMessage: 'Отсканируйте талон или введите номер записи' }),
});
export type ReferenceLookupBody = z.input<typeof referenceLookupBody>;

/** The desk: the patient's page to open and the visit on it. */
export const deskReferenceResponse = z.object({ patientId: z.uuid(), appointmentId: z.uuid() });
export type DeskReferenceResponse = z.infer<typeof deskReferenceResponse>;

/** The kiosk: the visit alone (no other visit of the patient), with whether it can be cancelled here. */
export const kioskReferenceResponse = z.object({ visit: kioskVisit });
export type KioskReferenceResponse = z.infer<typeof kioskReferenceResponse>;
