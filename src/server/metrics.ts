// Prometheus metrics (prom-client) of one instance: requests by route pattern (never the raw
// URL: ids and query strings stay out of labels) and status with latency histograms;
// bookings, cancels and offer answers by outcome (the closed error catalogue's code, or "ok");
// the backlog and oldest item's age of the e-mail outbox, the push outbox and the durable
// jobs; offers pending and their nearest deadline; the database pools' use and waits; the
// event loop's lag (prom-client's default metrics). /metrics answers only with the
// METRICS_TOKEN bearer token, or on the separate METRICS_PORT (main.ts) — never publicly.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppContext } from './context.js';
import { queryRows } from './db/index.js';
import { pipelinedPoolOf } from './db/pipelined.js';
import { AppError, type ErrorCode, errorCatalogue } from './errors.js';
import { sql } from 'drizzle-orm';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry;
  }
}

export type BusinessEvent = { kind: 'booking' | 'cancel'; channel: string } | { kind: 'offer'; answer: string };

/**
 * What a route is, for the business counters: a booking (POST …/appointments), a cancel
 * (POST …/appointments/:id/cancel) or an answer to a waitlist offer, by the route's pattern.
 */
export function businessEventOf(method: string, route: string): BusinessEvent | null {
  if (method !== 'POST') return null;
  const channel = channelOf(route);
  if (/\/appointments$/.test(route)) return { kind: 'booking', channel };
  if (/\/appointments\/:[A-Za-z]+\/cancel$/.test(route)) return { kind: 'cancel', channel };
  const offer = /^\/api\/offers\/:id\/(confirm|decline)$/.exec(route);
  if (offer?.[1]) return { kind: 'offer', answer: offer[1] };
  return null;
}

/** The channel a route belongs to: portal, desk, doctor, kiosk or integration. */
function channelOf(route: string): string {
  if (route.startsWith('/api/integration/') || route.startsWith('/fhir/')) return 'integration';
  const first = /^\/api\/(desk|doctor|kiosk)\//.exec(route)?.[1];
  return first ?? 'portal';
}

/** The outcome label: "ok", the catalogue's code of the refusal, or the status class. */
export function outcomeOf(status: number, payload: unknown): string {
  if (status < 400) return 'ok';
  if (typeof payload === 'string') {
    const code = /"code":"([A-Z_]+)"/.exec(payload)?.[1];
    // Only codes of the closed catalogue become labels (a bounded set, no personal data).
    if (code && code in errorCatalogue) return code as ErrorCode;
  }
  return `http_${Math.floor(status / 100)}xx`;
}

/** Whether the Authorization header holds the metrics token (compared in constant time). */
export function metricsTokenMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer (.+)$/.exec(header ?? '')?.[1];
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

interface QueueFigures {
  name: string;
  backlog: number;
  oldestSeconds: number;
}

async function queueFigures(ctx: AppContext): Promise<QueueFigures[]> {
  const rows = await queryRows<{ name: string; backlog: string | number; oldest: string | number | null }>(
    ctx.db,
    sql`select 'email' as name, count(*) as backlog, extract(epoch from now() - min(created_at)) as oldest
          from outbox where status = 'pending'
        union all
        select 'push', count(*), extract(epoch from now() - min(created_at)) from push_outbox where status = 'pending'
        union all
        select 'jobs', count(*), extract(epoch from now() - min(created_at)) from outbox_jobs where status = 'pending'`,
  );
  return rows.map((r) => ({ name: r.name, backlog: Number(r.backlog), oldestSeconds: Number(r.oldest ?? 0) }));
}

async function offerFigures(ctx: AppContext): Promise<{ pending: number; nearestSeconds: number | null }> {
  const rows = await queryRows<{ pending: string | number; nearest: string | number | null }>(
    ctx.db,
    sql`select count(*) as pending, extract(epoch from min(deadline) - now()) as nearest
          from waitlist_offers where status = 'pending'`,
  );
  const r = rows[0];
  return { pending: Number(r?.pending ?? 0), nearestSeconds: r?.nearest == null ? null : Number(r.nearest) };
}

interface PoolLike {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options: { max?: number };
}

function poolsOf(ctx: AppContext): Array<{ name: string; pool: PoolLike }> {
  const pools: Array<{ name: string; pool: PoolLike }> = [];
  const client = (ctx.db as unknown as { $client?: unknown }).$client;
  if (client && typeof client === 'object' && 'waitingCount' in client)
    pools.push({ name: 'main', pool: client as PoolLike });
  const pipelined = pipelinedPoolOf(ctx.db);
  if (pipelined) pools.push({ name: 'booking', pool: pipelined });
  return pools;
}

/** Builds this app's registry and counters, and the /metrics route if a token is configured. */
export function metricsPlugin(app: FastifyInstance, ctx: AppContext): void {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'priyom' });
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  app.decorate('metrics', registry);

  const requests = new Counter({
    name: 'priyom_http_requests_total',
    help: 'HTTP requests by route pattern, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'priyom_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern and method',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const bookings = new Counter({
    name: 'priyom_bookings_total',
    help: 'Booking requests by channel and outcome (ok or the refusal code)',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  const cancels = new Counter({
    name: 'priyom_cancels_total',
    help: 'Cancel requests by channel and outcome (ok or the refusal code)',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  const offers = new Counter({
    name: 'priyom_offer_answers_total',
    help: 'Answers to waitlist offers (confirm, decline) by outcome',
    labelNames: ['answer', 'outcome'] as const,
    registers: [registry],
  });

  // Read from the database at each scrape, one query per group.
  new Gauge({
    name: 'priyom_queue_backlog',
    help: 'Pending items of the e-mail outbox, the push outbox and the durable jobs',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      const figures = await queueFigures(ctx).catch(() => []);
      for (const f of figures) this.set({ queue: f.name }, f.backlog);
    },
  });
  new Gauge({
    name: 'priyom_queue_oldest_seconds',
    help: 'Age of the oldest pending item per queue (0 when empty)',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      const figures = await queueFigures(ctx).catch(() => []);
      for (const f of figures) this.set({ queue: f.name }, f.oldestSeconds);
    },
  });
  new Gauge({
    name: 'priyom_offers_pending',
    help: 'Waitlist offers waiting for the patient',
    registers: [registry],
    async collect() {
      const f = await offerFigures(ctx).catch(() => null);
      if (f) this.set(f.pending);
    },
  });
  new Gauge({
    name: 'priyom_offers_nearest_deadline_seconds',
    help: 'Seconds to the nearest pending offer deadline (negative: overdue, the worker is behind); absent when none',
    registers: [registry],
    async collect() {
      this.reset();
      const f = await offerFigures(ctx).catch(() => null);
      if (f?.nearestSeconds != null) this.set(f.nearestSeconds);
    },
  });
  const pools = poolsOf(ctx);
  const poolGauge = (name: string, help: string, value: (p: PoolLike) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['pool'] as const,
      registers: [registry],
      collect() {
        for (const p of pools) this.set({ pool: p.name }, value(p.pool));
      },
    });
  poolGauge('priyom_db_pool_connections', 'Open connections per pool', (p) => p.totalCount);
  poolGauge('priyom_db_pool_in_use', 'Connections checked out per pool', (p) => p.totalCount - p.idleCount);
  poolGauge('priyom_db_pool_waiting', 'Requests waiting for a connection per pool', (p) => p.waitingCount);
  poolGauge('priyom_db_pool_max', 'Pool size', (p) => p.options.max ?? 0);

  // The payload of a refusal, for its code; kept only on business routes.
  const refusals = new WeakMap<FastifyRequest, unknown>();
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode >= 400 && businessEventOf(request.method, request.routeOptions.url ?? '')) {
      refusals.set(request, payload);
    }
    return payload;
  });
  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    // The pattern of the matched route; requests that matched none share one label.
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    requests.inc({ method: request.method, route, status: String(status) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    const event = businessEventOf(request.method, route);
    if (!event) return;
    const outcome = outcomeOf(status, refusals.get(request));
    if (event.kind === 'offer') offers.inc({ answer: event.answer, outcome });
    else (event.kind === 'booking' ? bookings : cancels).inc({ channel: event.channel, outcome });
  });

  // Without a token the path is not found (the separate port may serve it; the web app never does).
  const token = ctx.config.metricsToken;
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!token) throw new AppError('NOT_FOUND');
    if (!metricsTokenMatches(request.headers.authorization, token)) throw new AppError('NOT_AUTHENTICATED');
    return reply
      .header('cache-control', 'no-store')
      .type(registry.contentType)
      .send(await registry.metrics());
  });
}
