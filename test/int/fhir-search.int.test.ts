// FHIR R4 search a client can trust, through HTTP: unknown parameters under strict and lenient
// handling, _count paging to the end by signed next links (no duplicates, no gaps), bad cursors,
// _summary=count, _lastUpdated, POST _search, the filters _id / identifier / patient / slot,
// versions (ETag, If-None-Match -> 304), 405 for a method a path does not serve and 406 for XML.
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slots } from '../../src/server/db/schema.js';
import { zonedToInstant } from '../../src/shared/time.js';
import {
  type AppointmentRow,
  createAppointmentRow,
  createBookableSetup,
  createSlots,
  type BookableSetup,
  type SlotRow,
} from '../factories/catalogue.js';
import { createAccount, createPerson, signIn, type PersonRow } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { apiCall, issueKey } from './integration-api.helpers.js';

type Resource = Record<string, unknown> & { resourceType: string; id: string; meta?: { versionId?: string } };
type Link = { relation: string; url: string };
type Bundle = {
  resourceType: 'Bundle';
  type: string;
  total?: number;
  link: Link[];
  entry?: { fullUrl: string; resource: Resource; search: { mode: string } }[];
};
type Outcome = { resourceType: 'OperationOutcome'; issue: { code: string; details: { coding: { code: string }[] } }[] };

const R4 = '/fhir/R4';
const window = 'start=ge2026-11-26&start=lt2026-11-30';

let t: TestContext;
let clinic: BookableSetup;
let other: BookableSetup;
let key: string;
let otherKey: string;
let extra: SlotRow[];
let patientA: PersonRow;
let patientB: PersonRow;
/** Appointments of the clinic in the order they were made (a minute apart), the last one cancelled. */
const made: { row: AppointmentRow; at: Date }[] = [];

const get = <T>(url: string, headers: Record<string, string> = {}, k: string | null = key) =>
  apiCall<T>(t, 'GET', url, k, undefined, { headers });

/** POST [type]/_search with a form body. */
async function postSearch<T>(path: string, form: string, headers: Record<string, string> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: path,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: form,
  });
  return { status: res.statusCode, body: res.json() as T, headers: res.headers };
}

const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};
const linkOf = (b: Bundle, relation: string) => b.link.find((l) => l.relation === relation)?.url;
const idsOf = (b: Bundle) => (b.entry ?? []).map((e) => e.resource.id);

/** Follows next links from `first` to the end: every page's ids and totals. */
async function allPages(first: string): Promise<{ ids: string[]; pages: number; totals: (number | undefined)[] }> {
  const ids: string[] = [];
  const totals: (number | undefined)[] = [];
  let url: string | undefined = first;
  let pages = 0;
  while (url) {
    const res: { status: number; body: Bundle } = await get<Bundle>(url);
    expect(res.status).toBe(200);
    ids.push(...idsOf(res.body));
    totals.push(res.body.total);
    pages += 1;
    const next = linkOf(res.body, 'next');
    url = next ? pathOf(next) : undefined;
    expect(pages).toBeLessThan(50);
  }
  return { ids, pages, totals };
}

beforeAll(async () => {
  t = await createTestContext();
  clinic = await createBookableSetup(t.ctx);
  other = await createBookableSetup(t.ctx);
  const tz = clinic.organisation.timeZone;
  // 20 more slots on 29 November (local), 08:00 to 17:30 every 30 minutes: 26 in the window.
  extra = await createSlots(
    t.ctx,
    clinic.doctor.id,
    Array.from({ length: 20 }, (_, i) =>
      zonedToInstant('2026-11-29', `${String(8 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`, tz),
    ),
  );
  const operatorAccount = await createAccount(t.ctx, { role: 'operator' });
  const operator = await signIn(t, operatorAccount.email, operatorAccount.password);
  key = (await issueKey(operator, { organisationId: clinic.organisation.id, channel: 'mis' })).key;
  otherKey = (await issueKey(operator, { organisationId: other.organisation.id, channel: 'mis' })).key;
  const account = await createAccount(t.ctx);
  patientA = await createPerson(t.ctx, account.id, { isMain: true });
  patientB = await createPerson(t.ctx, account.id, { lastName: 'Петров', firstName: 'Олег', sex: 'M' });
  for (let i = 0; i < 11; i++) {
    t.clock.advance(60_000);
    const person = i < 7 ? patientA : patientB;
    const row = await createAppointmentRow(t.ctx, extra[i], person.id, {
      status: i === 10 ? 'cancelled' : 'booked',
      bookedByAccountId: account.id,
    });
    made.push({ row, at: t.clock.current });
  }
  // Another organisation's appointment for the same patient: never in the clinic's answers.
  await createAppointmentRow(t.ctx, other.slots[0], patientB.id, { bookedByAccountId: account.id });
});
afterAll(async () => t.close());

describe('paging', () => {
  it('pages slots to the end by next links: every slot once, in order, the total on every page', async () => {
    const everything = await get<Bundle>(`${R4}/Slot?${window}&_count=200`);
    expect(everything.body.total).toBe(26);
    expect(linkOf(everything.body, 'next')).toBeUndefined();
    const paged = await allPages(`${R4}/Slot?${window}&_count=4`);
    expect(paged.pages).toBe(7);
    expect(paged.ids).toEqual(idsOf(everything.body));
    expect(new Set(paged.ids).size).toBe(26);
    expect(paged.totals.every((n) => n === 26)).toBe(true);
  });

  it('pages appointments with filters kept in the next links, and a page size may change on the way', async () => {
    const first = await get<Bundle>(`${R4}/Appointment?patient=Patient/${patientA.id}&_count=3`);
    expect(first.body.total).toBe(7);
    const next = new URL(linkOf(first.body, 'next') ?? '');
    expect(next.searchParams.get('patient')).toBe(`Patient/${patientA.id}`);
    expect(next.searchParams.get('_count')).toBe('3');
    const rest = await allPages(pathOf(next.toString()).replace('_count=3', '_count=2'));
    const all = [...idsOf(first.body), ...rest.ids];
    expect(all).toEqual(made.slice(0, 7).map((m) => m.row.id));
  });

  it('serves at most 200 a page and reads _count=0 as the count only', async () => {
    const big = await get<Bundle>(`${R4}/Slot?${window}&_count=5000`);
    expect(big.status).toBe(200);
    expect(linkOf(big.body, 'self')).toContain('_count=200');
    const zero = await get<Bundle>(`${R4}/Slot?${window}&_count=0`);
    expect(zero.body).toMatchObject({ total: 26 });
    expect(zero.body.entry).toBeUndefined();
  });

  it.each([
    ['a changed byte', (c: string) => c.slice(0, 5) + (c[5] === 'A' ? 'B' : 'A') + c.slice(6)],
    ['garbage', () => 'not-a-cursor'],
  ])('refuses a cursor with %s: 400 CURSOR_INVALID', async (_what, spoil) => {
    const first = await get<Bundle>(`${R4}/Slot?${window}&_count=4`);
    const next = new URL(linkOf(first.body, 'next') ?? '');
    next.searchParams.set('_cursor', spoil(next.searchParams.get('_cursor') ?? ''));
    const res = await get<Outcome>(pathOf(next.toString()));
    expect(res.status).toBe(400);
    expect(res.body.issue[0].details.coding[0].code).toBe('CURSOR_INVALID');
  });

  it('refuses a cursor of another search or another resource type', async () => {
    const first = await get<Bundle>(`${R4}/Slot?${window}&_count=4`);
    const cursor = new URL(linkOf(first.body, 'next') ?? '').searchParams.get('_cursor') ?? '';
    const otherSearch = await get<Outcome>(`${R4}/Slot?${window}&status=free&_cursor=${cursor}`);
    expect(otherSearch.status).toBe(400);
    const otherType = await get<Outcome>(`${R4}/Appointment?_cursor=${cursor}`);
    expect(otherType.status).toBe(400);
    expect(otherType.body.issue[0].details.coding[0].code).toBe('CURSOR_INVALID');
  });
});

describe('unknown parameters', () => {
  it.each([
    ['name=Иванова', 'name'],
    ['status:not=booked', 'status:not'],
    ['_sort=date', '_sort'],
    ['_summary=true', '_summary'],
  ])('%s: lenient drops it from the self link; Prefer: handling=strict refuses it', async (extraParam, name) => {
    const url = `${R4}/Appointment?patient=Patient/${patientA.id}&${extraParam}`;
    const lenient = await get<Bundle>(url);
    expect(lenient.status).toBe(200);
    expect(lenient.body.total).toBe(7);
    const self = new URL(linkOf(lenient.body, 'self') ?? '');
    expect([...self.searchParams.keys()]).toEqual(['patient']);
    const strict = await get<Outcome>(url, { prefer: 'handling=strict' });
    expect(strict.status).toBe(400);
    expect(strict.body.issue[0]).toMatchObject({
      code: 'invalid',
      details: { coding: [{ code: 'SEARCH_PARAMETER_UNSUPPORTED' }] },
    });
    expect(JSON.stringify(strict.body)).toContain(name);
  });

  it('strict handling accepts every declared parameter', async () => {
    const res = await get<Bundle>(`${R4}/Slot?${window}&status=free&schedule=Schedule/${clinic.doctor.id}&_count=2`, {
      prefer: 'handling=strict',
    });
    expect(res.status).toBe(200);
  });
});

describe('filters', () => {
  it('_id, identifier, patient and slot each find exactly what they name', async () => {
    const a = made[2].row;
    const byId = await get<Bundle>(`${R4}/Appointment?_id=${a.id}`);
    expect(idsOf(byId.body)).toEqual([a.id]);
    const byTwo = await get<Bundle>(`${R4}/Appointment?_id=${a.id},${made[3].row.id}`);
    expect(idsOf(byTwo.body)).toEqual([a.id, made[3].row.id]);
    const byReference = await get<Bundle>(
      `${R4}/Appointment?identifier=${encodeURIComponent(`urn:priyom:appointment-reference|${a.reference}`)}`,
    );
    expect(idsOf(byReference.body)).toEqual([a.id]);
    const bareValue = await get<Bundle>(`${R4}/Appointment?identifier=${encodeURIComponent(a.reference)}`);
    expect(idsOf(bareValue.body)).toEqual([a.id]);
    const otherSystem = await get<Bundle>(`${R4}/Appointment?identifier=${encodeURIComponent(`urn:x|${a.reference}`)}`);
    expect(otherSystem.body.total).toBe(0);
    const byPatient = await get<Bundle>(`${R4}/Appointment?patient=Patient/${patientB.id}`);
    expect(idsOf(byPatient.body)).toEqual(made.slice(7).map((m) => m.row.id));
    const bySlot = await get<Bundle>(`${R4}/Appointment?slot=Slot/${extra[4].id}`);
    expect(idsOf(bySlot.body)).toEqual([made[4].row.id]);
    const cancelled = await get<Bundle>(`${R4}/Appointment?patient=Patient/${patientB.id}&status=cancelled`);
    expect(idsOf(cancelled.body)).toEqual([made[10].row.id]);
    const slotById = await get<Bundle>(`${R4}/Slot?_id=${extra[0].id}`);
    expect(idsOf(slotById.body)).toEqual([String(extra[0].id)]);
  });

  it('_include=Appointment:patient adds each page’s patients once, as includes, and the next link keeps it', async () => {
    const res = await get<Bundle>(
      `${R4}/Appointment?patient=Patient/${patientA.id}&_include=Appointment:patient&_count=3`,
    );
    const entries = res.body.entry ?? [];
    expect(entries.map((e) => e.search.mode)).toEqual(['match', 'match', 'match', 'include']);
    expect(entries[3].resource).toMatchObject({
      resourceType: 'Patient',
      id: patientA.id,
      identifier: expect.arrayContaining([expect.objectContaining({ value: patientA.snils })]),
    });
    expect(entries[3].fullUrl).toBe(`http://portal.test/fhir/R4/Patient/${patientA.id}`);
    expect(res.body.total).toBe(7);
    expect(new URL(linkOf(res.body, 'next') ?? '').searchParams.get('_include')).toBe('Appointment:patient');
    const strict = await get<Outcome>(`${R4}/Appointment?_include=Appointment:practitioner`, {
      prefer: 'handling=strict',
    });
    expect(strict.status).toBe(400);
  });

  it('an id of a shape that never exists matches nothing; a malformed reference is 400', async () => {
    expect((await get<Bundle>(`${R4}/Appointment?_id=nope`)).body.total).toBe(0);
    const bad = await get<Outcome>(`${R4}/Appointment?patient=Patient/12`);
    expect(bad.status).toBe(400);
  });

  it('another organisation’s key finds nothing of the clinic, by any filter', async () => {
    const byPatient = await get<Bundle>(`${R4}/Appointment?patient=Patient/${patientA.id}`, {}, otherKey);
    expect(byPatient.body.total).toBe(0);
    const byId = await get<Bundle>(`${R4}/Appointment?_id=${made[0].row.id}`, {}, otherKey);
    expect(byId.body.total).toBe(0);
    const slot = await get<Bundle>(`${R4}/Slot?_id=${extra[0].id}`, {}, otherKey);
    expect(slot.body.total).toBe(0);
  });
});

describe('_summary=count and _lastUpdated', () => {
  it('_summary=count gives the total and no entries', async () => {
    const res = await get<Bundle>(`${R4}/Appointment?date=ge2026-11-29&date=lt2026-11-30&_summary=count`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      resourceType: 'Bundle',
      type: 'searchset',
      total: 11,
      link: [
        {
          relation: 'self',
          url: 'http://portal.test/fhir/R4/Appointment?date=ge2026-11-29&date=lt2026-11-30&_summary=count',
        },
      ],
    });
  });

  it('_lastUpdated finds the appointments changed in a period (a cancellation is a change)', async () => {
    const after = made[7].at.toISOString();
    const changed = await get<Bundle>(`${R4}/Appointment?_lastUpdated=gt${encodeURIComponent(after)}`);
    expect(idsOf(changed.body)).toEqual(made.slice(8).map((m) => m.row.id));
    const between = await get<Bundle>(
      `${R4}/Appointment?_lastUpdated=ge${encodeURIComponent(made[1].at.toISOString())}&_lastUpdated=lt${encodeURIComponent(made[3].at.toISOString())}`,
    );
    expect(idsOf(between.body)).toEqual([made[1].row.id, made[2].row.id]);
    expect((await get<Outcome>(`${R4}/Appointment?_lastUpdated=sa2026-11-01`)).status).toBe(400);
  });

  it('Slot has no time of change: _lastUpdated is unsupported there', async () => {
    const strict = await get<Outcome>(`${R4}/Slot?${window}&_lastUpdated=ge2026-11-01`, { prefer: 'handling=strict' });
    expect(strict.status).toBe(400);
    const lenient = await get<Bundle>(`${R4}/Slot?${window}&_lastUpdated=ge2026-11-01`);
    expect(lenient.body.total).toBe(26);
  });
});

describe('POST _search', () => {
  it('a form body gives what the same GET gives; parameters may also be in the URL', async () => {
    const viaGet = await get<Bundle>(`${R4}/Slot?${window}&status=free&_count=5`);
    const viaPost = await postSearch<Bundle>(`${R4}/Slot/_search`, `${window}&status=free&_count=5`);
    expect(viaPost.status).toBe(200);
    expect(String(viaPost.headers['content-type'])).toMatch(/^application\/fhir\+json/);
    expect(idsOf(viaPost.body)).toEqual(idsOf(viaGet.body));
    expect(viaPost.body.total).toBe(viaGet.body.total);
    const split = await postSearch<Bundle>(`${R4}/Slot/_search?status=free`, `${window}&_count=5`);
    expect(idsOf(split.body)).toEqual(idsOf(viaGet.body));
    // The patient's id stays out of the URL: searched in the body.
    const byPatient = await postSearch<Bundle>(`${R4}/Appointment/_search`, `patient=Patient/${patientA.id}`);
    expect(byPatient.body.total).toBe(7);
  });

  it('strict handling and bad values work the same in a form body; a JSON body is refused', async () => {
    const strict = await postSearch<Outcome>(`${R4}/Appointment/_search`, 'name=x', { prefer: 'handling=strict' });
    expect(strict.status).toBe(400);
    const badDate = await postSearch<Outcome>(`${R4}/Slot/_search`, 'start=ge2026-11-26');
    expect(badDate.status).toBe(400);
    const json = await t.app.inject({
      method: 'POST',
      url: `${R4}/Slot/_search`,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      payload: { start: 'ge2026-11-26' },
    });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ resourceType: 'OperationOutcome' });
  });
});

describe('versions', () => {
  it('an appointment’s versionId is the microseconds of its last change; If-None-Match gives 304', async () => {
    const a = made[0];
    const read = await get<Resource>(`${R4}/Appointment/${a.row.id}`);
    expect(read.status).toBe(200);
    const version = String(a.at.getTime() * 1000);
    expect(read.body.meta).toEqual({ versionId: version, lastUpdated: a.at.toISOString().replace('Z', '000Z') });
    expect(read.headers.etag).toBe(`W/"${version}"`);
    const again = await t.app.inject({
      method: 'GET',
      url: `${R4}/Appointment/${a.row.id}`,
      headers: { authorization: `Bearer ${key}`, 'if-none-match': `W/"${version}"` },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const stale = await get<Resource>(`${R4}/Appointment/${a.row.id}`, { 'if-none-match': 'W/"1"' });
    expect(stale.status).toBe(200);
    // The search shows the same version as the read.
    const found = await get<Bundle>(`${R4}/Appointment?_id=${a.row.id}`);
    expect(found.body.entry?.[0].resource.meta?.versionId).toBe(version);
  });

  it('a cancellation makes a new version', async () => {
    const a = made[6].row;
    const before = await get<Resource>(`${R4}/Appointment/${a.id}`);
    t.clock.advance(60_000);
    const cancel = await apiCall(t, 'POST', `/api/integration/v1/appointments/${a.id}/status`, key, {
      status: 'cancelled',
      cancelledBy: 'clinic',
    });
    expect(cancel.status).toBe(200);
    const after = await t.app.inject({
      method: 'GET',
      url: `${R4}/Appointment/${a.id}`,
      headers: { authorization: `Bearer ${key}`, 'if-none-match': String(before.headers.etag) },
    });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).toBe(`W/"${t.clock.current.getTime() * 1000}"`);
  });

  it('slots and schedules are versioned by their content', async () => {
    const slot = await get<Resource>(`${R4}/Slot/${extra[15].id}`);
    expect(slot.headers.etag).toBe(`W/"${slot.body.meta?.versionId}"`);
    const same = await t.app.inject({
      method: 'GET',
      url: `${R4}/Slot/${extra[15].id}`,
      headers: { authorization: `Bearer ${key}`, 'if-none-match': String(slot.headers.etag) },
    });
    expect(same.statusCode).toBe(304);
    const schedule = await get<Resource>(`${R4}/Schedule/${clinic.doctor.id}`);
    expect(schedule.body).toMatchObject({
      specialty: [{ coding: [{ system: 'urn:priyom:specialty', code: String(clinic.specialty.id) }] }],
    });
    expect(schedule.headers.etag).toMatch(/^W\/"[0-9a-f]{16}"$/);
  });
});

describe('HTTP', () => {
  it.each([
    ['DELETE', `/Slot/1`, 'GET, HEAD'],
    ['PUT', `/Schedule/1`, 'GET, HEAD'],
    ['POST', `/Slot`, 'GET, HEAD'],
    ['DELETE', `/Appointment`, 'GET, HEAD, POST'],
    ['GET', `/Slot/_search`, null],
  ])('%s %s: 405 with Allow', async (method, path, allow) => {
    const res = await t.app.inject({
      method: method as 'GET',
      url: `${R4}${path}`,
      headers: { authorization: `Bearer ${key}` },
    });
    if (allow === null) {
      // GET on _search reads "_search" as a slot id: not a slot.
      expect(res.statusCode).toBe(400);
      return;
    }
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expect(res.json()).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ code: 'not-supported', details: { coding: [{ code: 'METHOD_NOT_ALLOWED' }] } }],
    });
  });

  it.each([
    [{ accept: 'application/fhir+xml' }, '', 406],
    [{ accept: 'application/xml, text/xml' }, '', 406],
    [{ accept: 'application/fhir+json;q=0, application/fhir+xml' }, '', 406],
    [{}, '&_format=xml', 406],
    [{}, '&_format=application/fhir%2Bxml', 406],
    [{ accept: 'application/fhir+json' }, '', 200],
    [{ accept: 'application/json' }, '', 200],
    [{ accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }, '', 200],
    [{ accept: 'application/fhir+xml' }, '&_format=json', 200],
  ])('Accept %j with %s: %i', async (headers, format, status) => {
    const res = await get<Bundle | Outcome>(`${R4}/Slot?${window}${format}`, headers as Record<string, string>);
    expect(res.status).toBe(status);
    expect(String(res.headers['content-type'])).toMatch(/^application\/fhir\+json/);
    if (status === 406) {
      expect((res.body as Outcome).issue[0].details.coding[0].code).toBe('NOT_ACCEPTABLE');
    } else {
      // _format is a general parameter: never in the links.
      expect(linkOf(res.body as Bundle, 'self')).not.toContain('_format');
    }
  });

  it('the CapabilityStatement lists each resource’s search parameters', async () => {
    const res = await get<{
      rest: { resource: { type: string; searchParam?: { name: string }[]; conditionalRead?: string }[] }[];
    }>(`${R4}/metadata`, {}, null);
    const appointment = res.body.rest[0].resource.find((r) => r.type === 'Appointment');
    expect(appointment?.searchParam?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['_id', 'identifier', 'patient', 'date', 'status', '_lastUpdated', '_count']),
    );
    expect(appointment?.conditionalRead).toBe('not-match');
  });
});

describe('keyset paging while the schedule changes', () => {
  it('slots added while a client pages: every slot that was there comes once, a new one after the position too', async () => {
    const tz = clinic.organisation.timeZone;
    const before = idsOf((await get<Bundle>(`${R4}/Slot?${window}&_count=200`)).body);
    const first = await get<Bundle>(`${R4}/Slot?${window}&_count=5`);
    // A slot before the page's position and one after it, made between two pages.
    const added = await createSlots(t.ctx, clinic.doctor.id, [
      zonedToInstant('2026-11-26', '08:00', tz),
      zonedToInstant('2026-11-29', '18:00', tz),
    ]);
    try {
      const rest = await allPages(pathOf(linkOf(first.body, 'next') ?? ''));
      const seen = [...idsOf(first.body), ...rest.ids];
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.filter((id) => before.includes(id))).toEqual(before);
      expect(seen).toContain(String(added[1].id));
      expect(seen).not.toContain(String(added[0].id));
      // An offset would have shown the slot at the fifth place again on the second page.
    } finally {
      await t.ctx.db.delete(slots).where(
        inArray(
          slots.id,
          added.map((s) => s.id),
        ),
      );
    }
  });
});
