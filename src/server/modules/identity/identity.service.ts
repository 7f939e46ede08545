// Accounts: e-mail sign-up with a confirmation link, login, password recovery.
// Nothing here reveals whether an address is registered: sign-up and recovery only enqueue
// a job and answer the same either way; the worker's half (identity.jobs.ts) looks the
// address up, and the difference only shows in the mailbox of the address.
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { enqueueJob } from '../notify/notify.service.js';
import {
  confirmAccountEmail,
  deleteSessionByHash,
  findAccountByEmail,
  findAccountById,
  findTokenAccountFacts,
  lockEmailToken,
  markAccountTokensUsed,
  markTokenUsed,
  setPasswordHash,
} from './identity.repository.js';
import { PASSWORD_RESET_JOB, SIGNUP_JOB } from './identity.jobs.js';
import { isTokenUsable } from './identity.rules.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.js';
import { passwordRefusal, passwordUserInputs } from './password.strength.js';
import { endAllSessions, hmac, mainPersonStatus, type AccountRole, type AuthMethod } from '../session/session.js';
import type { Db } from '../../db/index.js';

export interface SessionAccountView {
  id: string;
  email: string | null;
  role: AccountRole;
  authMethod: AuthMethod;
  organisationId: number | null;
  doctorId: number | null;
  mainPersonStatus: 'pending' | 'confirmed' | 'rejected' | null;
}

/**
 * Sign-up. Validated by the route; here the password is hashed (Argon2, the slow part,
 * done for every address alike) and a job is enqueued: the worker creates the account and
 * sends the confirmation link, or tells the holder of a registered address that someone
 * tried to sign up with it (identity.jobs.ts). Nothing here reads the accounts, so the
 * answer and its timing are the same whether or not the address is registered.
 */
export async function signUp(ctx: AppContext, email: string, password: string): Promise<void> {
  // The strength check reads nothing but the form: it says nothing about the address either.
  assertPasswordAllowed(password, passwordUserInputs({ email }));
  const passwordHash = await hashPassword(password);
  await enqueueJob(ctx.db, { kind: SIGNUP_JOB, payload: { email, passwordHash } }, ctx.now());
}

/** Refuses a common or guessable new password, saying why (field: password). */
function assertPasswordAllowed(password: string, userInputs: string[]): void {
  const refusal = passwordRefusal(password, userInputs);
  if (refusal) throw new AppError(refusal, { field: 'password' });
}

/** Uses a confirmation link: the address is confirmed; returns the account to sign in. */
export async function confirmEmail(ctx: AppContext, token: string): Promise<string> {
  const now = ctx.now();
  const tokenHash = hmac(ctx.config.sessionSecret, token);
  return ctx.db.transaction(async (tx) => {
    const row = await lockEmailToken(tx, tokenHash);
    if (!row || !isTokenUsable(row, 'confirm', now)) throw new AppError('TOKEN_INVALID');
    await markTokenUsed(tx, tokenHash, now);
    await confirmAccountEmail(tx, row.accountId, now);
    return row.accountId;
  });
}

/**
 * Checks e-mail and password; returns the account id. Unknown addresses are verified
 * against a dummy hash so that both failures take the same time and look the same.
 */
export async function logIn(ctx: AppContext, email: string, password: string): Promise<string> {
  const account = await findAccountByEmail(ctx.db, email);
  const ok = await verifyPassword(account?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!account || !account.passwordHash || !ok) throw new AppError('INVALID_CREDENTIALS');
  if (!account.emailConfirmedAt) throw new AppError('EMAIL_NOT_CONFIRMED');
  return account.id;
}

/**
 * Password recovery: enqueues a job and nothing else; the worker sends the link when the
 * address is registered (identity.jobs.ts). Same answer, same work, for every address.
 */
export async function requestPasswordReset(ctx: AppContext, email: string): Promise<void> {
  await enqueueJob(ctx.db, { kind: PASSWORD_RESET_JOB, payload: { email } }, ctx.now());
}

/**
 * Uses a reset link: sets the new password, confirms the address (the holder has
 * just proved they read its mail), uses up every other reset link and ends every session.
 */
export async function resetPassword(ctx: AppContext, token: string, password: string): Promise<void> {
  const now = ctx.now();
  const tokenHash = hmac(ctx.config.sessionSecret, token);
  const facts = await findTokenAccountFacts(ctx.db, tokenHash);
  if (!facts) throw new AppError('TOKEN_INVALID');
  assertPasswordAllowed(password, passwordUserInputs(facts));
  // Hash outside the transaction: Argon2 is slow and must not hold row locks.
  const passwordHash = await hashPassword(password);
  await ctx.db.transaction(async (tx) => {
    const row = await lockEmailToken(tx, tokenHash);
    if (!row || !isTokenUsable(row, 'reset', now)) throw new AppError('TOKEN_INVALID');
    await markAccountTokensUsed(tx, row.accountId, 'reset', now);
    await setPasswordHash(tx, row.accountId, passwordHash);
    await confirmAccountEmail(tx, row.accountId, now);
    await endAllSessions(tx, row.accountId);
  });
}

/** What the web app needs to know about the signed-in account. */
export async function sessionAccountView(
  ctx: AppContext,
  accountId: string,
  authMethod: AuthMethod,
): Promise<SessionAccountView> {
  const account = await findAccountById(ctx.db, accountId);
  if (!account) throw new AppError('NOT_AUTHENTICATED');
  return {
    id: account.id,
    email: account.email,
    role: account.role as AccountRole,
    authMethod,
    organisationId: account.organisationId,
    doctorId: account.doctorId,
    mainPersonStatus: await mainPersonStatus(ctx.db, account.id),
  };
}

/** Forgets a browser's earlier session before a new sign-in (no session fixation). */
export async function dropPreviousSession(ctx: AppContext, sessionToken: string): Promise<void> {
  await deleteSessionByHash(ctx.db, hmac(ctx.config.sessionSecret, sessionToken));
}
