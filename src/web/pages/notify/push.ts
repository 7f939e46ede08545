// This browser's side of Web Push: the service worker, the subscription made with the
// portal's VAPID key, and keeping the server's record of it in step.
import type { PushSubscriptionBody } from '../../../shared/api/index.js';
import { api, ApiError } from '../../api.js';
import { pushSupported, SW_URL } from './sw.js';

async function registration(): Promise<ServiceWorkerRegistration> {
  const existing = await navigator.serviceWorker.getRegistration('/');
  if (existing) return existing;
  await navigator.serviceWorker.register(SW_URL);
  return navigator.serviceWorker.ready;
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const raw = atob(b64);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function sameKey(a: ArrayBuffer | null, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.length) return false;
  const x = new Uint8Array(a);
  return x.every((v, i) => v === b[i]);
}

function bodyOf(sub: PushSubscription): PushSubscriptionBody {
  const json = sub.toJSON();
  return { endpoint: sub.endpoint, keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' } };
}

export type DeviceState =
  | { kind: 'unsupported' }
  /** The portal has no VAPID keys: push is off on the server. */
  | { kind: 'unavailable' }
  | { kind: 'denied' }
  | { kind: 'off' }
  | { kind: 'on' };

async function publicKey(): Promise<string | null> {
  try {
    return (await api.get<{ publicKey: string }>('/api/push/public-key')).publicKey;
  } catch (e) {
    if (e instanceof ApiError && e.code === 'PUSH_UNAVAILABLE') return null;
    throw e;
  }
}

/**
 * Where this browser stands: on only when the browser has a subscription made with the
 * portal's current key and the server has it for this account (a subscription left by
 * someone else on this browser, or one the push service expired, shows as off).
 */
export async function deviceState(): Promise<DeviceState> {
  if (!pushSupported()) return { kind: 'unsupported' };
  const key = await publicKey();
  if (!key) return { kind: 'unavailable' };
  if (Notification.permission === 'denied') return { kind: 'denied' };
  const reg = await navigator.serviceWorker.getRegistration('/');
  const sub = reg ? await reg.pushManager.getSubscription() : null;
  if (!sub) return { kind: 'off' };
  if (!sameKey(sub.options.applicationServerKey, keyBytes(key))) {
    await sub.unsubscribe().catch(() => undefined);
    return { kind: 'off' };
  }
  const status = await api.get<{ subscribed: boolean }>(
    `/api/push/subscriptions?endpoint=${encodeURIComponent(sub.endpoint)}`,
  );
  return { kind: status.subscribed ? 'on' : 'off' };
}

/** Asks for permission, subscribes this browser and tells the server. */
export async function subscribeThisDevice(): Promise<DeviceState> {
  if (!pushSupported()) return { kind: 'unsupported' };
  const key = await publicKey();
  if (!key) return { kind: 'unavailable' };
  const permission = await Notification.requestPermission();
  if (permission === 'denied') return { kind: 'denied' };
  if (permission !== 'granted') return { kind: 'off' };
  const reg = await registration();
  const applicationServerKey = keyBytes(key);
  const existing = await reg.pushManager.getSubscription();
  if (existing && !sameKey(existing.options.applicationServerKey, applicationServerKey)) await existing.unsubscribe();
  const sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
  try {
    await api.post('/api/push/subscriptions', bodyOf(sub));
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 'PUSH_ENDPOINT_TAKEN')) throw e;
    // The browser's subscription is another account's (left by someone who used this browser
    // before): the server never hands it over. Drop it here and subscribe again, which gives
    // this browser a new endpoint for this account; the old one stops working for the other.
    await sub.unsubscribe();
    const fresh = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
    await api.post('/api/push/subscriptions', bodyOf(fresh));
  }
  return { kind: 'on' };
}

/** Stops notifications to this browser: on the server and in the browser. */
export async function unsubscribeThisDevice(): Promise<void> {
  if (!pushSupported()) return;
  const reg = await navigator.serviceWorker.getRegistration('/');
  const sub = reg ? await reg.pushManager.getSubscription() : null;
  if (!sub) return;
  try {
    await api.delete(`/api/push/subscriptions?endpoint=${encodeURIComponent(sub.endpoint)}`);
  } catch (e) {
    // Already gone on the server: nothing to undo there.
    if (!(e instanceof ApiError && e.status === 404)) throw e;
  }
  await sub.unsubscribe();
}

/**
 * Before signing out: the next person on this browser must not get this account's
 * notifications. Best effort, and never holds the sign-out up for long.
 */
export async function forgetThisDeviceOnSignOut(): Promise<void> {
  // The card file kept for offline reading (sw.js) must not outlive the session.
  if (typeof caches !== 'undefined') await caches.delete('priyom-data-v1').catch(() => false);
  const attempt = unsubscribeThisDevice().catch(() => undefined);
  await Promise.race([attempt, new Promise((resolve) => setTimeout(resolve, 2_000))]);
}
