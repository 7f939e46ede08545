// Environment parsed and validated once. Nothing else in the code reads process.env.
import { createECDH } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** PostgreSQL URL; when absent the embedded PGlite database in dataDir is used. */
  databaseUrl: string | null;
  /** PostgreSQL connections per pool (two pools per process: queries, and bookings in pipeline mode). */
  databasePoolSize: number;
  /** How long opening a PostgreSQL connection may take before the request gets 503 (ms). */
  databaseConnectTimeoutMs: number;
  /**
   * How far V8 lets the JavaScript heap grow past what the last full collection kept before
   * the next one, in per cent (V8's --heap-growing-percent); 0 leaves it to V8's heuristic.
   */
  heapGrowingPercent: number;
  /** Booking groups one process runs at once (null: as many as the machine's cores); booking.group.ts. */
  bookingGroups: number | null;
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
  /**
   * Which proxies' X-Forwarded-For / -Proto / -Host are believed (Fastify's trustProxy): false
   * (none, the default), true (any), a hop count, or proxy addresses and CIDR ranges. The
   * client address rate limits count by is request.ip as derived with this setting.
   */
  trustProxy: boolean | number | string[];
  /**
   * Rate-limit settings per minute; tests raise them. waitlist: joining the waitlist; token:
   * e-mail confirmation and password-reset links checked (guessing); patient: every other
   * change a patient makes (card file, cancelling, offers, notifications, push) - rate-limits.ts.
   */
  rateLimit: {
    loginPerMinute: number;
    bookingPerMinute: number;
    integrationPerMinute: number;
    waitlistPerMinute: number;
    tokenPerMinute: number;
    patientPerMinute: number;
  };
  /** Start the background worker (outbox, template expansion) inside this process. */
  worker: boolean;
  /**
   * Web Push (VAPID) keys from the environment. Null: push is off, except in demo mode,
   * where a key pair is generated once and kept in the database (notify/vapid.ts).
   */
  vapid: VapidKeys | null;
  /** Accept push endpoints on plain http or an IP address (development and tests only). */
  pushAllowLocalEndpoints: boolean;
  /** Sign-in through ЕСИА (Госуслуги); null when it is off. */
  esia: EsiaConfig | null;
  /** The integration API's webhooks (channels/integration/webhooks/). */
  webhooks: WebhookConfig;
  /**
   * Redis for the rate limits and the kiosk's attempt counters shared by every instance
   * (shared-limits.ts); null keeps them in this process.
   */
  redisUrl: string | null;
  /** Prefix of every Redis key this portal writes (several portals or tests may share one Redis). */
  redisKeyPrefix: string;
  /** Bearer token that opens /metrics; null: /metrics exists only on metricsPort, if set. */
  metricsToken: string | null;
  /** A separate port (on host) serving only /metrics, without a token; null: none. */
  metricsPort: number | null;
  /**
   * Named prepared statements on PostgreSQL (db/prepared.ts, drizzle's .prepare(name)). Off for
   * a PgBouncer in transaction mode older than 1.21, which cannot keep them (deploy/README).
   */
  databasePreparedStatements: boolean;
  /**
   * Where migrations run (they hold a session advisory lock): PostgreSQL itself when
   * DATABASE_URL goes through PgBouncer in transaction mode. Null: DATABASE_URL.
   */
  migrationDatabaseUrl: string | null;
  /** At SIGTERM: how long /readyz says not-ready while requests are still served, before the server stops taking them (ms). */
  shutdownDelayMs: number;
}

export interface WebhookConfig {
  /** Plain http webhook URLs are accepted (never in production: https only). */
  allowHttp: boolean;
  /** URLs and resolved addresses in loopback, private or link-local networks are accepted. */
  allowPrivateTargets: boolean;
  /** Time limit of one delivery attempt (ms). */
  timeoutMs: number;
}

export interface EsiaConfig {
  /** The system's mnemonic registered in ЕСИА. */
  clientId: string;
  /** Where the browser is sent (`/aas/oauth2/v2/ac` is appended). */
  baseUrl: string;
  /** Where the server calls the token and person endpoints (usually baseUrl). */
  apiBaseUrl: string;
  /** The portal's callback registered in ЕСИА. */
  redirectUri: string;
  /** dev: HMAC with devKey (the stand-in accepts it); http: the external signing service. */
  signer: { kind: 'dev'; key: string } | { kind: 'http'; url: string; token: string | null };
  /** Timeout of each call to ЕСИА or the signing service. */
  timeoutMs: number;
  /** Mount the bundled ЕСИА stand-in at /esia-standin (demo and development only). */
  standin: boolean;
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
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres://')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(400).default(60),
  BOOKING_GROUPS: z.coerce.number().int().min(1).max(200).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  PUBLIC_URL: z.string().url().optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Приём <no-reply@priyom.local>'),
  DEMO: bool.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z.string().optional(),
  LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  BOOKING_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  INTEGRATION_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  WAITLIST_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  TOKEN_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  PATIENT_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(60),
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
  // ЕСИА
  ESIA_ENABLED: bool.optional(),
  ESIA_CLIENT_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{2,64}$/, 'letters, digits, _ . - (the mnemonic registered in ЕСИА)')
    .optional(),
  ESIA_BASE_URL: z
    .string()
    .url()
    .regex(/^https?:\/\//, 'must start with http:// or https://')
    .optional(),
  ESIA_API_BASE_URL: z
    .string()
    .url()
    .regex(/^https?:\/\//, 'must start with http:// or https://')
    .optional(),
  ESIA_SIGNER: z.enum(['dev', 'http']).optional(),
  ESIA_SIGNER_URL: z
    .string()
    .url()
    .regex(/^https?:\/\//, 'must start with http:// or https://')
    .optional(),
  ESIA_SIGNER_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  ESIA_DEV_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  ESIA_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).default(10_000),
  ESIA_STANDIN: bool.optional(),
  // Webhooks of the integration API
  WEBHOOK_ALLOW_PRIVATE_TARGETS: bool.optional(),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  // Several instances (README «Production»)
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'letters, digits, _ . : - (1 to 64)')
    .default('priyom:'),
  METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  DATABASE_PREPARED_STATEMENTS: bool.optional(),
  DATABASE_MIGRATION_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres://')
    .optional(),
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
});

/** The VAPID settings: all three or none; the public key must belong to the private one. */
function vapidOf(
  e: { VAPID_PUBLIC_KEY?: string; VAPID_PRIVATE_KEY?: string; VAPID_SUBJECT?: string },
  problems: string[],
): VapidKeys | null {
  const given = {
    VAPID_PUBLIC_KEY: e.VAPID_PUBLIC_KEY,
    VAPID_PRIVATE_KEY: e.VAPID_PRIVATE_KEY,
    VAPID_SUBJECT: e.VAPID_SUBJECT,
  };
  const missing = Object.entries(given)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length === 3) return null;
  if (missing.length > 0) {
    for (const k of missing)
      problems.push(`${k}: Web Push needs VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT together`);
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

/**
 * TRUST_PROXY: unset, empty or `false` trusts no proxy; `true` trusts any; a number is how many
 * proxy hops in front of the app to trust; otherwise a comma-separated list of the proxies'
 * addresses or CIDR ranges (IPv4 or IPv6).
 */
export function trustProxyOf(value: string | undefined, problems: string[]): boolean | number | string[] {
  const v = (value ?? '').trim();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^[0-9]+$/.test(v)) {
    const hops = Number(v);
    if (hops >= 1 && hops <= 16) return hops;
    problems.push('TRUST_PROXY: a hop count must be 1 to 16 (false trusts no proxy)');
    return false;
  }
  const entries = v.split(',').map((x) => x.trim());
  const bad = entries.filter((entry) => !isAddressOrRange(entry));
  if (bad.length) {
    problems.push(
      `TRUST_PROXY: ${bad.map((b) => `"${b}"`).join(', ')} is not an IP address or CIDR range (use true, false, a hop count, or addresses such as 127.0.0.1,10.0.0.0/8)`,
    );
    return false;
  }
  return entries;
}

function isAddressOrRange(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length) return false;
  if (prefix === undefined) return true;
  if (!/^[0-9]{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const DEV_SECRET = 'development-only-secret-do-not-use-in-production-0000';
/** The development signer's key; the bundled ЕСИА stand-in accepts signatures made with it. */
export const ESIA_DEV_KEY = 'development-only-esia-signing-key-0000000000';

type Env = z.infer<typeof envSchema>;

/** ЕСИА settings: on in demo mode (with the stand-in), otherwise when ESIA_CLIENT_ID or ESIA_ENABLED says so. */
function esiaOf(
  e: Env,
  ctx: { production: boolean; demo: boolean; publicUrl: string; host: string; port: number },
  problems: string[],
): EsiaConfig | null {
  const enabled = e.ESIA_ENABLED ?? (e.ESIA_CLIENT_ID !== undefined || ctx.demo);
  if (!enabled) return null;
  const standin = e.ESIA_STANDIN ?? (!ctx.production && e.ESIA_BASE_URL === undefined);
  const signerKind = e.ESIA_SIGNER ?? (ctx.production ? 'http' : 'dev');
  if (ctx.production) {
    if (!e.ESIA_CLIENT_ID) problems.push('ESIA_CLIENT_ID: required in production when ЕСИА is enabled');
    if (!e.ESIA_BASE_URL)
      problems.push('ESIA_BASE_URL: required in production when ЕСИА is enabled (https://esia.gosuslugi.ru)');
    if (signerKind !== 'http') problems.push('ESIA_SIGNER: production needs the signing service (ESIA_SIGNER=http)');
    if (e.ESIA_DEV_KEY) problems.push('ESIA_DEV_KEY: the development signer is never used in production; remove it');
    if (standin) problems.push('ESIA_STANDIN: the ЕСИА stand-in never runs in production; remove it');
  }
  if (signerKind === 'http' && !e.ESIA_SIGNER_URL) problems.push('ESIA_SIGNER_URL: required with ESIA_SIGNER=http');
  if (!standin && !e.ESIA_BASE_URL) problems.push('ESIA_BASE_URL: required when the stand-in is off (ESIA_STANDIN=0)');
  // The stand-in is called by the server itself, so the back channel goes to the listening address.
  const loopback =
    ctx.host === '0.0.0.0' || ctx.host === '::' ? '127.0.0.1' : ctx.host.includes(':') ? `[${ctx.host}]` : ctx.host;
  const baseUrl = (e.ESIA_BASE_URL ?? `${ctx.publicUrl}/esia-standin`).replace(/\/$/, '');
  const apiBaseUrl = (
    e.ESIA_API_BASE_URL ?? (e.ESIA_BASE_URL ? baseUrl : `http://${loopback}:${ctx.port}/esia-standin`)
  ).replace(/\/$/, '');
  return {
    clientId: e.ESIA_CLIENT_ID ?? 'PRIYOM',
    baseUrl,
    apiBaseUrl,
    redirectUri: `${ctx.publicUrl}/api/esia/callback`,
    signer:
      signerKind === 'http'
        ? { kind: 'http', url: (e.ESIA_SIGNER_URL ?? '').replace(/\/$/, ''), token: e.ESIA_SIGNER_TOKEN ?? null }
        : { kind: 'dev', key: e.ESIA_DEV_KEY ?? ESIA_DEV_KEY },
    timeoutMs: e.ESIA_TIMEOUT_MS,
    standin,
  };
}

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
  const trustProxy = trustProxyOf(e.TRUST_PROXY, problems);
  const port = e.PORT;
  const publicUrl = (e.PUBLIC_URL ?? `http://${e.HOST}:${port}`).replace(/\/$/, '');
  const demo = production ? false : (e.DEMO ?? true);
  const esia = esiaOf(e, { production, demo, publicUrl, host: e.HOST, port }, problems);
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT === port) problems.push('METRICS_PORT: must differ from PORT');
  if (e.DATABASE_MIGRATION_URL && !e.DATABASE_URL) problems.push('DATABASE_MIGRATION_URL: needs DATABASE_URL');
  if (problems.length) throw new ConfigError(problems);
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port,
    databaseUrl: e.DATABASE_URL ?? null,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databaseConnectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
    heapGrowingPercent: e.HEAP_GROWING_PERCENT,
    bookingGroups: e.BOOKING_GROUPS ?? null,
    dataDir: e.DATA_DIR,
    sessionSecret: e.SESSION_SECRET ?? DEV_SECRET,
    publicUrl,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
    demo,
    logLevel: e.LOG_LEVEL,
    secureCookies: production,
    trustProxy,
    rateLimit: {
      loginPerMinute: e.LOGIN_RATE_PER_MINUTE,
      bookingPerMinute: e.BOOKING_RATE_PER_MINUTE,
      integrationPerMinute: e.INTEGRATION_RATE_PER_MINUTE,
      waitlistPerMinute: e.WAITLIST_RATE_PER_MINUTE,
      tokenPerMinute: e.TOKEN_RATE_PER_MINUTE,
      patientPerMinute: e.PATIENT_RATE_PER_MINUTE,
    },
    worker: e.WORKER ?? true,
    vapid,
    pushAllowLocalEndpoints: !production,
    esia,
    webhooks: {
      allowHttp: !production,
      allowPrivateTargets: e.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? !production,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
    },
    redisUrl: e.REDIS_URL ?? null,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    metricsToken: e.METRICS_TOKEN ?? null,
    metricsPort: e.METRICS_PORT ?? null,
    databasePreparedStatements: e.DATABASE_PREPARED_STATEMENTS ?? true,
    migrationDatabaseUrl: e.DATABASE_MIGRATION_URL ?? null,
    shutdownDelayMs: e.SHUTDOWN_DELAY_MS,
  };
}
