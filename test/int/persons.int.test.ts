// The card file's people through HTTP: adding the main person and family members,
// validation, duplicates, ownership, correcting and resubmitting.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { persons } from '../../src/server/db/schema.js';
import { snilsWithChecksum } from '../../src/shared/validation.js';
import {
  createAccount,
  createPatient,
  createPerson,
  signIn,
  uniquePolicy,
  uniqueSnils,
} from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t.close());

interface PersonBody {
  id: string;
  isMain: boolean;
  lastName: string;
  firstName: string;
  middleName: string | null;
  birthDate: string;
  sex: 'M' | 'F';
  snils: string;
  policy: string;
  phone: string | null;
  status: string;
  rejectReason: string | null;
}
interface ErrorBody {
  code: string;
  message: string;
  fields?: Record<string, string>;
}

function validInput(overrides: Record<string, unknown> = {}) {
  return {
    lastName: 'Петров',
    firstName: 'Алексей',
    middleName: 'Игоревич',
    birthDate: '1979-03-21',
    sex: 'M',
    snils: uniqueSnils(),
    policy: uniquePolicy(),
    phone: '+7 912 000-11-22',
    ...overrides,
  };
}

async function personCount(accountId?: string): Promise<number> {
  const q = t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(persons);
  const rows = accountId ? await q.where(eq(persons.accountId, accountId)) : await q;
  return rows[0].n;
}

async function rowOf(id: string) {
  return (await t.ctx.db.select().from(persons).where(eq(persons.id, id)))[0];
}

async function newSignedIn() {
  const a = await createAccount(t.ctx);
  return { account: a, client: await signIn(t, a.email, a.password) };
}

describe('adding people', () => {
  it('makes the first person the main one and later ones family members, all pending', async () => {
    const { account, client } = await newSignedIn();
    const main = await client.post<PersonBody>('/api/persons', validInput({ snils: '112-233-445 95' }));
    expect(main.status).toBe(201);
    expect(main.body).toMatchObject({
      isMain: true,
      lastName: 'Петров',
      firstName: 'Алексей',
      middleName: 'Игоревич',
      birthDate: '1979-03-21',
      sex: 'M',
      snils: '11223344595',
      phone: '+79120001122',
      status: 'pending',
      rejectReason: null,
      // Only children brought from Госуслуги have one (esia-kids.int.test.ts).
      birthCertificate: null,
    });
    expect(Object.keys(main.body).sort()).toEqual([
      'birthCertificate',
      'birthDate',
      'firstName',
      'id',
      'isMain',
      'lastName',
      'middleName',
      'phone',
      'policy',
      'rejectReason',
      'sex',
      'snils',
      'status',
    ]);
    const row = await rowOf(main.body.id);
    expect(row.accountId).toBe(account.id);
    expect(row.submittedAt.toISOString()).toBe(t.clock.current.toISOString());

    const session = await client.get<{ account: { mainPersonStatus: string } }>('/api/session');
    expect(session.body.account.mainPersonStatus).toBe('pending');

    const child = await client.post<PersonBody>(
      '/api/persons',
      validInput({
        firstName: 'Ольга',
        middleName: '',
        lastName: 'Петрова-Сидорова',
        birthDate: '2019-08-01',
        sex: 'F',
        phone: '',
      }),
    );
    expect(child.status).toBe(201);
    expect(child.body).toMatchObject({ isMain: false, status: 'pending', middleName: null, phone: null });

    const list = await client.get<{ persons: PersonBody[] }>('/api/persons');
    expect(list.status).toBe(200);
    expect(list.body.persons.map((p) => [p.id, p.isMain])).toEqual([
      [main.body.id, true],
      [child.body.id, false],
    ]);

    const one = await client.get<PersonBody>(`/api/persons/${child.body.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(child.body);
  });

  it('lists the main person first even when added after others in the data', async () => {
    const { account, client } = await newSignedIn();
    const relative = await createPerson(t.ctx, account.id, { isMain: false, firstName: 'Анна' });
    t.clock.advance(1000);
    const holder = await createPerson(t.ctx, account.id, { isMain: true, firstName: 'Борис', sex: 'M' });
    const list = await client.get<{ persons: PersonBody[] }>('/api/persons');
    expect(list.body.persons.map((p) => p.id)).toEqual([holder.id, relative.id]);
  });

  it('explains every bad field in Russian and writes nothing', async () => {
    const { account, client } = await newSignedIn();
    const before = await personCount();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ snils: '112-233-445 96' }, 'snils', 'Проверьте СНИЛС: контрольное число не совпадает'],
      [{ snils: '1122334459' }, 'snils', 'СНИЛС состоит из 11 цифр'],
      [{ policy: '123456789012345' }, 'policy', 'Номер полиса ОМС состоит из 16 цифр'],
      [{ policy: '12345678901234567' }, 'policy', 'Номер полиса ОМС состоит из 16 цифр'],
      [{ lastName: 'Petrov' }, 'lastName', 'Фамилия: только русские буквы, дефис и пробел'],
      [{ firstName: 'Aleksei' }, 'firstName', 'Имя: только русские буквы, дефис и пробел'],
      [{ middleName: 'Igorevich' }, 'middleName', 'Отчество: только русские буквы, дефис и пробел'],
      [{ lastName: '' }, 'lastName', 'Введите фамилию'],
      [{ sex: undefined }, 'sex', 'Укажите пол'],
      [{ sex: 'X' }, 'sex', 'Укажите пол'],
      [{ birthDate: '21.03.1979' }, 'birthDate', 'Дата в формате ГГГГ-ММ-ДД'],
      [{ birthDate: '1990-02-30' }, 'birthDate', 'Проверьте дату рождения: такой даты нет'],
      [{ birthDate: '1850-01-01' }, 'birthDate', 'Проверьте дату рождения: такой даты нет'],
      [{ phone: '12345' }, 'phone', 'Телефон в формате +7 900 000-00-00'],
    ];
    for (const [override, field, message] of cases) {
      const res = await client.post<ErrorBody>('/api/persons', validInput(override));
      expect(res.status, JSON.stringify(override)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.fields?.[field], JSON.stringify(override)).toBe(message);
    }
    // Several problems at once: each field gets its own message.
    const many = await client.post<ErrorBody>(
      '/api/persons',
      validInput({ lastName: 'Smith', policy: '1', sex: undefined }),
    );
    expect(Object.keys(many.body.fields ?? {}).sort()).toEqual(['lastName', 'policy', 'sex']);
    expect(await personCount()).toBe(before);
    expect(await personCount(account.id)).toBe(0);
  });

  it('refuses a birth date after today, on adding and on correcting', async () => {
    const { account, client } = await newSignedIn();
    // The clock is 2026-11-25 (UTC); a baby born "today" anywhere in the world is accepted.
    const future = await client.post<ErrorBody>('/api/persons', validInput({ birthDate: '2026-11-27' }));
    expect(future.status).toBe(400);
    expect(future.body).toMatchObject({
      code: 'BIRTH_DATE_IN_FUTURE',
      message: 'Дата рождения не может быть позже сегодняшнего дня.',
      details: { field: 'birthDate' },
    });
    expect(await personCount(account.id)).toBe(0);
    const today = await client.post<PersonBody>('/api/persons', validInput({ birthDate: '2026-11-25' }));
    expect(today.status).toBe(201);
    const edit = await client.put<ErrorBody>(`/api/persons/${today.body.id}`, validInput({ birthDate: '2027-01-01' }));
    expect(edit.status).toBe(400);
    expect(edit.body.code).toBe('BIRTH_DATE_IN_FUTURE');
    expect((await rowOf(today.body.id)).birthDate).toBe('2026-11-25');
  });

  it('refuses the same СНИЛС or полис twice in one card file, but allows it in another', async () => {
    const { account, client } = await newSignedIn();
    const first = validInput();
    expect((await client.post('/api/persons', first)).status).toBe(201);

    const sameSnils = await client.post<ErrorBody>(
      '/api/persons',
      validInput({ snils: first.snils, firstName: 'Иван' }),
    );
    expect(sameSnils.status).toBe(409);
    expect(sameSnils.body).toEqual({
      code: 'PERSON_DUPLICATE',
      message: 'Человек с таким СНИЛС или полисом уже есть в вашей картотеке.',
    });
    const samePolicy = await client.post<ErrorBody>('/api/persons', validInput({ policy: first.policy }));
    expect(samePolicy.status).toBe(409);
    expect(samePolicy.body.code).toBe('PERSON_DUPLICATE');
    expect(await personCount(account.id)).toBe(1);

    // The same real person may sit in several card files.
    const other = await newSignedIn();
    const elsewhere = await other.client.post<PersonBody>('/api/persons', { ...first });
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body.isMain).toBe(true);
  });

  it('needs a signed-in patient', async () => {
    const anonymous = await t.client().post<ErrorBody>('/api/persons', validInput());
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('NOT_AUTHENTICATED');
    const anonymousBad = await t.client().post<ErrorBody>('/api/persons', { lastName: 'x' });
    expect(anonymousBad.status).toBe(401);
    expect((await t.client().get('/api/persons')).status).toBe(401);
    expect((await t.client().get('/api/persons/00000000-0000-4000-8000-000000000000')).status).toBe(401);

    const moderator = await createAccount(t.ctx, { role: 'moderator' });
    const mc = await signIn(t, moderator.email, moderator.password);
    const before = await personCount();
    const res = await mc.post<ErrorBody>('/api/persons', validInput());
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect(await personCount()).toBe(before);
  });

  it('refuses without the CSRF header', async () => {
    const { account, client } = await newSignedIn();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/persons',
      headers: { cookie: `priyom_session=${client.cookies.get('priyom_session')}` },
      payload: validInput(),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'CSRF_FAILED' });
    expect(await personCount(account.id)).toBe(0);
  });

  it('makes exactly one main person when two additions race', async () => {
    const { account, client } = await newSignedIn();
    const results = await Promise.all([
      client.post<PersonBody>('/api/persons', validInput()),
      client.post<PersonBody>('/api/persons', validInput()),
    ]);
    expect(results.map((r) => r.status)).toEqual([201, 201]);
    expect(results.filter((r) => r.body.isMain)).toHaveLength(1);
    expect(await personCount(account.id)).toBe(2);
  });
});

describe('someone else’s people', () => {
  it('are "not found" for GET and PUT and stay unchanged', async () => {
    const owner = await createPatient(t);
    const pendingOfOwner = await createPerson(t.ctx, owner.account.id, { status: 'rejected' });
    const stranger = await newSignedIn();

    for (const id of [owner.person.id, pendingOfOwner.id]) {
      const get = await stranger.client.get<ErrorBody>(`/api/persons/${id}`);
      expect(get.status).toBe(404);
      expect(get.body).toEqual({ code: 'PERSON_NOT_FOUND', message: 'Человек не найден в вашей картотеке.' });
      const put = await stranger.client.put<ErrorBody>(`/api/persons/${id}`, validInput());
      expect(put.status).toBe(404);
      expect(put.body.code).toBe('PERSON_NOT_FOUND');
    }
    expect(await rowOf(pendingOfOwner.id)).toEqual(pendingOfOwner);
    expect((await stranger.client.get<{ persons: PersonBody[] }>('/api/persons')).body.persons).toEqual([]);

    const unknown = await owner.client.get<ErrorBody>('/api/persons/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    const badId = await owner.client.get<ErrorBody>('/api/persons/not-a-uuid');
    expect(badId.status).toBe(400);
    expect(badId.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('correcting and resubmitting', () => {
  it('refuses to edit confirmed data', async () => {
    const p = await createPatient(t);
    const res = await p.client.put<ErrorBody>(`/api/persons/${p.person.id}`, validInput());
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      code: 'PERSON_NOT_EDITABLE',
      message: 'Подтверждённые данные изменить нельзя. Обратитесь в регистратуру.',
    });
    expect(await rowOf(p.person.id)).toEqual(p.person);
  });

  it('resubmits rejected data: pending again, the reason cleared, submitted now', async () => {
    const { account, client } = await newSignedIn();
    const rejected = await createPerson(t.ctx, account.id, {
      isMain: true,
      status: 'rejected',
      rejectReason: 'СНИЛС принадлежит другому человеку',
    });
    const before = await client.get<PersonBody>(`/api/persons/${rejected.id}`);
    expect(before.body).toMatchObject({ status: 'rejected', rejectReason: 'СНИЛС принадлежит другому человеку' });

    t.clock.advance(3_600_000);
    const input = validInput({ lastName: 'Смирнова', firstName: 'Елена', middleName: '', sex: 'F' });
    const res = await client.put<PersonBody>(`/api/persons/${rejected.id}`, input);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: rejected.id,
      isMain: true,
      lastName: 'Смирнова',
      firstName: 'Елена',
      middleName: null,
      snils: input.snils,
      policy: input.policy,
      status: 'pending',
      rejectReason: null,
    });
    const row = await rowOf(rejected.id);
    expect(row.submittedAt.toISOString()).toBe(t.clock.current.toISOString());
    expect(row.decidedAt).toBeNull();
    expect(row.decidedBy).toBeNull();
    expect(row.isMain).toBe(true);
  });

  it('lets pending data be corrected, validates it, and refuses a duplicate', async () => {
    const { account, client } = await newSignedIn();
    const a = await createPerson(t.ctx, account.id, { isMain: true, status: 'pending' });
    const b = await createPerson(t.ctx, account.id, { status: 'pending' });

    const ok = await client.put<PersonBody>(`/api/persons/${b.id}`, validInput({ firstName: 'Пётр' }));
    expect(ok.status).toBe(200);
    expect(ok.body.firstName).toBe('Пётр');

    const bad = await client.put<ErrorBody>(`/api/persons/${b.id}`, validInput({ snils: '112-233-445 96' }));
    expect(bad.status).toBe(400);
    expect(bad.body.fields?.snils).toBe('Проверьте СНИЛС: контрольное число не совпадает');
    expect((await rowOf(b.id)).firstName).toBe('Пётр');

    const duplicate = await client.put<ErrorBody>(`/api/persons/${b.id}`, validInput({ snils: a.snils }));
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('PERSON_DUPLICATE');
    expect((await rowOf(b.id)).snils).toBe(ok.body.snils);

    // Keeping one's own numbers is not a duplicate.
    const same = await client.put<PersonBody>(
      `/api/persons/${b.id}`,
      validInput({ snils: ok.body.snils, policy: ok.body.policy }),
    );
    expect(same.status).toBe(200);
  });

  it('needs a signed-in patient to edit', async () => {
    const p = await createPatient(t, { person: { status: 'pending' } });
    const res = await t.client().put<ErrorBody>(`/api/persons/${p.person.id}`, validInput());
    expect(res.status).toBe(401);
    expect(await rowOf(p.person.id)).toEqual(p.person);
  });
});

describe('factories', () => {
  it('make valid, unique СНИЛС and полис numbers', async () => {
    const a = await createAccount(t.ctx);
    const people = await Promise.all([1, 2, 3].map(() => createPerson(t.ctx, a.id)));
    const snils = new Set(people.map((p) => p.snils));
    expect(snils.size).toBe(3);
    for (const p of people) {
      expect(p.snils).toBe(snilsWithChecksum(p.snils.slice(0, 9)));
      expect(p.policy).toMatch(/^\d{16}$/);
      expect(p.status).toBe('confirmed');
    }
  });
});
