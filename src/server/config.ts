// Environment parsed and validated once. Nothing else in the code reads process.env.
import { createECDH } from 'node:crypto';
import { z } from 'zod';

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** PostgreSQL URL; when absent the embedded PGlite database in dataDir is used. */
  databaseUrl: string | null;
  dataDir: string;
  sessionSecret: string;
  publicUrl: string;
  smtpUrl: string | null;
  mailFrom: string;
  /** Demo mode: demo data is loaded into an empty database; dev mailbox is available. */
  demo: boolean;
  logLevel: string;
  /** Secure cookies (HTTPS only); on in production. */
  secureCookies: boolean;
  /** Rate-limit settings; tests raise them. */
  rateLimit: { loginPerMinute: number; bookingPerMinute: number };
  /** Start the background worker (outbox, template expansion) inside this process. */
  worker: boolean;
  /**
   * Web Push (VAPID) keys from the environment. Null: push is off, except in demo mode,
   * where a key pair is generated once and kept in the database (notify/vapid.ts).
   */
  vapid: VapidKeys | null;
  /** Accept push endpoints on plain http or an IP address (development and tests only). */
  pushAllowLocalEndpoints: boolean;
}

export interface VapidKeys {
  /** Uncompressed P-256 public key, base64url (87 characters). */
  publicKey: string;
  /** P-256 private key, base64url (43 characters). */
  privateKey: string;
  /** mailto: or https: contact of the portal's operator, sent to push services. */
  subject: string;
}

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres://').optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  PUBLIC_URL: z.string().url().optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).default('Приём <no-reply@priyom.local>'),
  DEMO: bool.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  BOOKING_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  WORKER: bool.optional(),
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{87}$/, 'must be an uncompressed P-256 public key in base64url (87 characters)')
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'must be a P-256 private key in base64url (43 characters)')
    .optional(),
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/, 'must be mailto:address or an https:// URL')
    .optional(),
});

/** The VAPID settings: all three or none; the public key must belong to the private one. */
function vapidOf(e: { VAPID_PUBLIC_KEY?: string; VAPID_PRIVATE_KEY?: string; VAPID_SUBJECT?: string }, problems: string[]): VapidKeys | null {
  const given = {
    VAPID_PUBLIC_KEY: e.VAPID_PUBLIC_KEY,
    VAPID_PRIVATE_KEY: e.VAPID_PRIVATE_KEY,
    VAPID_SUBJECT: e.VAPID_SUBJECT,
  };
  const missing = Object.entries(given).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length === 3) return null;
  if (missing.length > 0) {
    for (const k of missing) problems.push(`${k}: Web Push needs VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT together`);
    return null;
  }
  const keys = { publicKey: e.VAPID_PUBLIC_KEY!, privateKey: e.VAPID_PRIVATE_KEY!, subject: e.VAPID_SUBJECT! };
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(keys.privateKey, 'base64url'));
    if (ecdh.getPublicKey().toString('base64url') !== keys.publicKey) {
      problems.push('VAPID_PUBLIC_KEY: does not belong to VAPID_PRIVATE_KEY');
    }
  } catch {
    problems.push('VAPID_PRIVATE_KEY: not a valid P-256 private key');
  }
  return keys;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const DEV_SECRET = 'development-only-secret-do-not-use-in-production-0000';

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production) {
    if (!e.DATABASE_URL) problems.push('DATABASE_URL: required in production (postgres://user:pass@host:5432/db)');
    if (!e.SESSION_SECRET) problems.push('SESSION_SECRET: required in production (at least 32 random characters)');
    if (!e.SMTP_URL) problems.push('SMTP_URL: required in production (smtp://user:pass@host:587)');
    if (e.DEMO) problems.push('DEMO: demo data is never loaded in production; remove DEMO');
  }
  const vapid = vapidOf(e, problems);
  if (problems.length) throw new ConfigError(problems);
  const port = e.PORT;
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port,
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir: e.DATA_DIR,
    sessionSecret: e.SESSION_SECRET ?? DEV_SECRET,
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST}:${port}`).replace(/\/$/, ''),
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
    demo: production ? false : (e.DEMO ?? true),
    logLevel: e.LOG_LEVEL,
    secureCookies: production,
    rateLimit: { loginPerMinute: e.LOGIN_RATE_PER_MINUTE, bookingPerMinute: e.BOOKING_RATE_PER_MINUTE },
    worker: e.WORKER ?? true,
    vapid,
    pushAllowLocalEndpoints: !production,
  };
}
