// The VAPID key pair that identifies the portal to push services. From the environment
// (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT); in demo mode without them, a pair
// is generated on the first start and kept in system_keys, so browsers that subscribed
// keep receiving after a restart. Otherwise push is off (null).
import webpush from 'web-push';
import { eq } from 'drizzle-orm';
import type { VapidKeys } from '../../config.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { systemKeys } from '../../db/schema.js';

const DEMO_KEY_NAME = 'vapid';

/** A mailto: contact for push services, from MAIL_FROM ('Приём <no-reply@priyom.local>'). */
export function demoSubject(mailFrom: string): string {
  const address = /<([^<>\s]+@[^<>\s]+)>/.exec(mailFrom)?.[1] ?? (/^[^\s@]+@[^\s@]+$/.test(mailFrom) ? mailFrom : null);
  return `mailto:${address ?? 'no-reply@priyom.local'}`;
}

function isStoredPair(v: unknown): v is { publicKey: string; privateKey: string } {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return typeof o.publicKey === 'string' && typeof o.privateKey === 'string';
}

/** The demo key pair: read from system_keys, or generated and stored (the first writer wins). */
export async function loadOrCreateDemoVapidKeys(db: Db, subject: string, now: Date): Promise<VapidKeys> {
  const read = async () =>
    (await db.select({ value: systemKeys.value }).from(systemKeys).where(eq(systemKeys.name, DEMO_KEY_NAME)))[0];
  let row = await read();
  if (!row) {
    const fresh = webpush.generateVAPIDKeys();
    await db
      .insert(systemKeys)
      .values({
        name: DEMO_KEY_NAME,
        value: { publicKey: fresh.publicKey, privateKey: fresh.privateKey },
        createdAt: now,
      })
      .onConflictDoNothing({ target: systemKeys.name });
    row = await read();
  }
  if (!row || !isStoredPair(row.value)) throw new Error('system_keys: the stored VAPID key pair is malformed');
  return { publicKey: row.value.publicKey, privateKey: row.value.privateKey, subject };
}

const resolved = new WeakMap<AppContext, Promise<VapidKeys | null>>();

/** The keys this process uses (resolved once per context), or null when push is off. */
export function vapidKeys(ctx: AppContext): Promise<VapidKeys | null> {
  let keys = resolved.get(ctx);
  if (!keys) {
    keys = (async () => {
      if (ctx.config.vapid) return ctx.config.vapid;
      if (!ctx.config.demo) return null;
      return loadOrCreateDemoVapidKeys(ctx.db, demoSubject(ctx.config.mailFrom), ctx.now());
    })();
    // A failed lookup (database briefly away) is tried again next time.
    keys.catch(() => resolved.delete(ctx));
    resolved.set(ctx, keys);
  }
  return keys;
}

/** Whether push can work with this configuration (environment keys, or demo mode's own). */
export function pushConfigured(config: AppContext['config']): boolean {
  return config.vapid !== null || config.demo;
}
