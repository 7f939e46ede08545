// Table tests of the FHIR search framework: handling of unknown parameters, the result
// parameters (_count, _summary, _lastUpdated, _include, _cursor), parameter types, cursors
// and links.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../errors.js';
import {
  countBundle,
  dateParam,
  defineSearch,
  encodeCursor,
  formParameters,
  handlingOf,
  identifierParam,
  idParam,
  mergeParameters,
  pageOf,
  parseDateBounds,
  parseSearch,
  readCursor,
  referenceParam,
  searchsetBundle,
  splitOr,
  tokenParam,
  type Handling,
  type RawParameters,
} from './fhir.search.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const uuidOrNull = (id: string) => (UUID.test(id) ? id : null);
const intOrNull = (id: string) => (/^[1-9]\d{0,8}$/.test(id) ? Number(id) : null);

const def = defineSearch({
  resourceType: 'Appointment',
  keyset: ['string', 'string'],
  lastUpdated: true,
  includes: ['Appointment:patient'],
  params: {
    _id: idParam('ids', uuidOrNull),
    status: tokenParam(
      'status',
      ['booked', 'cancelled', 'noshow'] as const,
      'status',
      'http://hl7.org/fhir/appointmentstatus',
    ),
    actor: referenceParam('actor', 'Practitioner', 'doctor', intOrNull),
    identifier: identifierParam('identifier'),
    date: dateParam('date', 'visit start', { maxDays: 31 }),
  },
});

const SECRET = 'test-secret';
const TZ = 'Europe/Samara'; // UTC+4, no DST
const parse = (raw: RawParameters, handling: Handling = 'lenient') =>
  parseSearch(def, raw, handling, { timeZone: TZ, cursorSecret: SECRET });

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    return e instanceof AppError ? e.code : `not an AppError: ${String(e)}`;
  }
}

describe('handlingOf', () => {
  it.each([
    [undefined, 'lenient'],
    ['handling=strict', 'strict'],
    ['return=minimal, handling=strict', 'strict'],
    ['handling="strict"', 'strict'],
    ['HANDLING=STRICT', 'strict'],
    ['handling=lenient', 'lenient'],
    [['return=minimal', 'handling=strict'], 'strict'],
    ['respond-async', 'lenient'],
  ] as const)('Prefer %j -> %s', (header, expected) => {
    expect(handlingOf(header as string | string[] | undefined)).toBe(expected);
  });
});

describe('splitOr', () => {
  it.each([
    ['a', ['a']],
    ['a,b', ['a', 'b']],
    ['a\\,b,c', ['a,b', 'c']],
    ['a\\\\,b', ['a\\', 'b']],
    [',', ['', '']],
  ])('%j -> %j', (value, expected) => {
    expect(splitOr(value)).toEqual(expected);
  });
});

describe('unknown and unsupported parameters', () => {
  it.each([
    ['an unknown parameter', { name: 'x' }, 'name'],
    ['an unsupported modifier', { 'status:not': 'booked' }, 'status:not'],
    ['a chained parameter', { 'actor.name': 'x' }, 'actor.name'],
    ['an unsupported _summary', { _summary: 'true' }, '_summary'],
    ['an unsupported _include', { _include: 'Appointment:actor' }, '_include'],
    ['_sort', { _sort: 'date' }, '_sort'],
  ])('%s: 400 under strict handling, dropped from the links under lenient', (_what, raw, name) => {
    expect(codeOf(() => parse({ ...raw, status: 'booked' }, 'strict'))).toBe('SEARCH_PARAMETER_UNSUPPORTED');
    const s = parse({ ...raw, status: 'booked' });
    expect(s.ignored).toEqual([name]);
    expect(s.used).toEqual([['status', 'booked']]);
  });

  it('names the parameter, never its value, in the strict refusal', () => {
    try {
      parse({ snils: '123-456-789 00' }, 'strict');
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).details).toEqual({ parameter: 'snils' });
      expect((e as AppError).message).toContain('snils');
      expect((e as AppError).message).not.toContain('123-456');
      expect((e as AppError).message).toContain('_lastUpdated');
    }
  });

  it('ignores empty parameters, and keeps _format and _pretty out of the links', () => {
    const s = parse({ status: '', _format: 'json', _pretty: 'true', actor: 'Practitioner/3' }, 'strict');
    expect(s.used).toEqual([['actor', 'Practitioner/3']]);
    expect(s.values).toEqual({ actor: [3] });
  });

  it('refuses control characters and very long values under either handling', () => {
    expect(codeOf(() => parse({ status: 'booked\u0000' }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => parse({ unknown: 'x'.repeat(1001) }))).toBe('VALIDATION_FAILED');
  });
});

describe('result parameters', () => {
  it.each([
    [{}, 50, null],
    [{ _count: '10' }, 10, null],
    [{ _count: '200' }, 200, null],
    [{ _count: '5000' }, 200, null],
    [{ _count: '0' }, 50, 'count'],
    [{ _summary: 'count' }, 50, 'count'],
    [{ _summary: 'false' }, 50, null],
  ] as const)('%j -> count %i, summary %s', (raw, count, summary) => {
    const s = parse(raw);
    expect(s.count).toBe(count);
    expect(s.summary).toBe(summary);
  });

  it.each([
    [{ _count: '-1' }],
    [{ _count: 'ten' }],
    [{ _count: '1.5' }],
    [{ _count: ['5', '6'] }],
    [{ _summary: ['count', 'false'] }],
  ])('%j is a bad value: 400 under either handling', (raw) => {
    expect(codeOf(() => parse(raw))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => parse(raw, 'strict'))).toBe('VALIDATION_FAILED');
  });

  it('_lastUpdated as bounds', () => {
    const s = parse({ _lastUpdated: ['ge2026-11-25T10:00:00Z', 'lt2026-11-26'] });
    expect(s.lastUpdated).toEqual({
      from: new Date('2026-11-25T10:00:00Z'),
      to: new Date('2026-11-25T20:00:00Z'), // local midnight of the 26th in UTC+4
    });
  });

  it('_lastUpdated is unsupported where the resource has no time of change', () => {
    const slots = defineSearch({ resourceType: 'Slot', keyset: ['number'], lastUpdated: false, params: {} });
    expect(
      codeOf(() =>
        parseSearch(slots, { _lastUpdated: 'ge2026-01-01' }, 'strict', { timeZone: TZ, cursorSecret: SECRET }),
      ),
    ).toBe('SEARCH_PARAMETER_UNSUPPORTED');
  });

  it('_include of a declared include', () => {
    expect([...parse({ _include: 'Appointment:patient' }).includes]).toEqual(['Appointment:patient']);
  });

  it('refuses a result parameter declared as a resource parameter', () => {
    expect(() =>
      defineSearch({ resourceType: 'X', keyset: [], lastUpdated: false, params: { _count: idParam('x', intOrNull) } }),
    ).toThrow();
  });
});

describe('parameter types', () => {
  it.each([
    [{ status: 'booked' }, ['booked']],
    [{ status: 'booked,cancelled' }, ['booked', 'cancelled']],
    [{ status: ['booked,cancelled', 'cancelled,noshow'] }, ['cancelled']],
    [{ status: ['booked', 'noshow'] }, []],
    [{ status: 'http://hl7.org/fhir/appointmentstatus|booked' }, ['booked']],
    [{ status: '|booked' }, ['booked']],
  ])('token %j -> %j', (raw, expected) => {
    expect([...(parse(raw).values.status ?? [])]).toEqual(expected);
  });

  it.each([[{ status: 'maybe' }], [{ status: 'http://other.example/cs|booked' }], [{ status: 'booked,' }]])(
    'token %j: 400',
    (raw) => {
      expect(codeOf(() => parse(raw))).toBe('VALIDATION_FAILED');
    },
  );

  const a = '11111111-1111-4111-8111-111111111111';
  const b = '22222222-2222-4222-8222-222222222222';
  it.each([
    [{ _id: a }, [a]],
    [{ _id: `${a},${b}` }, [a, b]],
    [{ _id: [`${a},${b}`, b] }, [b]],
    [{ _id: 'not-a-uuid' }, []],
    [{ _id: `${a},${a}` }, [a]],
  ])('_id %j -> %j (an id of another shape matches nothing)', (raw, expected) => {
    expect(parse(raw).values._id).toEqual(expected);
  });

  it.each([
    [{ actor: 'Practitioner/12' }, [12]],
    [{ actor: '12' }, [12]],
    [{ actor: 'Practitioner/12,Practitioner/13' }, [12, 13]],
  ])('reference %j -> %j', (raw, expected) => {
    expect(parse(raw).values.actor).toEqual(expected);
  });

  it.each([[{ actor: 'Patient/12' }], [{ actor: 'Practitioner/abc' }], [{ actor: 'http://x/Practitioner/1' }]])(
    'reference %j: 400',
    (raw) => {
      expect(codeOf(() => parse(raw))).toBe('VALIDATION_FAILED');
    },
  );

  it.each([
    [{ identifier: 'https://s|A-1' }, [[{ system: 'https://s', value: 'A-1' }]]],
    [{ identifier: 'A-1' }, [[{ system: null, value: 'A-1' }]]],
    [{ identifier: '|A-1' }, [[{ system: null, value: 'A-1' }]]],
    [
      { identifier: ['s|1,s|2', 't|3'] },
      [
        [
          { system: 's', value: '1' },
          { system: 's', value: '2' },
        ],
        [{ system: 't', value: '3' }],
      ],
    ],
  ])('identifier %j', (raw, expected) => {
    expect(parse(raw).values.identifier).toEqual(expected);
  });

  it('identifier without a value: 400', () => {
    expect(codeOf(() => parse({ identifier: 'https://s|' }))).toBe('VALIDATION_FAILED');
  });
});

describe('dates', () => {
  // Europe/Samara is UTC+4 all year: local midnight of the 26th is 20:00Z on the 25th.
  it.each([
    [['2026-11-26'], '2026-11-25T20:00:00.000Z', '2026-11-26T20:00:00.000Z'],
    [['ge2026-11-26'], '2026-11-25T20:00:00.000Z', null],
    [['gt2026-11-26'], '2026-11-26T20:00:00.000Z', null],
    [['lt2026-11-26'], null, '2026-11-25T20:00:00.000Z'],
    [['le2026-11-26'], null, '2026-11-26T20:00:00.000Z'],
    [['gt2026-11-26T10:00:00Z'], '2026-11-26T10:00:01.000Z', null],
    [['gt2026-11-26T10:00Z'], '2026-11-26T10:01:00.000Z', null],
    [['gt2026-11-26T10:00:00.5Z'], '2026-11-26T10:00:00.501Z', null],
    [
      ['ge2026-11-26T10:00:00+04:00', 'lt2026-11-26T12:00:00+04:00'],
      '2026-11-26T06:00:00.000Z',
      '2026-11-26T08:00:00.000Z',
    ],
    [['ge2026-11-26', 'ge2026-11-27'], '2026-11-26T20:00:00.000Z', null],
  ])('%j -> [%s, %s)', (values, from, to) => {
    const b = parseDateBounds(values, TZ, 'date');
    expect(b.from?.toISOString() ?? null).toBe(from);
    expect(b.to?.toISOString() ?? null).toBe(to);
  });

  it.each([['ne2026-11-26'], ['sa2026-11-26'], ['2026-02-30'], ['2026-11'], ['2026-11-26T10:00:00'], ['soon']])(
    '%s: 400',
    (v) => {
      expect(codeOf(() => parseDateBounds([v], TZ, 'date'))).toBe('VALIDATION_FAILED');
    },
  );

  it.each([
    [['ge2026-11-26', 'lt2026-11-29'], true],
    [['ge2026-11-26'], false],
    [['ge2026-11-01', 'lt2026-12-05'], false],
    [['ge2026-11-29', 'lt2026-11-26'], false],
  ])('a windowed date parameter %j ok: %s', (values, ok) => {
    expect(codeOf(() => parse({ date: values }))).toBe(ok ? null : 'VALIDATION_FAILED');
  });
});

describe('cursors', () => {
  const search = parse({ status: 'booked', _count: '2' });
  const position = ['2026-11-26T06:00:00.000Z', '11111111-1111-4111-8111-111111111111'] as const;
  const cursor = encodeCursor(search, position, SECRET);

  it('round-trips a position, and holds no personal data in clear beyond sort keys', () => {
    expect(readCursor(cursor, search, def.keyset, SECRET)).toEqual(position);
    expect(parse({ status: 'booked', _cursor: cursor }).after).toEqual(position);
  });

  it('lets the page size change between pages', () => {
    expect(parse({ status: 'booked', _count: '7', _cursor: cursor }).after).toEqual(position);
  });

  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  it.each([
    ['a changed payload byte', flip(cursor, 3)],
    ['a changed signature byte', flip(cursor, cursor.length - 2)],
    ['another secret', encodeCursor(search, position, 'other-secret')],
    ['no signature', cursor.split('.')[0]],
    ['garbage', 'abc'],
    ['an empty-looking value', '.'],
    ['a wrong keyset shape', encodeCursor(search, [1, 2], SECRET)],
    ['a wrong keyset length', encodeCursor(search, ['x'], SECRET)],
  ])('%s: 400 CURSOR_INVALID', (_what, bad) => {
    expect(codeOf(() => parse({ status: 'booked', _cursor: bad }))).toBe('CURSOR_INVALID');
  });

  it('is bound to its search: other parameters or another resource type refuse it', () => {
    expect(codeOf(() => parse({ status: 'cancelled', _cursor: cursor }))).toBe('CURSOR_INVALID');
    expect(codeOf(() => parse({ _cursor: cursor }))).toBe('CURSOR_INVALID');
    const other = defineSearch({ ...def, resourceType: 'Slot' });
    expect(
      codeOf(() =>
        parseSearch(other, { status: 'booked', _cursor: cursor }, 'lenient', { timeZone: TZ, cursorSecret: SECRET }),
      ),
    ).toBe('CURSOR_INVALID');
  });

  it('a cursor is refused under either handling', () => {
    expect(codeOf(() => parse({ _cursor: 'abc' }, 'strict'))).toBe('CURSOR_INVALID');
  });
});

describe('pages and Bundles', () => {
  const rows = [5, 1, 4, 2, 3].map((n) => ({ n }));
  const keyOf = (r: { n: number }) => [r.n] as const;

  it.each([
    [null, 2, [1, 2], [2]],
    [[2], 2, [3, 4], [4]],
    [[4], 2, [5], null],
    [[5], 2, [], null],
    [null, 5, [1, 2, 3, 4, 5], null],
  ] as const)('pageOf after %j, %i a page', (after, count, page, next) => {
    const r = pageOf(rows, keyOf, after, count);
    expect(r.page.map((x) => x.n)).toEqual(page);
    expect(r.next).toEqual(next);
  });

  it('links: self with the used parameters only, next with _count and the cursor', () => {
    const s = parse({ status: 'booked', name: 'dropped', _count: '2', _format: 'json' });
    const bundle = searchsetBundle({
      base: 'https://p.example/fhir/R4',
      search: s,
      matches: [{ resourceType: 'Appointment', id: 'a1' }],
      total: 3,
      next: ['2026-11-26T06:00:00.000Z', 'a1'],
      cursorSecret: SECRET,
    }) as unknown as { link: { relation: string; url: string }[]; entry: unknown[]; total: number };
    expect(bundle.total).toBe(3);
    expect(bundle.link[0]).toEqual({
      relation: 'self',
      url: 'https://p.example/fhir/R4/Appointment?status=booked&_count=2',
    });
    const next = new URL(bundle.link[1].url);
    expect(bundle.link[1].relation).toBe('next');
    expect(next.searchParams.get('status')).toBe('booked');
    expect(next.searchParams.get('_count')).toBe('2');
    expect(next.searchParams.has('name')).toBe(false);
    const again = parse(Object.fromEntries(next.searchParams));
    expect(again.after).toEqual(['2026-11-26T06:00:00.000Z', 'a1']);
    expect(bundle.entry).toEqual([
      {
        fullUrl: 'https://p.example/fhir/R4/Appointment/a1',
        resource: { resourceType: 'Appointment', id: 'a1' },
        search: { mode: 'match' },
      },
    ]);
  });

  it('the last page has no next link; its self link carries the cursor it was asked with', () => {
    const first = parse({ status: 'booked' });
    const cursor = encodeCursor(first, ['x', 'y'], SECRET);
    const s = parse({ status: 'booked', _cursor: cursor });
    const bundle = searchsetBundle({
      base: 'b',
      search: s,
      matches: [],
      next: null,
      cursorSecret: SECRET,
    }) as unknown as { link: { relation: string; url: string }[] };
    expect(bundle.link.map((l) => l.relation)).toEqual(['self']);
    expect(new URL(bundle.link[0].url, 'http://h/').searchParams.get('_cursor')).toBe(cursor);
  });

  it('_summary=count: the total, no entries', () => {
    expect(countBundle('b', parse({ _summary: 'count', status: 'booked' }), 7)).toEqual({
      resourceType: 'Bundle',
      type: 'searchset',
      total: 7,
      link: [{ relation: 'self', url: 'b/Appointment?_summary=count&status=booked' }],
    });
  });
});

describe('form bodies', () => {
  it('reads a form body and merges it with the query', () => {
    const form = formParameters('status=booked&_count=2&date=ge2026-11-26&date=lt2026-11-29&x=%D0%B0');
    expect(form).toEqual({ status: ['booked'], _count: ['2'], date: ['ge2026-11-26', 'lt2026-11-29'], x: ['а'] });
    expect(mergeParameters({ _format: 'json', status: 'cancelled' }, form)).toEqual({
      _format: ['json'],
      status: ['cancelled', 'booked'],
      _count: ['2'],
      date: ['ge2026-11-26', 'lt2026-11-29'],
      x: ['а'],
    });
  });
});
