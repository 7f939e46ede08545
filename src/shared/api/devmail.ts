// The HTTP contract of dev mailbox: one schema per endpoint, shared by the server and the web app.
import { z } from 'zod';
import { instant } from './common.js';

export const devMail = z.object({
  id: z.number(),
  createdAt: instant,
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  status: z.string(),
});
export type DevMail = z.infer<typeof devMail>;
