// Use cases of the ЕСИА sign-in: start (login or link), the callback (state, code,
// token, person, the account rule) and completing a first sign-in's registration.
// Failures throw AppError(ESIA_*); a refused sign-in writes nothing but the used-up state.
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../../context.js';
import type { Db } from '../../../db/index.js';
import { pgError, UNIQUE_VIOLATION } from '../../../db/errors.js';
import { AppError, type ErrorCode } from '../../../errors.js';
import { enqueueEmail } from '../../notify/notify.service.js';
import { lockAccount } from '../identity.repository.js';
import { verifyPassword } from '../password.js';
import { hmac, type CurrentSession } from '../../session/session.js';
import type { EsiaClient, EsiaTokens } from './esia.client.js';
import { esiaLinkedEmail } from './esia.emails.js';
import {
  audit,
  confirmPendingMain,
  deleteRequestsExpiredBefore,
  findAccountFacts,
  findAccountFactsByOid,
  findLinkCandidates,
  insertEsiaAccount,
  insertMainPerson,
  insertRequest,
  isEmailTaken,
  lockRequest,
  markRequestUsed,
  passwordHashOf,
  setEsiaLink,
  type EsiaRequestRow,
} from './esia.repository.js';
import { decideAccount, REGISTRATION_LIFETIME_MS, REQUEST_LIFETIME_MS, type EsiaPerson } from './esia.rules.js';
import { applyFamily, readKids, syncFamily, type FamilyLog } from './family.service.js';
import type { PendingRegistration } from './esia.seal.js';

/** The HMAC that binds a request to the browser's cookie. */
export function browserHash(ctx: AppContext, browserToken: string): string {
  return hmac(ctx.config.sessionSecret, `esia-browser:${browserToken}`);
}

/** Signs the authorization request first (a failing signer writes nothing), then records the state. */
async function startRequest(
  ctx: AppContext,
  client: EsiaClient,
  r: { purpose: 'login' | 'link'; accountId: string | null; browserToken: string; returnTo: string | null },
): Promise<string> {
  const now = ctx.now();
  const state = randomUUID();
  const url = await client.authorizationUrl(state, now);
  await deleteRequestsExpiredBefore(ctx.db, new Date(now.getTime() - 86_400_000));
  await insertRequest(ctx.db, {
    state,
    purpose: r.purpose,
    accountId: r.accountId,
    browserHash: browserHash(ctx, r.browserToken),
    returnTo: r.returnTo,
    createdAt: now,
    expiresAt: new Date(now.getTime() + REQUEST_LIFETIME_MS),
  });
  return url;
}

export function startLogin(
  ctx: AppContext,
  client: EsiaClient,
  browserToken: string,
  returnTo: string | null,
): Promise<string> {
  return startRequest(ctx, client, { purpose: 'login', accountId: null, browserToken, returnTo });
}

/** Linking from the settings: the account holder re-enters the password first. */
export async function startLink(
  ctx: AppContext,
  client: EsiaClient,
  session: CurrentSession,
  password: string,
  browserToken: string,
): Promise<string> {
  if (session.role !== 'patient') throw new AppError('FORBIDDEN');
  const hash = await passwordHashOf(ctx.db, session.accountId);
  if (!hash) throw new AppError('ESIA_PASSWORD_NEEDED');
  if (!(await verifyPassword(hash, password))) throw new AppError('ESIA_PASSWORD_WRONG');
  const facts = await findAccountFacts(ctx.db, session.accountId);
  if (!facts) throw new AppError('NOT_AUTHENTICATED');
  if (facts.esiaOid !== null) throw new AppError('ESIA_OTHER_LINKED');
  return startRequest(ctx, client, { purpose: 'link', accountId: session.accountId, browserToken, returnTo: null });
}

export interface CallbackQuery {
  state?: string;
  code?: string;
  error?: string;
}

export type CallbackOutcome =
  | { kind: 'signed-in'; accountId: string; returnTo: string | null }
  | { kind: 'linked'; accountId: string }
  | { kind: 'register'; pending: PendingRegistration };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Uses the request named by the state exactly once: unknown, used, expired, or started
 * in another browser (or, for a link, by another signed-in account) is refused. The row
 * is marked used before anything else, so a replayed answer is refused even when the
 * first attempt failed later on.
 */
async function consumeRequest(
  ctx: AppContext,
  state: string | undefined,
  browserToken: string | undefined,
  sessionAccountId: string | null,
) {
  if (!state || !UUID.test(state)) throw new AppError('ESIA_STATE_INVALID');
  const now = ctx.now();
  const outcome = await ctx.db.transaction(async (tx): Promise<{ row: EsiaRequestRow } | { error: ErrorCode }> => {
    const row = await lockRequest(tx, state);
    if (!row) return { error: 'ESIA_STATE_INVALID' };
    if (row.usedAt) return { error: 'ESIA_STATE_USED' };
    await markRequestUsed(tx, state, now);
    if (row.expiresAt.getTime() <= now.getTime()) return { error: 'ESIA_REQUEST_EXPIRED' };
    if (!browserToken || browserHash(ctx, browserToken) !== row.browserHash) return { error: 'ESIA_BROWSER_MISMATCH' };
    if (row.purpose === 'link' && row.accountId !== sessionAccountId) return { error: 'ESIA_BROWSER_MISMATCH' };
    return { row };
  });
  if ('error' in outcome) throw new AppError(outcome.error);
  return outcome.row;
}

async function pendingFor(
  ctx: AppContext,
  client: EsiaClient,
  tokens: EsiaTokens,
  person: EsiaPerson,
  accountId: string | null,
  returnTo: string | null,
  log: FamilyLog,
): Promise<PendingRegistration> {
  const contacts = await client.contacts(tokens);
  // The children join the card file when the registration completes (the token is not kept).
  const kids = await readKids(client, tokens, person, log);
  return {
    oid: tokens.oid,
    accountId,
    person,
    email: contacts.email,
    phone: contacts.phone,
    kids,
    returnTo,
    expiresAt: ctx.now().getTime() + REGISTRATION_LIFETIME_MS,
  };
}

function mapLinkConflict(err: unknown): never {
  const pg = pgError(err);
  if (pg?.code === UNIQUE_VIOLATION && pg.constraint === 'accounts_esia_oid_key')
    throw new AppError('ESIA_ALREADY_LINKED');
  throw err;
}

/** Links the oid to the account (re-checked under the account's lock), confirms a matching pending main person, e-mails the holder. */
async function applyLink(
  ctx: AppContext,
  d: { accountId: string; oid: string; notify: boolean; confirmMain: boolean },
): Promise<void> {
  const now = ctx.now();
  try {
    await ctx.db.transaction(async (tx) => {
      const account = await lockAccount(tx, d.accountId);
      if (!account) throw new AppError('NOT_AUTHENTICATED');
      if (account.esiaOid !== null && account.esiaOid !== d.oid) throw new AppError('ESIA_OTHER_LINKED');
      await setEsiaLink(tx, d.accountId, d.oid, now);
      if (d.notify)
        await audit(tx, {
          accountId: d.accountId,
          action: 'account.esia_link',
          entityType: 'account',
          entityId: d.accountId,
          now,
        });
      if (d.confirmMain) {
        const personId = await confirmPendingMain(tx, d.accountId, now);
        if (personId)
          await audit(tx, {
            accountId: d.accountId,
            action: 'person.confirm_esia',
            entityType: 'person',
            entityId: personId,
            now,
          });
      }
      if (d.notify && account.email) await notifyLinked(ctx, tx, d.accountId, account.email, now);
    });
  } catch (err) {
    mapLinkConflict(err);
  }
}

async function notifyLinked(ctx: AppContext, tx: Db, accountId: string, to: string, now: Date): Promise<void> {
  const mail = esiaLinkedEmail(ctx.config.publicUrl);
  await enqueueEmail(tx, { accountId, kind: 'esia_linked', dedupKey: `esia_linked:${accountId}`, to, ...mail }, now);
}

export async function handleCallback(
  ctx: AppContext,
  client: EsiaClient,
  r: { query: CallbackQuery; browserToken: string | undefined; sessionAccountId: string | null; log: FamilyLog },
): Promise<CallbackOutcome> {
  const request = await consumeRequest(ctx, r.query.state, r.browserToken, r.sessionAccountId);
  if (r.query.error) throw new AppError(r.query.error === 'access_denied' ? 'ESIA_DENIED' : 'ESIA_REFUSED');
  if (!r.query.code || r.query.code.length > 2_000) throw new AppError('ESIA_REFUSED');

  const tokens = await client.exchangeCode(r.query.code, ctx.now());
  // Re-read at every sign-in: a deleted account or changed data is noticed.
  const person = await client.person(tokens);
  const linked = await findAccountFactsByOid(ctx.db, tokens.oid);

  if (request.purpose === 'link') {
    const account = request.accountId ? await findAccountFacts(ctx.db, request.accountId) : null;
    if (!account) throw new AppError('NOT_AUTHENTICATED');
    const d = decideAccount({ purpose: 'link', person, linked, account });
    if (d.kind === 'refuse') throw new AppError(d.code);
    if (d.kind !== 'link') throw new AppError('INTERNAL');
    await applyLink(ctx, { accountId: d.accountId, oid: tokens.oid, notify: d.notify, confirmMain: d.confirmMain });
    if (d.complete)
      return {
        kind: 'register',
        pending: await pendingFor(ctx, client, tokens, person, d.accountId, '/settings', r.log),
      };
    return { kind: 'linked', accountId: d.accountId };
  }

  if (linked && linked.role !== 'patient') {
    // Staff accounts never sign in through ЕСИА (their sessions are e-mail and password).
    throw new AppError('FORBIDDEN');
  }
  const candidates =
    !linked && person.trusted && person.snils && person.status === 'Registered'
      ? await findLinkCandidates(ctx.db, person.snils, person.birthDate)
      : [];
  const d = decideAccount({ purpose: 'login', person, linked, candidates });
  switch (d.kind) {
    case 'refuse':
      throw new AppError(d.code);
    case 'sign-in':
      if (linked && linked.main === null) {
        return {
          kind: 'register',
          pending: await pendingFor(ctx, client, tokens, person, linked.id, request.returnTo, r.log),
        };
      }
      await syncFamily(ctx, client, { tokens, person, accountId: d.accountId, log: r.log });
      return { kind: 'signed-in', accountId: d.accountId, returnTo: request.returnTo };
    case 'link':
      await applyLink(ctx, { accountId: d.accountId, oid: tokens.oid, notify: d.notify, confirmMain: d.confirmMain });
      await syncFamily(ctx, client, { tokens, person, accountId: d.accountId, log: r.log });
      return { kind: 'signed-in', accountId: d.accountId, returnTo: request.returnTo };
    case 'register':
      return {
        kind: 'register',
        pending: await pendingFor(ctx, client, tokens, person, null, request.returnTo, r.log),
      };
  }
}

/** Whether the main person made from this registration is confirmed without a moderator. */
export function registrationConfirms(pending: PendingRegistration): boolean {
  return pending.person.trusted && pending.person.snils !== null;
}

/**
 * Completes a first sign-in: the main person from ЕСИА's data plus the полис (and the
 * СНИЛС when ЕСИА had none), in a new account keyed on the oid or in the linked account
 * that had no main person yet. Returns the account to start the ЕСИА session for.
 */
export async function completeRegistration(
  ctx: AppContext,
  pending: PendingRegistration,
  input: { policy: string; snils: string | null; phone: string | null },
): Promise<string> {
  const now = ctx.now();
  const snils = pending.person.snils ?? input.snils;
  if (!snils) throw new AppError('VALIDATION_FAILED');
  const status = registrationConfirms(pending) ? 'confirmed' : 'pending';
  const p = pending.person;
  const data = {
    lastName: p.lastName,
    firstName: p.firstName,
    middleName: p.middleName,
    birthDate: p.birthDate,
    sex: p.sex,
    snils,
    policy: input.policy,
    phone: input.phone ?? pending.phone,
    status,
    now,
  } as const;
  try {
    return await ctx.db.transaction(async (tx) => {
      let accountId: string;
      if (pending.accountId) {
        const account = await lockAccount(tx, pending.accountId);
        if (!account || account.esiaOid !== pending.oid) throw new AppError('ESIA_REGISTRATION_EXPIRED');
        const facts = await findAccountFacts(tx, pending.accountId);
        if (facts?.main) throw new AppError('MAIN_PERSON_EXISTS');
        accountId = pending.accountId;
      } else {
        if (await findAccountFactsByOid(tx, pending.oid)) throw new AppError('ESIA_ALREADY_LINKED');
        const email = pending.email && !(await isEmailTaken(tx, pending.email)) ? pending.email : null;
        accountId = await insertEsiaAccount(tx, { oid: pending.oid, email, now });
      }
      const personId = await insertMainPerson(tx, { accountId, ...data });
      if (status === 'confirmed')
        await audit(tx, { accountId, action: 'person.confirm_esia', entityType: 'person', entityId: personId, now });
      // The children read at the callback join the new card file in the same transaction.
      if (pending.kids) await applyFamily(tx, { accountId, person: pending.person, kids: pending.kids, now });
      return accountId;
    });
  } catch (err) {
    return mapLinkConflict(err);
  }
}

/** Whether the account has ЕСИА linked (for the settings page). */
export { accountLink } from './esia.repository.js';
