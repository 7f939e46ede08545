// The development mailbox: in demo mode without SMTP, sent messages are listed here so a
// person trying the demo can follow confirmation links. Never registered in production.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { devMail } from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import { listRecent } from './outbox.repository.js';

export function devMailRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/dev/mail',
      {
        schema: {
          tags: ['dev'],
          summary: 'Development mailbox (demo mode only)',
          response: { 200: z.object({ messages: z.array(devMail) }) },
        },
      },
      async () => {
        const rows = await listRecent(ctx.db, 50);
        return {
          messages: rows.map((r) => ({
            id: r.id,
            createdAt: r.createdAt.toISOString(),
            to: r.toAddress,
            subject: r.subject,
            text: r.textBody,
            html: r.htmlBody,
            status: r.status,
          })),
        };
      },
    );
  };
}
