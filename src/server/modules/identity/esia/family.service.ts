// The family from ЕСИА at each sign-in (SPEC 8a): the holder's changed names are copied onto
// the main person, and the children ЕСИА knows join the card file, confirmed, or update the
// rows already there (planFamily). ЕСИА not answering about the children never fails the
// sign-in: it is logged (the error code only) and the sign-in goes on. Every row added or
// changed is audit-logged by id, with the names of the fields that changed, never values.
import type { AppContext } from '../../../context.js';
import type { Db } from '../../../db/index.js';
import { loggableError } from '../../../db/errors.js';
import { AppError } from '../../../errors.js';
import { lockAccount } from '../identity.repository.js';
import type { EsiaClient, EsiaTokens } from './esia.client.js';
import { audit } from './esia.repository.js';
import type { EsiaPerson } from './esia.rules.js';
import { cardFileRows, insertKid, updateFromEsia } from './family.repository.js';
import { nameChanges, planFamily, type EsiaKid, type FamilyPlan } from './family.rules.js';

/** Where the family sync reports what it could not do (the request's logger): codes and counts only. */
export interface FamilyLog {
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
}

/** ЕСИА's children, or null when ЕСИА did not answer (logged). Only a trusted, registered account's. */
export async function readKids(
  client: EsiaClient,
  tokens: EsiaTokens,
  person: EsiaPerson,
  log: FamilyLog,
): Promise<EsiaKid[] | null> {
  if (!person.trusted || person.status !== 'Registered') return null;
  try {
    return await client.kids(tokens);
  } catch (err) {
    log.warn(
      { esiaKids: err instanceof AppError ? err.code : 'INTERNAL' },
      'esia children could not be read; the sign-in goes on without them',
    );
    return null;
  }
}

/**
 * Inside the caller's transaction: locks the account (two sign-ins at once merge one after
 * the other), copies the holder's names when ЕСИА's data is of the same real person (same
 * СНИЛС), and merges the children. Returns the plan applied (null: no children read).
 */
export async function applyFamily(
  db: Db,
  r: { accountId: string; person: EsiaPerson; kids: EsiaKid[] | null; now: Date },
): Promise<FamilyPlan | null> {
  const { accountId, person, now } = r;
  if (!person.trusted || person.status !== 'Registered') return null;
  if (!(await lockAccount(db, accountId))) return null;
  const rows = await cardFileRows(db, accountId);
  const main = rows.find((p) => p.isMain);
  if (main && person.snils !== null && main.snils === person.snils) {
    const changed = nameChanges(main, person);
    if (changed) {
      await updateFromEsia(db, accountId, main.id, changed, now);
      await audit(db, {
        accountId,
        action: 'person.esia_update',
        entityType: 'person',
        entityId: main.id,
        now,
        details: { fields: Object.keys(changed) },
      });
    }
  }
  if (r.kids === null) return null;
  const plan = planFamily(r.kids, rows);
  for (const { kid } of plan.insert) {
    const id = await insertKid(db, accountId, kid, now);
    await audit(db, { accountId, action: 'person.esia_kid_add', entityType: 'person', entityId: id, now });
  }
  for (const u of plan.update) {
    await updateFromEsia(db, accountId, u.personId, u.set, now);
    await audit(db, {
      accountId,
      action: 'person.esia_kid_update',
      entityType: 'person',
      entityId: u.personId,
      now,
      details: { fields: Object.keys(u.set) },
    });
  }
  return plan;
}

/**
 * At an ЕСИА sign-in to an account with a main person: reads the children, then merges them
 * and the holder's names in one transaction. A failure here is logged and swallowed: the
 * person signs in with the card file as it was.
 */
export async function syncFamily(
  ctx: AppContext,
  client: EsiaClient,
  r: { tokens: EsiaTokens; person: EsiaPerson; accountId: string; log: FamilyLog },
): Promise<void> {
  const kids = await readKids(client, r.tokens, r.person, r.log);
  try {
    const plan = await ctx.db.transaction((tx) =>
      applyFamily(tx, { accountId: r.accountId, person: r.person, kids, now: ctx.now() }),
    );
    if (plan && plan.skip.length > 0)
      r.log.info({ esiaKidsSkipped: plan.skip.map((s) => s.reason) }, 'esia children not added to the card file');
  } catch (err) {
    r.log.warn(loggableError(err), 'esia family not merged; the sign-in goes on');
  }
}
