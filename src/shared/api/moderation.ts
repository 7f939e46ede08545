// The HTTP contract of moderation: one schema per endpoint, shared by the server and the web app.
import { z } from 'zod';
import { freeText } from '../text.js';
import { instant } from './common.js';
import { person } from './identity.js';

export const moderationItem = person.extend({
  submittedAt: instant,
  accountEmail: z.string().nullable(),
  /** Earlier decisions on this person (newest first). */
  history: z.array(z.object({ at: instant, action: z.string(), reason: z.string().nullable() })),
});
export type ModerationItem = z.infer<typeof moderationItem>;
export const moderationQueue = z.object({ items: z.array(moderationItem) });
export const rejectBody = z.object({
  reason: freeText({
    field: 'Причина',
    max: 500,
    min: 5,
    minMessage: 'Укажите причину (не короче 5 символов)',
    multiline: true,
  }),
});
