// Sign-up and password recovery answer the same, in the same time, for registered and
// unknown addresses (issue 15): the requests only enqueue a durable job; the worker's job
// looks the address up and writes the account, the token and the e-mail exactly once.
// The timing figures are printed, not asserted on a tight bound (the machine is shared).
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, type emailTokens, type outbox, outboxJobs } from '../../src/server/db/schema.js';
import { enqueueJob } from '../../src/server/modules/notify/notify.service.js';
import type { JsonResponse } from '../support/client.js';
import { createAccount, outboxFor, runJobs } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t.close());

let seq = 0;
const freshEmail = () => `jobs-${Date.now()}-${++seq}@example.test`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * What a caller can see of an answer: status, body and every header but the date and the
 * rate limit's countdown (which counts this caller's requests, whatever the address).
 */
function visible(res: JsonResponse): { status: number; body: unknown; headers: Record<string, unknown> } {
  // The date, the rate limit's countdown and the request's own id differ by design from answer to answer.
  const {
    date: _date,
    'x-ratelimit-remaining': _remaining,
    'x-ratelimit-reset': _reset,
    'x-request-id': _requestId,
    ...headers
  } = res.headers;
  return { status: res.status, body: res.body, headers };
}

async function timed(call: () => Promise<JsonResponse>): Promise<{ ms: number; res: JsonResponse }> {
  const started = process.hrtime.bigint();
  const res = await call();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, res };
}

async function count(table: typeof accounts | typeof outbox | typeof outboxJobs | typeof emailTokens): Promise<number> {
  const rows = await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(table);
  return rows[0].n;
}

describe('equal answers for known and unknown addresses', () => {
  it('password recovery: the same answer, and the same time (medians over 100 tries each, printed)', async () => {
    const known = await createAccount(t.ctx);
    const unknown = 'nobody-registered-here@example.test';
    const c = t.client();
    await c.ensureCsrf();
    for (let i = 0; i < 10; i++) {
      await c.post('/api/auth/forgot', { email: known.email });
      await c.post('/api/auth/forgot', { email: unknown });
    }
    const knownMs: number[] = [];
    const unknownMs: number[] = [];
    const answers = new Set<string>();
    // Interleaved, so that both see the same machine (and the same growing jobs table).
    for (let i = 0; i < 100; i++) {
      const order = i % 2 ? [true, false] : [false, true];
      for (const isKnown of order) {
        const { ms, res } = await timed(() => c.post('/api/auth/forgot', { email: isKnown ? known.email : unknown }));
        (isKnown ? knownMs : unknownMs).push(ms);
        answers.add(JSON.stringify(visible(res)));
      }
    }
    const figures = {
      known: median(knownMs),
      unknown: median(unknownMs),
      difference: median(knownMs) - median(unknownMs),
    };
    console.log(
      `POST /api/auth/forgot, median of 100: registered ${figures.known.toFixed(2)} ms, unknown ${figures.unknown.toFixed(2)} ms, difference ${figures.difference.toFixed(2)} ms`,
    );
    // One answer for all 200 requests: status, body and headers alike.
    expect(answers.size).toBe(1);
    expect(JSON.parse([...answers][0])).toMatchObject({ status: 202, body: { ok: true } });
    // Loose: the request does the same work for both (an insert), so neither can be far slower.
    expect(Math.abs(figures.difference)).toBeLessThan(Math.max(5, figures.unknown));

    // Only the registered address got e-mail: 110 links, one per request, after the worker ran.
    expect(await outboxFor(t.ctx, known.email)).toHaveLength(0);
    await runJobs(t.ctx);
    expect(await outboxFor(t.ctx, known.email)).toHaveLength(110);
    expect(await outboxFor(t.ctx, unknown)).toHaveLength(0);
  });

  it('sign-up: the same answer, and the same time, whether the address is new or registered (printed)', async () => {
    const registered = await createAccount(t.ctx);
    const c = t.client();
    await c.ensureCsrf();
    const newMs: number[] = [];
    const registeredMs: number[] = [];
    const answers = new Set<string>();
    for (let i = 0; i < 12; i++) {
      for (const isNew of i % 2 ? [true, false] : [false, true]) {
        const email = isNew ? freshEmail() : registered.email;
        const { ms, res } = await timed(() => c.post('/api/auth/signup', { email, password: 'Надёжный-пароль-7' }));
        (isNew ? newMs : registeredMs).push(ms);
        answers.add(JSON.stringify(visible(res)));
      }
    }
    console.log(
      `POST /api/auth/signup, median of 12: new ${median(newMs).toFixed(1)} ms, registered ${median(registeredMs).toFixed(1)} ms (both hash the password)`,
    );
    expect(answers.size).toBe(1);
    expect(JSON.parse([...answers][0])).toMatchObject({ status: 202, body: { ok: true } });
    // Both hash (~180 ms here): a registered address is not answered measurably faster.
    expect(median(registeredMs)).toBeGreaterThan(median(newMs) / 2);

    await runJobs(t.ctx);
    const mails = await outboxFor(t.ctx, registered.email);
    expect(mails.map((m) => m.kind)).toEqual(Array(12).fill('signup_existing'));
  });
});

describe('the jobs', () => {
  it('a registered address signed up again keeps its password; the holder is told once per attempt', async () => {
    const a = await createAccount(t.ctx);
    const before = (await t.ctx.db.select().from(accounts).where(eq(accounts.id, a.id)))[0];
    await t.client().post('/api/auth/signup', { email: a.email.toUpperCase(), password: 'Чужой-пароль-2026' });
    await runJobs(t.ctx);
    const after = (await t.ctx.db.select().from(accounts).where(eq(accounts.id, a.id)))[0];
    expect(after.passwordHash).toBe(before.passwordHash);
    const mails = await outboxFor(t.ctx, a.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ kind: 'signup_existing', accountId: a.id });
    expect(mails[0].textBody).not.toContain('token=');
  });

  it('two sign-ups of one new address: one account and one link, the second attempt tells the holder', async () => {
    const email = freshEmail();
    const accountsBefore = await count(accounts);
    await t.client().post('/api/auth/signup', { email, password: 'Надёжный-пароль-7' });
    await t.client().post('/api/auth/signup', { email, password: 'Другой-пароль-42' });
    expect(await count(accounts)).toBe(accountsBefore);
    expect(await runJobs(t.ctx)).toBe(2);
    expect(await count(accounts)).toBe(accountsBefore + 1);
    expect((await outboxFor(t.ctx, email)).map((m) => m.kind)).toEqual(['signup_confirm', 'signup_existing']);
  });

  it('runs each job once even when two workers run at the same time', async () => {
    const a = await createAccount(t.ctx);
    for (let i = 0; i < 5; i++) await t.client().post('/api/auth/forgot', { email: a.email });
    const counts = await Promise.all([runJobs(t.ctx), runJobs(t.ctx), runJobs(t.ctx)]);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(5);
    expect(await outboxFor(t.ctx, a.email)).toHaveLength(5);
    expect(await count(outboxJobs)).toBe(0);
  });

  it('a job whose lease ran out after it was done is not done again', async () => {
    const a = await createAccount(t.ctx);
    await t.client().post('/api/auth/forgot', { email: a.email });
    const [job] = await t.ctx.db.select().from(outboxJobs);
    expect(await runJobs(t.ctx)).toBe(1);
    // A second worker holding the stale row finds nothing to take: the work and the delete were one transaction.
    await t.ctx.db.insert(outboxJobs).values({ kind: 'password_reset', payload: job.payload, status: 'failed' });
    expect(await runJobs(t.ctx)).toBe(0);
    expect(await outboxFor(t.ctx, a.email)).toHaveLength(1);
    await t.ctx.db.delete(outboxJobs);
  });

  it('a job that keeps failing is retried with back-off, then given up with its payload emptied', async () => {
    await enqueueJob(
      t.ctx.db,
      { kind: 'signup', payload: { email: 'broken-job@example.test', passwordHash: 'not-a-hash' } },
      t.ctx.now(),
    );
    const warnings: object[] = [];
    const saved = t.clock.current;
    try {
      for (let attempt = 1; attempt <= 8; attempt++) {
        expect(await runJobs(t.ctx, warnings)).toBe(1);
        const [row] = await t.ctx.db.select().from(outboxJobs);
        expect(row.attempts).toBe(attempt);
        t.clock.advance(3_600_000);
      }
    } finally {
      t.clock.set(saved);
    }
    const [row] = await t.ctx.db.select().from(outboxJobs);
    expect(row.status).toBe('failed');
    expect(row.payload).toEqual({});
    expect(await runJobs(t.ctx)).toBe(0);
    // The logs name the job, never the address.
    expect(warnings).toHaveLength(8);
    expect(JSON.stringify(warnings)).not.toContain('broken-job@');
    expect(await outboxFor(t.ctx, 'broken-job@example.test')).toHaveLength(0);
    await t.ctx.db.delete(outboxJobs);
  });

  it('the database refuses a job that is not an object or has an unknown status', async () => {
    await expect(
      t.ctx.db.execute(sql`insert into outbox_jobs (kind, payload) values ('signup', '[]'::jsonb)`),
    ).rejects.toThrow();
    await expect(
      t.ctx.db.execute(sql`insert into outbox_jobs (kind, payload, status) values ('signup', '{}'::jsonb, 'done')`),
    ).rejects.toThrow();
    expect(await count(outboxJobs)).toBe(0);
  });
});
