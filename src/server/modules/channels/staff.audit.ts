// The audit rows of clinic staff's actions through the channels (SPEC section 8: every desk
// action is logged): who (the staff account), what (the action) and on which entity. Details
// carry ids and choices only — never a patient's name, СНИЛС, полис or birth date.
import type { Db } from '../../db/index.js';
import { recordAudit } from '../region/audit.service.js';
import type { ChannelActor } from './channels.rules.js';

export type StaffAuditAction =
  | 'appointment.book'
  | 'appointment.cancel'
  | 'slot.block'
  | 'slot.unblock'
  | 'patient.register';

const entityTypes: Record<StaffAuditAction, 'appointment' | 'slot' | 'person'> = {
  'appointment.book': 'appointment',
  'appointment.cancel': 'appointment',
  'slot.block': 'slot',
  'slot.unblock': 'slot',
  'patient.register': 'person',
};

/** The staff member behind an action; kiosks and clinic systems' keys are not staff. */
export interface StaffAuditActor {
  accountId: string;
  organisationId: number;
  role: 'registrar' | 'doctor';
}

export function staffAuditActor(actor: ChannelActor): StaffAuditActor | null {
  return actor.kind === 'staff'
    ? { accountId: actor.accountId, organisationId: actor.organisationId, role: actor.role }
    : null;
}

/** Writes the audit row in the action's own transaction; details are ids and enumerated values only. */
export async function auditStaffAction(
  tx: Db,
  actor: StaffAuditActor,
  action: StaffAuditAction,
  entityId: string | number,
  details: Record<string, string | number | null>,
  now: Date,
): Promise<void> {
  await recordAudit(
    tx,
    {
      actorAccountId: actor.accountId,
      action,
      entityType: entityTypes[action],
      entityId: String(entityId),
      details: { organisationId: actor.organisationId, role: actor.role, ...details },
    },
    now,
  );
}
