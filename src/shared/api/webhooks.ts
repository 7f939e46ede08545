// The HTTP contract of the integration API's webhooks (issue 17, «Changes out»): an API key
// registers URLs for appointment and slot events, reads each subscription's delivery log and
// replays deliveries. The signing secret is in the answer to the creation only.
import { z } from 'zod';
import { decimalId } from '../ids.js';
import { freeText } from '../text.js';
import { instant } from './common.js';

/** Every event a subscription can ask for (the change log's event types). */
export const webhookEventTypes = [
  'appointment.created',
  'appointment.cancelled',
  'appointment.visited',
  'appointment.no_show',
  'appointment.updated',
  'slot.created',
  'slot.updated',
  'slot.deleted',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** An exact event type, or every event of one kind: 'appointment.*', 'slot.*'. */
export const webhookEventSelector = z.enum([...webhookEventTypes, 'appointment.*', 'slot.*'], {
  message: `Тип события: один из ${webhookEventTypes.join(', ')}, appointment.* или slot.*`,
});

export const webhookCreateBody = z.object({
  /** Where the events are POSTed: https (plain http only outside production). */
  url: freeText({ field: 'Адрес', max: 2000, minMessage: 'Укажите адрес, на который отправлять события' }).refine(
    (v) => URL.canParse(v),
    'Укажите полный адрес, например https://mis.example.ru/priyom/events',
  ),
  eventTypes: z
    .array(webhookEventSelector)
    .min(1, 'Выберите хотя бы один тип событий')
    .max(20, 'Не больше 20 типов событий')
    .refine((v) => new Set(v).size === v.length, 'Типы событий не должны повторяться'),
});
export type WebhookCreateBody = z.infer<typeof webhookCreateBody>;

export const webhookSubscription = z.object({
  id: z.uuid(),
  url: z.string(),
  eventTypes: z.array(webhookEventSelector),
  createdAt: instant,
});
export type WebhookSubscription = z.infer<typeof webhookSubscription>;

export const webhookCreated = webhookSubscription.extend({
  /** HMAC-SHA256 key of the `Priyom-Signature` header: shown here once, never again. */
  secret: z.string(),
});
export const webhookList = z.object({ webhooks: z.array(webhookSubscription) });
export const webhookIdParam = z.object({ id: z.uuid('Неверный идентификатор подписки') });
export const webhookDeliveryParams = z.object({
  id: z.uuid('Неверный идентификатор подписки'),
  deliveryId: decimalId('Неверный идентификатор доставки'),
});

export const webhookDeliveryStatus = z.enum(['pending', 'delivered', 'failed']);
export const webhookDelivery = z.object({
  id: z.number(),
  /** The event's id (`evt_…`), the same on every attempt and replay: deduplicate by it. */
  eventId: z.string(),
  eventType: z.enum(webhookEventTypes),
  /** pending (waiting for an attempt), delivered (answered 2xx), failed (retries exhausted). */
  status: webhookDeliveryStatus,
  attempts: z.number(),
  /** When the next attempt is due, while pending. */
  nextAttemptAt: instant.nullable(),
  lastAttemptAt: instant.nullable(),
  /** The receiver's HTTP status of the last attempt (null: no answer). */
  lastStatusCode: z.number().nullable(),
  /** Why the last attempt failed, without the receiver's answer body. */
  lastError: z.string().nullable(),
  deliveredAt: instant.nullable(),
  replays: z.number(),
  createdAt: instant,
});
export type WebhookDelivery = z.infer<typeof webhookDelivery>;
export const webhookDeliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1, 'Не меньше 1').max(200, 'Не больше 200').default(50),
  /** `nextBefore` of the previous page: older deliveries. */
  before: decimalId('Неверный идентификатор доставки').optional(),
});
export const webhookDeliveriesResponse = z.object({
  /** Newest first. */
  deliveries: z.array(webhookDelivery),
  nextBefore: z.number().nullable(),
});
export const webhookReplayBody = z.object({
  /** Send again every delivery of this subscription from this event on (its id, `evt_…`). */
  since: z.string().regex(/^evt_[1-9][0-9]{0,18}$/, 'Укажите идентификатор события вида evt_123'),
});
export const webhookReplayResponse = z.object({ replayed: z.number() });
