// The family from ЕСИА under concurrency on real PostgreSQL: two ЕСИА sign-ins of one account
// at once (two tabs, two devices) each merge ЕСИА's children. The account's lock makes them
// one after the other: each child is in the card file once, both merges succeed, and a child
// typed in by hand is linked, not doubled. The unique indexes (account, ЕСИА id) and
// (account, СНИЛС) would refuse a second row even without the lock.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, persons } from '../../src/server/db/schema.js';
import { applyFamily } from '../../src/server/modules/identity/esia/family.service.js';
import type { EsiaPerson } from '../../src/server/modules/identity/esia/esia.rules.js';
import type { EsiaKid } from '../../src/server/modules/identity/esia/family.rules.js';
import { createAccount, createPerson, uniquePolicy, uniqueSnils } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ postgres: true, now: '2026-11-25T09:00:00Z' });
  expect(t.database.kind).toBe('postgres');
});
afterAll(async () => t.close());

function kid(n: number, snils: string): EsiaKid {
  return {
    oid: String(2_000_000_000 + n),
    lastName: 'Иванова',
    firstName: n % 2 ? 'Софья' : 'Вера',
    middleName: 'Андреевна',
    birthDate: `2020-0${1 + (n % 9)}-1${n % 10}`,
    sex: 'F',
    snils,
    birthCert: { series: 'IV-НИ', number: String(700_000 + n) },
    policy: uniquePolicy(),
  };
}

describe('two ЕСИА sign-ins of one account at once', () => {
  it('merge the children one after the other: each child once, both succeed', async () => {
    for (let round = 0; round < 6; round++) {
      const account = await createAccount(t.ctx);
      const holderSnils = uniqueSnils();
      await createPerson(t.ctx, account.id, { isMain: true, snils: holderSnils, birthDate: '1988-06-14' });
      const kids = [
        kid(round * 3, uniqueSnils()),
        kid(round * 3 + 1, uniqueSnils()),
        kid(round * 3 + 2, uniqueSnils()),
      ];
      // The third child was typed in by hand, waiting for the moderator.
      const byHand = await createPerson(t.ctx, account.id, {
        snils: kids[2].snils!,
        birthDate: kids[2].birthDate,
        policy: kids[2].policy!,
        status: 'pending',
      });
      const person: EsiaPerson = {
        status: 'Registered',
        trusted: true,
        lastName: 'Иванова',
        firstName: 'Анна',
        middleName: 'Сергеевна',
        birthDate: '1988-06-14',
        sex: 'F',
        snils: holderSnils,
      };
      const merge = () =>
        t.ctx.db.transaction((tx) => applyFamily(tx, { accountId: account.id, person, kids, now: t.ctx.now() }));
      const plans = await Promise.all([merge(), merge()]);

      // One merge added and linked; the other, after it, found nothing left to do.
      const inserted = plans.map((p) => p?.insert.length ?? -1).sort();
      expect(inserted).toEqual([0, 2]);
      const rows = await t.ctx.db.select().from(persons).where(eq(persons.accountId, account.id));
      expect(rows).toHaveLength(4);
      expect(
        rows
          .filter((r) => !r.isMain)
          .map((r) => r.esiaOid)
          .sort(),
      ).toEqual(kids.map((k) => k.oid).sort());
      expect(rows.every((r) => r.status === 'confirmed')).toBe(true);
      expect(rows.find((r) => r.id === byHand.id)?.esiaOid).toBe(kids[2].oid);
      const audit = await t.ctx.db.select().from(auditLog).where(eq(auditLog.actorAccountId, account.id));
      expect(audit.map((a) => a.action).sort()).toEqual([
        'person.esia_kid_add',
        'person.esia_kid_add',
        'person.esia_kid_update',
        // The holder's names from ЕСИА (the card file had the factory's), copied once.
        'person.esia_update',
      ]);
    }
  });
});
