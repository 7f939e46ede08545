// Organisations as the operator (any, and new ones) and the clinic administrator (its own)
// edit them: one transaction per change, the row locked, the audit row with before/after.
// The catalogue-generation trigger (migration 0004) makes the schedule cache see it at once.
import type { OrganisationDetails } from '../../../shared/api/catalogue-admin.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import type { CurrentSession } from '../session/session.js';
import { recordAudit } from '../region/audit.service.js';
import {
  insertOrganisation,
  organisationForUpdate,
  selectOrganisation,
  updateOrganisationRow,
  type OrganisationRow,
} from './manage.repository.js';
import { toOrganisation } from './catalogue.service.js';
import { changedFields, createdFields } from './manage.rules.js';

/** What may change: the details, and (the operator only) the organisation's own cut-off. */
export type OrganisationEdit = Partial<OrganisationDetails> & { cutoffOverride?: string | null };

/** An organisation as the operator and the clinic administrator see it: details and the cut-off override. */
export function organisationView(o: OrganisationRow) {
  return { ...toOrganisation(o), cutoffOverride: o.cutoffOverride };
}

export async function getOrganisation(ctx: AppContext, organisationId: number) {
  const row = await selectOrganisation(ctx.db, organisationId);
  if (!row) throw new AppError('ORGANISATION_NOT_FOUND');
  return organisationView(row);
}

/** The clinic administrator's organisation; refused for any other role. */
export function ownOrganisationId(session: CurrentSession): number {
  if (session.role !== 'clinic_admin' || session.organisationId === null) throw new AppError('FORBIDDEN');
  return session.organisationId;
}

export async function createOrganisation(
  ctx: AppContext,
  session: CurrentSession,
  details: OrganisationDetails,
): Promise<number> {
  if (session.role !== 'operator') throw new AppError('FORBIDDEN');
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const id = await insertOrganisation(tx, details);
    await recordAudit(
      tx,
      {
        actorAccountId: session.accountId,
        action: 'organisation.create',
        entityType: 'organisation',
        entityId: String(id),
        details: { organisationId: id, ...createdFields({ ...details }) },
      },
      now,
    );
    return id;
  });
}

/**
 * Changes an organisation: the operator any, the clinic administrator only its own and
 * not the cut-off (a region rule the operator sets). Nothing changed: nothing written.
 */
export async function updateOrganisation(
  ctx: AppContext,
  session: CurrentSession,
  organisationId: number,
  edit: OrganisationEdit,
): Promise<void> {
  if (session.role === 'clinic_admin') {
    if (organisationId !== session.organisationId) throw new AppError('ORGANISATION_NOT_FOUND');
    if (edit.cutoffOverride !== undefined) throw new AppError('FORBIDDEN');
  } else if (session.role !== 'operator') {
    throw new AppError('FORBIDDEN');
  }
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const current = await organisationForUpdate(tx, organisationId);
    if (!current) throw new AppError('ORGANISATION_NOT_FOUND');
    const changes = changedFields(current, edit);
    if (Object.keys(changes).length === 0) return;
    const next = Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v.to])) as OrganisationEdit;
    await updateOrganisationRow(tx, organisationId, next);
    await recordAudit(
      tx,
      {
        actorAccountId: session.accountId,
        action: 'organisation.update',
        entityType: 'organisation',
        entityId: String(organisationId),
        details: { organisationId, ...changes },
      },
      now,
    );
  });
}
