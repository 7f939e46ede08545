// Accounts: e-mail sign-up with a confirmation link, login, password recovery.
// Nothing here reveals whether an address is registered: sign-up and recovery answer
// the same either way, and the difference only shows in the mailbox of the address.
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { enqueueEmail } from '../notify/notify.service.js';
import {
  confirmAccountEmail,
  deleteSessionByHash,
  findAccountByEmail,
  findAccountById,
  insertAccount,
  insertEmailToken,
  lockEmailToken,
  markAccountTokensUsed,
  markTokenUsed,
  setPasswordHash,
} from './identity.repository.js';
import { passwordResetEmail, signupConfirmEmail, signupExistingEmail } from './identity.emails.js';
import { isTokenUsable, tokenExpiry, tokenTag, type TokenPurpose } from './identity.rules.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.js';
import { endAllSessions, hmac, mainPersonStatus, randomToken, type AccountRole, type AuthMethod } from './session.js';
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

/** Creates a one-time token; only its HMAC is stored. Returns the raw token for the link. */
async function issueToken(
  ctx: AppContext,
  db: Db,
  accountId: string,
  purpose: TokenPurpose,
  now: Date,
): Promise<{ token: string; tokenHash: string }> {
  const token = randomToken();
  const tokenHash = hmac(ctx.config.sessionSecret, token);
  await insertEmailToken(db, { tokenHash, accountId, purpose, expiresAt: tokenExpiry(purpose, now), createdAt: now });
  return { token, tokenHash };
}

/**
 * Sign-up. A new address gets an unconfirmed account and a confirmation link; a
 * registered one gets a letter explaining how to restore the password (its password
 * is not changed, so nobody can take over an address by signing up again).
 */
export async function signUp(ctx: AppContext, email: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const accountId = await insertAccount(tx, { email, passwordHash, createdAt: now });
    if (accountId) {
      const { token, tokenHash } = await issueToken(ctx, tx, accountId, 'confirm', now);
      const mail = signupConfirmEmail(ctx.config.publicUrl, token);
      await enqueueEmail(
        tx,
        { accountId, kind: 'signup_confirm', dedupKey: `signup_confirm:${tokenTag(tokenHash)}`, to: email, ...mail },
        now,
      );
      return;
    }
    const existing = await findAccountByEmail(tx, email);
    if (!existing) return;
    const mail = signupExistingEmail(ctx.config.publicUrl);
    await enqueueEmail(
      tx,
      {
        accountId: existing.id,
        kind: 'signup_existing',
        dedupKey: `signup_existing:${existing.id}:${randomToken(9)}`,
        to: existing.email ?? email,
        ...mail,
      },
      now,
    );
  });
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

/** Sends a password-reset link when the address is registered; silent otherwise. */
export async function requestPasswordReset(ctx: AppContext, email: string): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const account = await findAccountByEmail(tx, email);
    if (!account) return;
    const { token, tokenHash } = await issueToken(ctx, tx, account.id, 'reset', now);
    const mail = passwordResetEmail(ctx.config.publicUrl, token);
    await enqueueEmail(
      tx,
      {
        accountId: account.id,
        kind: 'password_reset',
        dedupKey: `password_reset:${tokenTag(tokenHash)}`,
        to: account.email ?? email,
        ...mail,
      },
      now,
    );
  });
}

/**
 * Uses a reset link: sets the new password, confirms the address (the holder has
 * just proved they read its mail), uses up every other reset link and ends every session.
 */
export async function resetPassword(ctx: AppContext, token: string, password: string): Promise<void> {
  const now = ctx.now();
  const tokenHash = hmac(ctx.config.sessionSecret, token);
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
export async function sessionAccountView(ctx: AppContext, accountId: string, authMethod: AuthMethod): Promise<SessionAccountView> {
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
