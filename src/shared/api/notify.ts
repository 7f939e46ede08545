// The HTTP contract of notifications (SPEC section 5): one schema per endpoint, shared by the server and the web app.
import { z } from 'zod';
import { hasForbiddenCharacters, forbiddenCharactersMessage } from '../text.js';
import { instant } from './common.js';

export const notificationItem = z.object({
  id: z.number(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  createdAt: instant,
  read: z.boolean(),
});
export type NotificationItem = z.infer<typeof notificationItem>;
export const notificationList = z.object({ items: z.array(notificationItem), unreadCount: z.number() });
export const notificationPreferences = z.object({ email: z.boolean(), push: z.boolean() });
export const pushPublicKey = z.object({ publicKey: z.string() });
/** A push service's subscription URL: plain text, then a URL. */
const pushEndpoint = z
  .string()
  .refine((v) => !hasForbiddenCharacters(v), forbiddenCharactersMessage('Адрес подписки'))
  .url('Неверный адрес подписки')
  .max(2000);
/** The browser's subscription keys: base64url. */
const pushKey = (min: number, max: number) =>
  z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${min},${max}}={0,2}$`), 'Неверный ключ подписки');
export const pushSubscriptionBody = z.object({
  endpoint: pushEndpoint,
  keys: z.object({ p256dh: pushKey(10, 200), auth: pushKey(8, 100) }),
});
export type PushSubscriptionBody = z.infer<typeof pushSubscriptionBody>;
export type NotificationPreferences = z.infer<typeof notificationPreferences>;
export type NotificationList = z.infer<typeof notificationList>;
export const notificationUnread = z.object({ unreadCount: z.number() });
export const pushEndpointQuery = z.object({ endpoint: pushEndpoint });
/** Whether this browser's subscription (by endpoint) is the signed-in account's. */
export const pushSubscriptionStatus = z.object({ subscribed: z.boolean() });
