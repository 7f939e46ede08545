// Specialties as the regional operator creates and edits them: name, age limits, sex limit
// and whether patients may book them themselves. Names are unique without regard to case.
import type { SpecialtyBody } from '../../../shared/api/catalogue-admin.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { UNIQUE_VIOLATION, pgError } from '../../db/errors.js';
import { AppError } from '../../errors.js';
import type { CurrentSession } from '../session/session.js';
import { recordAudit } from '../region/audit.service.js';
import {
  insertSpecialty,
  selectSpecialtiesWithCounts,
  specialtyForUpdate,
  specialtyNamed,
  updateSpecialtyRow,
} from './manage.repository.js';
import { changedFields, createdFields } from './manage.rules.js';

function requireOperator(session: CurrentSession): void {
  if (session.role !== 'operator') throw new AppError('FORBIDDEN');
}

/** The unique name index can still refuse when two operators save the same name at once. */
async function uniqueName<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (pgError(err)?.code === UNIQUE_VIOLATION) throw new AppError('SPECIALTY_EXISTS');
    throw err;
  }
}

function sexLimit(sex: string | null): 'M' | 'F' | null {
  return sex === 'M' || sex === 'F' ? sex : null;
}

export async function listSpecialtiesFull(db: Db) {
  const rows = await selectSpecialtiesWithCounts(db);
  return rows.map((s) => ({ ...s, sex: sexLimit(s.sex), doctorCount: Number(s.doctorCount) }));
}

export async function createSpecialty(ctx: AppContext, session: CurrentSession, body: SpecialtyBody): Promise<number> {
  requireOperator(session);
  const now = ctx.now();
  return uniqueName(() =>
    ctx.db.transaction(async (tx) => {
      if ((await specialtyNamed(tx, body.name, null)) !== null) throw new AppError('SPECIALTY_EXISTS');
      const id = await insertSpecialty(tx, body);
      await recordAudit(
        tx,
        {
          actorAccountId: session.accountId,
          action: 'specialty.create',
          entityType: 'specialty',
          entityId: String(id),
          details: createdFields({ ...body }),
        },
        now,
      );
      return id;
    }),
  );
}

export async function updateSpecialty(
  ctx: AppContext,
  session: CurrentSession,
  id: number,
  body: SpecialtyBody,
): Promise<void> {
  requireOperator(session);
  const now = ctx.now();
  await uniqueName(() =>
    ctx.db.transaction(async (tx) => {
      const current = await specialtyForUpdate(tx, id);
      if (!current) throw new AppError('SPECIALTY_NOT_FOUND');
      const changes = changedFields(current, body);
      if (Object.keys(changes).length === 0) return;
      if (changes.name && (await specialtyNamed(tx, body.name, id)) !== null) throw new AppError('SPECIALTY_EXISTS');
      await updateSpecialtyRow(tx, id, Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v.to])));
      await recordAudit(
        tx,
        {
          actorAccountId: session.accountId,
          action: 'specialty.update',
          entityType: 'specialty',
          entityId: String(id),
          details: { name: current.name, ...changes },
        },
        now,
      );
    }),
  );
}
