// Moderation through HTTP: the queue, confirming and rejecting, the audit trail,
// the e-mail to the account, races between moderators, access control.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, outbox, persons } from '../../src/server/db/schema.js';
import type { TestClient } from '../support/client.js';
import {
  createAccount,
  createPatient,
  createPerson,
  outboxFor,
  signIn,
  uniquePolicy,
  uniqueSnils,
} from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';

let t: TestContext;
let moderator: { id: string; email: string; client: TestClient };
beforeAll(async () => {
  t = await createTestContext();
  const m = await createAccount(t.ctx, { role: 'moderator' });
  moderator = { id: m.id, email: m.email, client: await signIn(t, m.email, m.password) };
});
afterAll(async () => t.close());

interface Item {
  id: string;
  isMain: boolean;
  lastName: string;
  status: string;
  rejectReason: string | null;
  submittedAt: string;
  accountEmail: string;
  snils: string;
  history: { at: string; action: string; reason: string | null }[];
}
interface ErrorBody {
  code: string;
  message: string;
  fields?: Record<string, string>;
}

async function queue(): Promise<Item[]> {
  const res = await moderator.client.get<{ items: Item[] }>('/api/moderation/queue');
  expect(res.status).toBe(200);
  return res.body.items;
}

async function auditFor(personId: string) {
  return t.ctx.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, 'person'), eq(auditLog.entityId, personId)))
    .orderBy(auditLog.id);
}

async function rowOf(id: string) {
  return (await t.ctx.db.select().from(persons).where(eq(persons.id, id)))[0];
}

async function outboxCount(): Promise<number> {
  return (await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(outbox))[0].n;
}

describe('the queue', () => {
  it('lists pending people oldest first, with the account’s e-mail, and nobody else', async () => {
    const a = await createAccount(t.ctx);
    const b = await createAccount(t.ctx);
    t.clock.advance(60_000);
    const second = await createPerson(t.ctx, a.id, { isMain: true, status: 'pending', lastName: 'Вторая' });
    t.clock.advance(-30_000);
    const first = await createPerson(t.ctx, b.id, { isMain: true, status: 'pending', lastName: 'Первый' });
    t.clock.advance(60_000);
    const third = await createPerson(t.ctx, a.id, { status: 'pending', lastName: 'Третий' });
    const confirmed = await createPerson(t.ctx, b.id, { status: 'confirmed' });
    const rejected = await createPerson(t.ctx, b.id, { status: 'rejected' });

    const items = await queue();
    const ids = items.map((i) => i.id);
    expect(ids).not.toContain(confirmed.id);
    expect(ids).not.toContain(rejected.id);
    expect(items.every((i) => i.status === 'pending')).toBe(true);
    const mine = items.filter((i) => [first.id, second.id, third.id].includes(i.id));
    expect(mine.map((i) => i.id)).toEqual([first.id, second.id, third.id]);
    const times = items.map((i) => Date.parse(i.submittedAt));
    expect([...times].sort((x, y) => x - y)).toEqual(times);

    expect(mine[0]).toMatchObject({
      lastName: 'Первый',
      accountEmail: b.email,
      isMain: true,
      snils: first.snils,
      submittedAt: first.submittedAt.toISOString(),
      history: [],
    });
    expect(mine[1].accountEmail).toBe(a.email);
  });

  it('is for moderators only', async () => {
    const patient = await createPatient(t);
    const operator = await createAccount(t.ctx, { role: 'operator' });
    const oc = await signIn(t, operator.email, operator.password);
    for (const c of [patient.client, oc]) {
      const res = await c.get<ErrorBody>('/api/moderation/queue');
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ code: 'FORBIDDEN', message: 'Недостаточно прав для этого действия.' });
      expect((await c.get(`/api/moderation/persons/${patient.person.id}`)).status).toBe(403);
    }
    const anon = await t.client().get<ErrorBody>('/api/moderation/queue');
    expect(anon.status).toBe(401);
    expect(anon.body.code).toBe('NOT_AUTHENTICATED');
  });
});

describe('decisions', () => {
  it('confirms: the person becomes bookable, the decision is audited and e-mailed', async () => {
    const owner = await createAccount(t.ctx);
    const ownerClient = await signIn(t, owner.email, owner.password);
    const created = await ownerClient.post<{ id: string }>('/api/persons', {
      lastName: 'Кузнецова',
      firstName: 'Дарья',
      birthDate: '1990-01-15',
      sex: 'F',
      snils: uniqueSnils(),
      policy: uniquePolicy(),
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await queue()).map((i) => i.id)).toContain(id);

    t.clock.advance(5 * 60_000);
    const res = await moderator.client.post('/api/moderation/persons/' + id + '/confirm');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });

    const row = await rowOf(id);
    expect(row).toMatchObject({ status: 'confirmed', rejectReason: null, decidedBy: moderator.id });
    expect(row.decidedAt?.toISOString()).toBe(t.clock.current.toISOString());
    expect((await queue()).map((i) => i.id)).not.toContain(id);

    const seen = await ownerClient.get<{ status: string }>(`/api/persons/${id}`);
    expect(seen.body.status).toBe('confirmed');
    const session = await ownerClient.get<{ account: { mainPersonStatus: string } }>('/api/session');
    expect(session.body.account.mainPersonStatus).toBe('confirmed');

    const audit = await auditFor(id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorAccountId: moderator.id,
      action: 'person.confirm',
      entityType: 'person',
      entityId: id,
      details: { reason: null },
    });
    expect(audit[0].at.toISOString()).toBe(t.clock.current.toISOString());

    const mails = (await outboxFor(t.ctx, owner.email)).filter((m) => m.kind === 'moderation_result');
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('Результат проверки данных');
    expect(mails[0].subject).not.toContain('Кузнецова');
    // The e-mail and the portal's list name whose data was confirmed, with words agreeing with her sex.
    expect(mails[0].textBody).toContain('подтвердил данные человека из вашей картотеки: Кузнецова Дарья.');
    expect(mails[0].textBody).toContain('Теперь для неё доступна запись на приём к врачу');
    const listed = await ownerClient.get<{ items: { kind: string; body: string }[] }>('/api/notifications');
    expect(listed.body.items.find((n) => n.kind === 'moderation_result')?.body).toBe(
      'Модератор подтвердил данные: Кузнецова Дарья. Теперь для неё доступна запись на приём к врачу.',
    );
    expect(mails[0].accountId).toBe(owner.id);

    const item = await moderator.client.get<Item>(`/api/moderation/persons/${id}`);
    expect(item.status).toBe(200);
    expect(item.body.status).toBe('confirmed');
    expect(item.body.history).toEqual([{ at: t.clock.current.toISOString(), action: 'person.confirm', reason: null }]);
  });

  it('rejects with a reason the owner sees; resubmission returns to the queue with the history', async () => {
    const patient = await createPatient(t, { person: { status: 'pending' } });
    const id = patient.person.id;
    const reason = 'Номер полиса не найден в реестре застрахованных';

    const res = await moderator.client.post(`/api/moderation/persons/${id}/reject`, { reason: `  ${reason}  ` });
    expect(res.status).toBe(200);

    const seen = await patient.client.get<{ status: string; rejectReason: string }>(`/api/persons/${id}`);
    expect(seen.body).toMatchObject({ status: 'rejected', rejectReason: reason });

    const audit = await auditFor(id);
    expect(audit.map((a) => [a.action, a.details])).toEqual([['person.reject', { reason }]]);

    const mails = (await outboxFor(t.ctx, patient.account.email)).filter((m) => m.kind === 'moderation_result');
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('Результат проверки данных');
    expect(mails[0].textBody).toContain(`Причина: ${reason}`);
    expect(mails[0].textBody).toContain('http://portal.test/cardfile');

    // The owner corrects and resubmits; it is back in the queue with the earlier decision shown.
    t.clock.advance(60_000);
    const fixed = await patient.client.put(`/api/persons/${id}`, {
      lastName: patient.person.lastName,
      firstName: patient.person.firstName,
      middleName: patient.person.middleName ?? '',
      birthDate: patient.person.birthDate,
      sex: patient.person.sex,
      snils: patient.person.snils,
      policy: uniquePolicy(),
    });
    expect(fixed.status).toBe(200);
    const item = (await queue()).find((i) => i.id === id);
    expect(item?.history).toEqual([{ at: audit[0].at.toISOString(), action: 'person.reject', reason }]);

    // A second decision on the new submission is a new event with its own e-mail.
    t.clock.advance(60_000);
    expect((await moderator.client.post(`/api/moderation/persons/${id}/confirm`)).status).toBe(200);
    const detail = await moderator.client.get<Item>(`/api/moderation/persons/${id}`);
    expect(detail.body.history.map((h) => h.action)).toEqual(['person.confirm', 'person.reject']);
    const results = (await outboxFor(t.ctx, patient.account.email)).filter((m) => m.kind === 'moderation_result');
    expect(results).toHaveLength(2);
  });

  it('refuses a second decision with ALREADY_DECIDED and writes nothing', async () => {
    const patient = await createPatient(t, { person: { status: 'pending' } });
    const id = patient.person.id;
    expect((await moderator.client.post(`/api/moderation/persons/${id}/confirm`)).status).toBe(200);
    const outboxBefore = await outboxCount();

    const again = await moderator.client.post<ErrorBody>(`/api/moderation/persons/${id}/confirm`);
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ code: 'ALREADY_DECIDED', message: 'По этим данным уже принято решение.' });
    const reject = await moderator.client.post<ErrorBody>(`/api/moderation/persons/${id}/reject`, {
      reason: 'Передумал, ошибка',
    });
    expect(reject.status).toBe(409);
    expect(reject.body.code).toBe('ALREADY_DECIDED');

    expect((await rowOf(id)).status).toBe('confirmed');
    expect(await auditFor(id)).toHaveLength(1);
    expect(await outboxCount()).toBe(outboxBefore);
  });

  it('lets exactly one of two racing moderators decide', async () => {
    const second = await createAccount(t.ctx, { role: 'moderator' });
    const secondClient = await signIn(t, second.email, second.password);
    const patient = await createPatient(t, { person: { status: 'pending' } });
    const id = patient.person.id;
    const results = await Promise.all([
      moderator.client.post(`/api/moderation/persons/${id}/confirm`),
      secondClient.post(`/api/moderation/persons/${id}/reject`, { reason: 'Данные не совпадают' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await auditFor(id)).toHaveLength(1);
    const mails = (await outboxFor(t.ctx, patient.account.email)).filter((m) => m.kind === 'moderation_result');
    expect(mails).toHaveLength(1);
  });

  it('needs a reason to reject and changes nothing without one', async () => {
    const patient = await createPatient(t, { person: { status: 'pending' } });
    const id = patient.person.id;
    const outboxBefore = await outboxCount();
    const missing = await moderator.client.post<ErrorBody>(`/api/moderation/persons/${id}/reject`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
    expect(missing.body.fields?.reason).toBeDefined();
    const short = await moderator.client.post<ErrorBody>(`/api/moderation/persons/${id}/reject`, { reason: '  нет ' });
    expect(short.status).toBe(400);
    expect(short.body.fields?.reason).toBe('Укажите причину (не короче 5 символов)');
    expect((await rowOf(id)).status).toBe('pending');
    expect(await auditFor(id)).toHaveLength(0);
    expect(await outboxCount()).toBe(outboxBefore);
  });

  it('answers 404 for an unknown person', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await moderator.client.get(`/api/moderation/persons/${unknown}`)).status).toBe(404);
    const res = await moderator.client.post<ErrorBody>(`/api/moderation/persons/${unknown}/confirm`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
    expect((await moderator.client.get('/api/moderation/persons/nope')).status).toBe(400);
  });

  it('does not let patients decide, even on their own data', async () => {
    const patient = await createPatient(t, { person: { status: 'pending' } });
    const id = patient.person.id;
    const confirm = await patient.client.post<ErrorBody>(`/api/moderation/persons/${id}/confirm`);
    expect(confirm.status).toBe(403);
    expect(confirm.body.code).toBe('FORBIDDEN');
    const reject = await patient.client.post<ErrorBody>(`/api/moderation/persons/${id}/reject`, {
      reason: 'Просто так',
    });
    expect(reject.status).toBe(403);
    const anonymous = await t.client().post<ErrorBody>(`/api/moderation/persons/${id}/confirm`);
    expect(anonymous.status).toBe(401);
    expect((await rowOf(id)).status).toBe('pending');
    expect(await auditFor(id)).toHaveLength(0);
  });

  it('refuses a decision without the CSRF header', async () => {
    const patient = await createPatient(t, { person: { status: 'pending' } });
    const id = patient.person.id;
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/moderation/persons/${id}/confirm`,
      headers: { cookie: `priyom_session=${moderator.client.cookies.get('priyom_session')}` },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'CSRF_FAILED' });
    expect((await rowOf(id)).status).toBe('pending');
  });
});
