// The worker's half of sign-up and password recovery. The requests only validate and
// enqueue a job (identity.service.ts), so their answer is the same, and takes the same time,
// whether or not the address is registered; the lookup happens here, and the difference
// shows only in the mailbox of the address: a confirmation link for a new address, a
// "someone tried to sign up with your address" letter for a registered one, a reset link
// for a registered one and nothing for an unknown one.
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { enqueueEmail } from '../notify/notify.service.js';
import type { JobHandlers } from '../notify/jobs.worker.js';
import { passwordResetEmail, signupConfirmEmail, signupExistingEmail } from './identity.emails.js';
import { findAccountByEmail, insertAccount, insertEmailToken } from './identity.repository.js';
import { tokenExpiry, tokenTag, type TokenPurpose } from './identity.rules.js';
import { hmac, randomToken } from '../session/session.js';

export const SIGNUP_JOB = 'signup';
export const PASSWORD_RESET_JOB = 'password_reset';

/** A sign-up job: the address (normalised by the request's schema) and the password's Argon2 hash. */
export const signupJobPayload = z.object({ email: z.string().min(3), passwordHash: z.string().startsWith('$argon2') });
export const resetJobPayload = z.object({ email: z.string().min(3) });

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
 * A new address gets an unconfirmed account and a confirmation link; a registered one gets
 * a letter saying someone tried to sign up with it and how to restore the password (its
 * password is not changed, so nobody can take over an address by signing up again).
 */
async function runSignup(
  ctx: AppContext,
  tx: Db,
  job: { id: number; payload: Record<string, unknown> },
): Promise<void> {
  const { email, passwordHash } = signupJobPayload.parse(job.payload);
  const now = ctx.now();
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
      dedupKey: `signup_existing:job:${job.id}`,
      to: existing.email ?? email,
      ...mail,
    },
    now,
  );
}

/** Sends a password-reset link when the address is registered; nothing otherwise. */
async function runPasswordReset(
  ctx: AppContext,
  tx: Db,
  job: { id: number; payload: Record<string, unknown> },
): Promise<void> {
  const { email } = resetJobPayload.parse(job.payload);
  const now = ctx.now();
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
}

/** The identity module's jobs, by kind, for the worker (src/server/worker.ts). */
export const identityJobHandlers: JobHandlers = {
  [SIGNUP_JOB]: runSignup,
  [PASSWORD_RESET_JOB]: runPasswordReset,
};
