// Starts the portal: configuration, database and migrations, demo data, HTTP, worker,
// graceful shutdown on SIGINT/SIGTERM (readiness.ts drain: not ready first, then the requests
// in flight finish while the worker hands back its leases).
import { setFlagsFromString } from 'node:v8';
import { build } from './app.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import type { AppContext } from './context.js';
import type { FastifyBaseLogger } from 'fastify';
import { loggableError, OutageLog } from './db/errors.js';
import { openDatabase, runMigrations } from './db/index.js';
import { loadDemoDataIfEmpty } from './db/seed/demo.js';
import { drain } from './readiness.js';
import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { createMailTransport } from './modules/notify/mail.transport.js';
import { startWorker } from './worker.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  // V8 lets the heap grow to several times what survives a full collection before the next
  // one: under load the objects that outlive a request or two (promoted, then dead) piled up
  // to ~170 MB of heap, RSS 230-316 MB. Growing by 60 % at most kept RSS at 155-172 MB with
  // the same throughput (bench/RESULTS.md). The setting is read at each collection, so it
  // takes effect from here on.
  if (config.heapGrowingPercent > 0) setFlagsFromString(`--heap-growing-percent=${config.heapGrowingPercent}`);
  // Connections the server drops (a failover, a restart, pg_terminate_backend) are reported
  // here, at most once per 10 s, once the app's logger exists.
  let logger: FastifyBaseLogger | null = null;
  const connectionLog = new OutageLog();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? null : config.dataDir,
    poolSize: config.databasePoolSize,
    connectTimeoutMs: config.databaseConnectTimeoutMs,
    preparedStatements: config.databasePreparedStatements,
    onConnectionError: () => {
      if (logger) connectionLog.note(logger, 'database connection lost');
    },
  });
  // Through PgBouncer in transaction mode the migration's session lock would not hold: migrations
  // go to PostgreSQL itself when DATABASE_MIGRATION_URL says where.
  await runMigrations(database, config.migrationDatabaseUrl ?? config.databaseUrl);
  const ctx: AppContext = { config, db: database.db, now: () => new Date() };
  const app = await build(ctx);
  logger = app.log;
  // A promise rejected with no handler must not end the process (Node's default): every
  // request keeps its own error handling; this logs what slipped through, without the
  // error's text (it may carry a query's parameters).
  process.on('unhandledRejection', (reason) => app.log.error(loggableError(reason), 'unhandled rejection'));
  if (config.demo) {
    const loaded = await loadDemoDataIfEmpty(ctx);
    if (loaded) app.log.info('demo data loaded');
  }
  const worker = config.worker ? startWorker(ctx, createMailTransport(config), app.log) : null;
  await app.listen({ host: config.host, port: config.port });
  // /metrics without a token on a port of its own (kept off the balancer and the internet).
  const metricsServer = config.metricsPort ? await serveMetrics(app, config.host, config.metricsPort) : null;
  app.log.info(
    `Приём: ${config.publicUrl} (${database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'}${config.demo ? ', demo mode' : ''})`,
  );
  if (config.esia?.standin)
    app.log.info(
      `ЕСИА stand-in for «Войти через Госуслуги»: ${config.esia.baseUrl} (faults: ${config.esia.baseUrl}/faults)`,
    );

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: not ready, draining');
    const force = setTimeout(() => process.exit(1), config.shutdownDelayMs + 10_000);
    force.unref();
    try {
      await drain({
        markNotReady: () => {
          app.readiness.draining = true;
        },
        stopWorker: async () => worker?.stop(),
        delay: () => new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs)),
        closeHttp: async () => {
          metricsServer?.close();
          await app.close();
        },
        closeDatabase: () => database.close(),
      });
    } catch (err) {
      app.log.error(loggableError(err), 'shutdown failed');
      process.exit(1);
    }
    app.log.info({ signal }, 'stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** A plain HTTP server answering GET /metrics with `app`'s registry, everything else 404. */
async function serveMetrics(app: FastifyInstance, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    app.metrics.metrics().then(
      (text) => res.writeHead(200, { 'content-type': app.metrics.contentType, 'cache-control': 'no-store' }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return server;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
