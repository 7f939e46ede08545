// Background work inside the server process: durable jobs (sign-up, password recovery),
// e-mail, Web Push and webhook delivery, the reminders the day before a visit, and keeping the
// schedules filled ahead. Safe with several processes: each step is idempotent or claims rows.
import type { AppContext } from './context.js';
import { isDatabaseUnavailable, loggableError } from './db/errors.js';
import type { MailTransport } from './modules/notify/mail.transport.js';
import { identityJobHandlers } from './modules/identity/identity.jobs.js';
import { runDueJobs } from './modules/notify/jobs.worker.js';
import { deliverDue, type OutboxLogger } from './modules/notify/outbox.worker.js';
import { createPushTransport, type PushTransport } from './modules/notify/push.transport.js';
import { deliverPushDue } from './modules/notify/push.worker.js';
import { sendDueReminders } from './modules/visits/reminders.service.js';
import { vapidKeys } from './modules/notify/vapid.js';
import { expandTemplatesAhead } from './modules/schedule/schedule.service.js';
import { offerFreeSlotsToWaitlist } from './modules/waitlist/matching.service.js';
import { processWaitlist } from './modules/waitlist/waitlist.worker.js';
import { expireDueMoves } from './modules/absence/decisions.service.js';
import { createWebhookSender } from './modules/channels/integration/webhooks/webhooks.transport.js';
import { deliverWebhooksDue, dispatchAll } from './modules/channels/integration/webhooks/webhooks.worker.js';

export interface Worker {
  stop(): Promise<void>;
}

export interface WorkerLogger extends OutboxLogger {
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

const OUTBOX_EVERY_MS = 1_000;
const JOBS_EVERY_MS = 500;
const EXPAND_EVERY_MS = 60 * 60 * 1_000;
const WAITLIST_EVERY_MS = 1_000;
const PUSH_EVERY_MS = 1_000;
const REMINDERS_EVERY_MS = 5 * 60 * 1_000;
const WEBHOOKS_EVERY_MS = 1_000;

/** The wait before a worker step is tried again after its `failures`-th failure for want of the database. */
export function workerRetryDelayMs(failures: number): number {
  return Math.min(10_000, 1_000 * 2 ** Math.max(0, failures - 1));
}

export function startWorker(ctx: AppContext, transport: MailTransport, log: WorkerLogger): Worker {
  let stopped = false;
  // Every loop's step in flight, so that stop() waits for all of them.
  const running = new Set<Promise<unknown>>();
  let push: PushTransport | null | undefined;
  const pushTransport = async (): Promise<PushTransport | null> => {
    if (push === undefined) {
      const keys = await vapidKeys(ctx);
      push = keys ? createPushTransport(keys) : null;
    }
    return push;
  };

  const webhookSender = createWebhookSender(ctx.config.webhooks);

  const loop = (name: string, everyMs: number, step: () => Promise<unknown>) => {
    // While the database is unreachable a step is tried again after 1, 2, 4 … 10 s (or its
    // own interval if longer), logged once when it starts failing and once when it works
    // again. Rows it had claimed are leased: another step (here or in another process) takes
    // them up when the lease runs out.
    let unavailableSince: number | null = null;
    let failures = 0;
    const tick = async () => {
      if (stopped) return;
      let delay = everyMs;
      const current = step().then(
        () => {
          if (unavailableSince !== null) {
            log.info(
              { loop: name, downForMs: Date.now() - unavailableSince },
              'database reachable again: worker resumed',
            );
            unavailableSince = null;
          }
          failures = 0;
        },
        (err: unknown) => {
          if (!isDatabaseUnavailable(err)) {
            log.error(loggableError(err), `${name} failed`);
            return;
          }
          if (unavailableSince === null) {
            unavailableSince = Date.now();
            log.warn({ loop: name, code: 'DATABASE_UNAVAILABLE' }, 'database unavailable: worker waits');
          }
          failures += 1;
          delay = Math.max(everyMs, workerRetryDelayMs(failures));
        },
      );
      running.add(current);
      await current;
      running.delete(current);
      if (!stopped) timer = setTimeout(tick, delay);
    };
    let timer: NodeJS.Timeout = setTimeout(tick, 0);
    return () => clearTimeout(timer);
  };

  const stops = [
    // Sign-up and password recovery (the requests only enqueue: their answers never depend on the address).
    loop('jobs', JOBS_EVERY_MS, async () => {
      while (!stopped && (await runDueJobs(ctx, identityJobHandlers, log, 20, () => stopped)) > 0) {
        /* drain the backlog */
      }
    }),
    loop('outbox', OUTBOX_EVERY_MS, async () => {
      while (!stopped && (await deliverDue(ctx, transport, log, 20, () => stopped)) > 0) {
        /* drain the backlog */
      }
    }),
    loop('push outbox', PUSH_EVERY_MS, async () => {
      const transport = await pushTransport();
      if (!transport) return; // push is off (no VAPID keys)
      while (!stopped && (await deliverPushDue(ctx, transport, log)) > 0) {
        /* drain the backlog */
      }
    }),
    loop('visit reminders', REMINDERS_EVERY_MS, async () => {
      const sent = await sendDueReminders(ctx);
      if (sent > 0) log.info({ sent }, 'visit reminders recorded');
    }),
    // Offers past their deadline expire (also right after a restart), reminders, lapsed holds.
    loop('waitlist', WAITLIST_EVERY_MS, async () => {
      const r = await processWaitlist(ctx);
      if (r.expired + r.reminded + r.holdsLapsed > 0) log.info({ ...r }, 'waitlist offers processed');
    }),
    // Move offers of a doctor's absence past their deadline: the old visit is cancelled, the held time freed.
    loop('absence moves', WAITLIST_EVERY_MS, async () => {
      const expired = await expireDueMoves(ctx);
      if (expired > 0) log.info({ expired }, 'absence move offers expired');
    }),
    // The integration change log fanned out to the webhook subscriptions, then their deliveries.
    loop('webhooks', WEBHOOKS_EVERY_MS, async () => {
      await dispatchAll(ctx);
      while (!stopped && (await deliverWebhooksDue(ctx, webhookSender, log)) > 0) {
        /* drain the backlog */
      }
    }),
    loop('template expansion', EXPAND_EVERY_MS, async () => {
      const created = await expandTemplatesAhead(ctx, offerFreeSlotsToWaitlist);
      if (created > 0) log.info({ created }, 'schedule slots expanded from templates');
    }),
  ];

  return {
    async stop() {
      stopped = true;
      for (const s of stops) s();
      await Promise.all(running);
      transport.close();
    },
  };
}
