// A webhook worker in its own process, for webhooks-restart.pg.test.ts: it runs the worker's
// webhook steps (fan-out, leased deliveries) against a PostgreSQL database until it is killed.
// Its clock starts at the instant given (the test's clock) and runs on in real time.
// Usage: tsx test/pg/webhook-worker.child.ts <database url> <start instant, ISO>
import { loadConfig } from '../../src/server/config.js';
import { openDatabase } from '../../src/server/db/index.js';
import { createWebhookSender } from '../../src/server/modules/channels/integration/webhooks/webhooks.transport.js';
import {
  deliverWebhooksDue,
  dispatchAll,
} from '../../src/server/modules/channels/integration/webhooks/webhooks.worker.js';

const [databaseUrl, startAt] = process.argv.slice(2);
const offset = new Date(startAt).getTime() - Date.now();
const config = loadConfig({
  NODE_ENV: 'test',
  DEMO: '0',
  LOG_LEVEL: 'silent',
  DATABASE_URL: databaseUrl,
  WEBHOOK_TIMEOUT_MS: '60000',
});
const database = await openDatabase({ databaseUrl, dataDir: null, poolSize: 2 });
const ctx = { config, db: database.db, now: () => new Date(Date.now() + offset) };
const send = createWebhookSender(config.webhooks);
const log = { warn: () => {} };
process.stdout.write('ready\n');
for (;;) {
  await dispatchAll(ctx);
  await deliverWebhooksDue(ctx, send, log);
  await new Promise((resolve) => setTimeout(resolve, 100));
}
