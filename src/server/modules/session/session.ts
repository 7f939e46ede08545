// Sessions (HttpOnly SameSite cookie holding a random token; the database keeps only
// its HMAC), CSRF protection and the guards. The CSRF token is an HMAC of what identifies
// this browser to the server: its session cookie, or before sign-in a random pre-session id
// in its own HttpOnly cookie. So it changes at sign-in and sign-out, and a token read from
// one browser or session is worth nothing in another. The web app reads it from a cookie
// (priyom_csrf, not HttpOnly) and sends it back in the X-CSRF-Token header.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../../errors.js';
import type { AppContext } from '../../context.js';
import { accounts, persons, sessions } from '../../db/schema.js';
import { batcherPerDb, QueryBatcher } from '../../db/batch.js';
import type { Db } from '../../db/index.js';
import { preparedSql } from '../../db/prepared.js';

export const SESSION_COOKIE = 'priyom_session';
export const CSRF_COOKIE = 'priyom_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** Before sign-in: the random id the CSRF token is bound to (HttpOnly). */
export const PRESESSION_COOKIE = 'priyom_presession';
const PRESESSION_FORMAT = /^[A-Za-z0-9_-]{32,64}$/;
const SESSION_DAYS = 14;

export type AuthMethod = 'password' | 'esia';
/** Roles that can sign in (the clinic register's `system` account cannot). */
export type AccountRole = 'patient' | 'moderator' | 'operator' | 'registrar' | 'doctor' | 'clinic_admin';

export interface CurrentSession {
  accountId: string;
  /** Null for an account made through ЕСИА without an e-mail. */
  email: string | null;
  role: AccountRole;
  authMethod: AuthMethod;
  /** Staff (registrar, doctor, clinic_admin): the organisation they work for. */
  organisationId: number | null;
  /** Staff (doctor): the doctor this account is. */
  doctorId: number | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    session: CurrentSession | null;
  }
}

export function hmac(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('base64url');
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Creates a session row, sets the cookie and the session's new CSRF token (returned). */
export async function startSession(
  ctx: AppContext,
  reply: FastifyReply,
  accountId: string,
  authMethod: AuthMethod,
  db: Db = ctx.db,
): Promise<string> {
  const token = randomToken();
  const expiresAt = new Date(ctx.now().getTime() + SESSION_DAYS * 86_400_000);
  await db.insert(sessions).values({ idHash: hmac(ctx.config.sessionSecret, token), accountId, authMethod, expiresAt });
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.secureCookies,
    expires: expiresAt,
  });
  return setCsrfCookie(ctx, reply, csrfTokenFor(ctx, { session: token }));
}

/** Ends this browser's session; it gets a new pre-session id and CSRF token (returned). */
export async function endSession(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<string> {
  const token = request.cookies[SESSION_COOKIE];
  if (token) await ctx.db.delete(sessions).where(eq(sessions.idHash, hmac(ctx.config.sessionSecret, token)));
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  return setCsrfCookie(ctx, reply, csrfTokenFor(ctx, { presession: newPresession(ctx, reply) }));
}

/** Ends every session of an account (after a password reset). */
export async function endAllSessions(db: Db, accountId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.accountId, accountId));
}

export type CsrfBinding = { session: string } | { presession: string };

/** What this request's CSRF token must be bound to: its session cookie, else its pre-session id. */
function csrfBindingOf(request: FastifyRequest): CsrfBinding | null {
  const session = request.cookies[SESSION_COOKIE];
  if (session) return { session };
  const presession = request.cookies[PRESESSION_COOKIE];
  if (presession && PRESESSION_FORMAT.test(presession)) return { presession };
  return null;
}

/** The CSRF token of a session or a pre-session id: HMAC with the session secret. */
export function csrfTokenFor(ctx: AppContext, binding: CsrfBinding): string {
  return csrfTokenOf(ctx.config.sessionSecret, binding);
}

/** The same with the secret given (the benchmark signs its browsers' sessions with it). */
export function csrfTokenOf(secret: string, binding: CsrfBinding): string {
  const subject = 'session' in binding ? `session:${binding.session}` : `presession:${binding.presession}`;
  return hmac(secret, `csrf:${subject}`);
}

function setCsrfCookie(ctx: AppContext, reply: FastifyReply, token: string): string {
  reply.setCookie(CSRF_COOKIE, token, {
    path: '/',
    httpOnly: false,
    sameSite: 'strict',
    secure: ctx.config.secureCookies,
  });
  return token;
}

function newPresession(ctx: AppContext, reply: FastifyReply): string {
  const id = randomToken(32);
  reply.setCookie(PRESESSION_COOKIE, id, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.secureCookies,
  });
  return id;
}

/**
 * The CSRF token of this browser (its session's, or before sign-in its pre-session id's,
 * which is made here when missing); sets the cookie when it holds anything else.
 */
export function ensureCsrfToken(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): string {
  const binding = csrfBindingOf(request) ?? { presession: newPresession(ctx, reply) };
  const token = csrfTokenFor(ctx, binding);
  if (request.cookies[CSRF_COOKIE] !== token) setCsrfCookie(ctx, reply, token);
  return token;
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// The session lookup runs on every signed-in request: a named prepared statement (parsed and
// planned once per PostgreSQL connection), batched (db/batch.ts): lookups that arrive while
// one is in flight go together in the next, each sent after its request arrived, so a
// session ended on any server process is refused at once.
interface SessionRow {
  i: number;
  account_id: string;
  auth_method: string;
  email: string | null;
  role: string;
  organisation_id: number | null;
  doctor_id: number | null;
}
const sessionLookup = preparedSql<SessionRow>(
  'session_lookup',
  sql`select k.i::int as i, s.account_id, s.auth_method, a.email, a.role, a.organisation_id, a.doctor_id
        from unnest(${sql.placeholder('hashes')}::text[], ${sql.placeholder('nows')}::timestamptz[]) with ordinality as k(id_hash, now, i)
        join sessions s on s.id_hash = k.id_hash and s.expires_at > k.now
        join accounts a on a.id = s.account_id`,
);
const sessionBatcher = batcherPerDb(
  (db: Db) =>
    new QueryBatcher<{ idHash: string; now: string }, SessionRow | null>(async (keys) => {
      const out: (SessionRow | null)[] = keys.map(() => null);
      const rows = await sessionLookup.rows(db, { hashes: keys.map((k) => k.idHash), nows: keys.map((k) => k.now) });
      for (const r of rows) out[Number(r.i) - 1] = r;
      return out;
    }),
);

/** Decorates every request with its session and enforces CSRF on state-changing /api calls. */
export const sessionPlugin = fp<{ ctx: AppContext; csrfExempt?: (url: string) => boolean }>(
  async (app: FastifyInstance, { ctx, csrfExempt }) => {
    app.decorateRequest('session', null);
    app.addHook('onRequest', async (request) => {
      const url = request.url;
      if (!url.startsWith('/api/')) return;
      if (UNSAFE.has(request.method) && !(csrfExempt?.(url) ?? false)) {
        const binding = csrfBindingOf(request);
        const header = request.headers[CSRF_HEADER];
        if (!binding || typeof header !== 'string' || !safeEqual(csrfTokenFor(ctx, binding), header))
          throw new AppError('CSRF_FAILED');
      }
      const token = request.cookies[SESSION_COOKIE];
      if (!token) return;
      const row = await sessionBatcher(ctx.db).load({
        idHash: hmac(ctx.config.sessionSecret, token),
        now: ctx.now().toISOString(),
      });
      if (row && row.role !== 'system') {
        request.session = {
          accountId: row.account_id,
          email: row.email,
          role: row.role as AccountRole,
          authMethod: row.auth_method as AuthMethod,
          organisationId: row.organisation_id,
          doctorId: row.doctor_id,
        };
      }
    });
  },
  { name: 'priyom-session' },
);

/** Guard: a signed-in account. */
export function requireSession(request: FastifyRequest): CurrentSession {
  if (!request.session) throw new AppError('NOT_AUTHENTICATED');
  return request.session;
}

/** Guard: a signed-in account with one of the roles. */
export function requireRole(request: FastifyRequest, ...roles: AccountRole[]): CurrentSession {
  const session = requireSession(request);
  if (!roles.includes(session.role)) throw new AppError('FORBIDDEN');
  return session;
}

/** Status of the account's main person, or null before personal data is entered. */
export async function mainPersonStatus(
  db: Db,
  accountId: string,
): Promise<'pending' | 'confirmed' | 'rejected' | null> {
  const rows = await db
    .select({ status: persons.status })
    .from(persons)
    .where(and(eq(persons.accountId, accountId), eq(persons.isMain, true)))
    .limit(1);
  return (rows[0]?.status as 'pending' | 'confirmed' | 'rejected' | undefined) ?? null;
}
