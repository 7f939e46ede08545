// How a booking's rows are stored on PostgreSQL (migration 0006): the slot's update is a HOT
// update (no index entries written), and the booking's e-mail is compressed with lz4.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/server/db/index.js';
import { appointments, outbox } from '../../src/server/db/schema.js';
import { createBookableSetup } from '../factories/catalogue.js';
import { createAccount, createPerson } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { sessionClient } from '../int/booking.helpers.js';

/** t_infomask2 bit of a heap tuple that no index points at directly (the new half of a HOT update). */
const HEAP_ONLY_TUPLE = 0x8000;

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ postgres: true, now: '2026-11-25T09:00:00Z' });
  await t.ctx.db.execute(sql`create extension if not exists pageinspect`);
});
afterAll(async () => t?.close());

/** The flags of the slot row's current version, read off its heap page. */
async function slotTupleFlags(slotId: number): Promise<number> {
  const [row] = await queryRows<{ flags: number }>(
    t.ctx.db,
    sql`select h.t_infomask2 as flags
          from slots s,
               heap_page_items(get_raw_page('slots', (s.ctid::text::point)[0]::int)) h
         where s.id = ${slotId} and h.lp = (s.ctid::text::point)[1]::int`,
  );
  return Number(row!.flags);
}

describe('storage of a booking', () => {
  it('leaves room on the slots pages and compresses e-mails with lz4', async () => {
    const [table] = await queryRows<{ options: string[] }>(
      t.ctx.db,
      sql`select reloptions as options from pg_class where relname = 'slots'`,
    );
    expect(table!.options).toContain('fillfactor=90');
    const columns = await queryRows<{ name: string; compression: string }>(
      t.ctx.db,
      sql`select attname as name, attcompression as compression from pg_attribute
           where attrelid = 'outbox'::regclass and attname in ('text_body', 'html_body') order by attname`,
    );
    expect(columns).toEqual([
      { name: 'html_body', compression: 'l' },
      { name: 'text_body', compression: 'l' },
    ]);
  });

  it('books a free slot with a HOT update and stores its e-mail lz4-compressed', async () => {
    const setup = await createBookableSetup(t.ctx);
    const account = await createAccount(t.ctx);
    const person = await createPerson(t.ctx, account.id, { isMain: true });
    const client = await sessionClient(t, account.id);
    const slotId = setup.slots[2].id;
    expect((await slotTupleFlags(slotId)) & HEAP_ONLY_TUPLE).toBe(0);

    const booked = await client.post('/api/appointments', { slotId, personId: person.id });
    expect(booked.status).toBe(201);

    expect((await slotTupleFlags(slotId)) & HEAP_ONLY_TUPLE).toBe(HEAP_ONLY_TUPLE);
    const [appointment] = await t.ctx.db
      .select({ id: appointments.id })
      .from(appointments)
      .where(eq(appointments.slotId, slotId));
    const [mail] = await queryRows<{ compression: string | null }>(
      t.ctx.db,
      sql`select pg_column_compression(html_body) as compression from ${outbox}
           where dedup_key = ${`email:booking_made:${appointment!.id}`}`,
    );
    expect(mail!.compression).toBe('lz4');
  });
});
