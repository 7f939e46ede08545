// Background work inside the server process: e-mail delivery and keeping the schedules
// filled ahead. Safe with several processes: each step is idempotent or claims rows.
import type { AppContext } from './context.js';
import type { MailTransport } from './modules/notify/mail.transport.js';
import { deliverDue, type OutboxLogger } from './modules/notify/outbox.worker.js';
import { expandTemplatesAhead } from './modules/schedule/schedule.service.js';

export interface Worker {
  stop(): Promise<void>;
}

export interface WorkerLogger extends OutboxLogger {
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

const OUTBOX_EVERY_MS = 1_000;
const EXPAND_EVERY_MS = 60 * 60 * 1_000;

export function startWorker(ctx: AppContext, transport: MailTransport, log: WorkerLogger): Worker {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();

  const loop = (name: string, everyMs: number, step: () => Promise<unknown>) => {
    const tick = async () => {
      if (stopped) return;
      running = step().catch((err: unknown) => log.error({ err }, `${name} failed`));
      await running;
      if (!stopped) timer = setTimeout(tick, everyMs);
    };
    let timer: NodeJS.Timeout = setTimeout(tick, 0);
    return () => clearTimeout(timer);
  };

  const stops = [
    loop('outbox', OUTBOX_EVERY_MS, async () => {
      while (!stopped && (await deliverDue(ctx, transport, log)) > 0) {
        /* drain the backlog */
      }
    }),
    loop('template expansion', EXPAND_EVERY_MS, async () => {
      const created = await expandTemplatesAhead(ctx);
      if (created > 0) log.info({ created }, 'schedule slots expanded from templates');
    }),
  ];

  return {
    async stop() {
      stopped = true;
      for (const s of stops) s();
      await running;
      transport.close();
    },
  };
}
