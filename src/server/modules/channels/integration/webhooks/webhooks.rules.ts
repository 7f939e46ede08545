// Pure rules of the integration webhooks: which URLs a subscription may name, which events a
// subscription wants, the event's id and body, the signature (HMAC-SHA256 over
// `timestamp + "." + body`, as Stripe and Svix do) and the retry schedule. No I/O, no clock.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { WebhookEventType } from '../../../../../shared/api/webhooks.js';

// ---------- URLs ----------

export interface UrlPolicy {
  /** Plain http is accepted (never in production). */
  allowHttp: boolean;
  /** Loopback, private and link-local addresses (and localhost) are accepted. */
  allowPrivateTargets: boolean;
}

/** Whether an IPv4 or IPv6 address is loopback, private, link-local, unspecified or otherwise not public. */
export function isPrivateAddress(address: string): boolean {
  const ip = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(ip);
  if (family === 4) {
    const [a, b] = ip.split('.').map(Number);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 198 && (b === 18 || b === 19)) ||
      a >= 224
    );
  }
  if (family === 6) {
    const v = ip.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v);
    if (mapped) return isPrivateAddress(mapped[1]);
    return (
      v === '::' ||
      v === '::1' ||
      v.startsWith('fc') ||
      v.startsWith('fd') ||
      v.startsWith('fe8') ||
      v.startsWith('fe9') ||
      v.startsWith('fea') ||
      v.startsWith('feb') ||
      v.startsWith('ff')
    );
  }
  return false;
}

/** Why a webhook URL is refused (a Russian sentence), or null when it is acceptable. */
export function webhookUrlProblem(raw: string, policy: UrlPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'Укажите полный адрес, например https://mis.example.ru/priyom/events.';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    return 'Адрес для событий должен начинаться с https://.';
  }
  if (url.username !== '' || url.password !== '') return 'Адрес не должен содержать имя пользователя или пароль.';
  if (url.hash !== '') return 'Адрес не должен содержать часть после #.';
  const host = url.hostname.toLowerCase();
  const local = host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host);
  if (local && !policy.allowPrivateTargets) {
    return 'Адрес указывает на локальную или внутреннюю сеть: укажите адрес, доступный из интернета.';
  }
  if (isIP(host.replace(/^\[|\]$/g, '')) === 0 && !host.includes('.') && !local) {
    return 'Укажите полное имя сервера, например mis.example.ru.';
  }
  return null;
}

// ---------- events ----------

/** Whether a subscription's selectors (exact types, 'appointment.*', 'slot.*') take this event. */
export function wantsEvent(selectors: readonly string[], eventType: string): boolean {
  const kind = eventType.split('.')[0];
  return selectors.includes(eventType) || selectors.includes(`${kind}.*`);
}

/** The event's id, the same on every attempt and replay: receivers deduplicate by it. */
export function eventIdOf(changeId: number | string): string {
  return `evt_${changeId}`;
}

/** The change id in an event id, or null. */
export function changeIdOf(eventId: string): string | null {
  const m = /^evt_([1-9][0-9]{0,18})$/.exec(eventId);
  return m && BigInt(m[1]) <= 9223372036854775807n ? m[1] : null;
}

/** A change as the log keeps it (the trigger's `data`: the row as written, without personal data). */
export interface ChangeRecord {
  id: number;
  eventType: WebhookEventType;
  organisationId: number;
  data: Record<string, unknown>;
  createdAt: Date;
}

function isoOrNull(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * The body POSTed for a change. `sequence` grows with every change of the same appointment or
 * slot (changes of one row are written under its lock), so a receiver can ignore a stale event
 * that arrives after a newer one.
 */
export function eventBody(change: ChangeRecord): Record<string, unknown> {
  const d = change.data;
  const base = {
    id: eventIdOf(change.id),
    type: change.eventType,
    sequence: change.id,
    occurredAt: change.createdAt.toISOString(),
    organisationId: change.organisationId,
  };
  if (change.eventType.startsWith('appointment.')) {
    return {
      ...base,
      data: {
        appointment: {
          id: d.id,
          reference: d.reference,
          externalId: d.externalId ?? null,
          source: d.source,
          status: d.status,
          cancelledBy: d.cancelledBy ?? null,
          // Migration 0019 on: a move's or a release's mark (null in changes logged before it).
          cancelReason: d.cancelReason ?? null,
          releasedAt: isoOrNull(d.releasedAt),
          movedFromId: d.movedFromId ?? null,
          slotId: d.slotId,
          doctorId: d.doctorId,
          startAt: isoOrNull(d.startAt),
          endAt: isoOrNull(d.endAt),
        },
      },
    };
  }
  return {
    ...base,
    data: {
      slot: {
        id: d.id,
        doctorId: d.doctorId,
        startAt: isoOrNull(d.startAt),
        endAt: isoOrNull(d.endAt),
        // A deleted slot has no status any more.
        status: change.eventType === 'slot.deleted' ? null : (d.status ?? null),
      },
    },
  };
}

// ---------- signatures ----------

export const SIGNATURE_HEADER = 'priyom-signature';

/** The hex HMAC-SHA256 of `${timestamp}.${body}` under the subscription's secret. */
export function signatureOf(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
}

/** The `Priyom-Signature` header: `t=<unix seconds>,v1=<hex HMAC>`. */
export function signatureHeader(secret: string, timestampSeconds: number, body: string): string {
  return `t=${timestampSeconds},v1=${signatureOf(secret, timestampSeconds, body)}`;
}

/**
 * What a receiver does (and the tests do): the header's timestamp is within `toleranceSeconds`
 * of its clock and one of its v1 signatures is the HMAC of `${t}.${body}`, compared in constant time.
 */
export function verifySignature(
  secret: string,
  header: string,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = header.split(',').map((p) => p.trim());
  const t = parts.find((p) => p.startsWith('t='))?.slice(2);
  if (!t || !/^\d{1,12}$/.test(t)) return false;
  if (Math.abs(nowSeconds - Number(t)) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureOf(secret, Number(t), body), 'hex');
  return parts
    .filter((p) => p.startsWith('v1='))
    .some((p) => {
      const given = Buffer.from(p.slice(3), 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

// ---------- retries ----------

/** Attempts before a delivery is marked failed (about 23 hours of retrying). */
export const MAX_DELIVERY_ATTEMPTS = 15;

/**
 * The wait after the `attempts`-th failed attempt, or null when the delivery is given up:
 * 10 s, 20 s, 40 s … doubling, capped at 6 hours.
 */
export function nextDeliveryDelayMs(attempts: number): number | null {
  if (attempts >= MAX_DELIVERY_ATTEMPTS) return null;
  return Math.min(10_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);
}

/** Whether the receiver's HTTP status means the event was taken. */
export function isDelivered(status: number): boolean {
  return status >= 200 && status < 300;
}
