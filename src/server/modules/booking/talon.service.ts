// The printable талон of a visit the account sees (the same visibility as the visit page):
// initials instead of the name, the organisation's time with its zone named, and the QR code
// of the reference drawn as an SVG path (qrcode builds the matrix; talon.rules.ts draws it).
import QRCode from 'qrcode';
import type { TalonResponse } from '../../../shared/api/index.js';
import { localDateTimeOf } from '../../../shared/time.js';
import { fullName } from '../../../shared/person.js';
import type { AppContext } from '../../context.js';
import { loadVisibleVisit, type Actor } from './appointments.service.js';
import { patientInitials, qrPath, qrTextOf, zoneLabelRu } from './talon.rules.js';

/** The QR code of a text: modules per side and the path of the dark ones. */
export function qrCodeOf(text: string): TalonResponse['qr'] {
  const { size, data } = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
  return { text, size, path: qrPath(size, (x, y) => data[y * size + x] === 1) };
}

export async function getTalon(ctx: AppContext, actor: Actor, appointmentId: string): Promise<TalonResponse> {
  const { row, person } = await loadVisibleVisit(ctx.db, actor, appointmentId);
  const tz = row.organisation.timeZone;
  return {
    id: row.id,
    reference: row.reference,
    status: row.status as TalonResponse['status'],
    patientInitials: patientInitials(person),
    doctor: { name: fullName(row.doctor), specialty: row.specialty.name, room: row.doctor.room },
    organisation: { name: row.organisation.name, address: row.organisation.address, phone: row.organisation.phone },
    localStart: localDateTimeOf(row.startAt, tz),
    timeZone: tz,
    zoneLabel: zoneLabelRu(tz),
    qr: qrCodeOf(qrTextOf(row.reference)),
  };
}
