// Errors from the database carry personal data (query parameters, key values); what is
// logged of them must not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggableError } from '../../src/server/db/errors.js';
import { persons } from '../../src/server/db/schema.js';
import { createAccount, createPerson } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t.close());

describe('loggableError', () => {
  it('keeps the code and constraint of a database error but none of its values', async () => {
    const account = await createAccount(t.ctx);
    const p = await createPerson(t.ctx, account.id, { lastName: 'Секретова' });
    let caught: unknown;
    try {
      await t.ctx.db.insert(persons).values({ ...p, id: undefined, isMain: false, lastName: 'Секретова' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeDefined();
    const logged = loggableError(caught);
    const text = JSON.stringify(logged);
    expect(logged.pgCode).toBe('23505');
    expect(text).not.toContain(p.snils);
    expect(text).not.toContain(p.policy);
    expect(text).not.toContain('Секретова');
  });

  it('passes other errors through', () => {
    const err = new Error('plain failure');
    expect(loggableError(err)).toEqual({ err });
  });
});
