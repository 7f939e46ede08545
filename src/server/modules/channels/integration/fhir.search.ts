// The FHIR R4 search framework every resource of the FHIR view (/fhir/R4) shares: a resource
// declares its search parameters (name, type, parser) once, and a request's parameters - the
// query string of a GET, or the form body of a POST [type]/_search merged with its query - are
// checked against them under the client's handling preference (FHIR R4 http.html#search,
// search.html#errors). Paging is keyset paging with an opaque, HMAC-signed cursor bound to the
// search it came from. Pure: no I/O, no clock.
//
// How a resource uses it:
//   const def = defineSearch({ resourceType: 'Slot', keyset: ['string', 'number'], params: {
//     _id: idParam(...), status: tokenParam([...]), start: dateParam(...) } });
//   const s = parseSearch(def, parametersOf(request), handlingOf(request.headers.prefer), { timeZone });
//   s.values.status            // Set<'free' | ...> | undefined: parsed, typed, absent when not given
//   s.after                    // the keyset position the page starts after (from _cursor), or null
//   s.count / s.summary        // page size (default 50, at most 200); 'count' for _summary=count
//   searchsetBundle({ base, search: s, matches, total, next: keysetOfLastRow, cursorSecret })
//
// Rules (documented in docs/integration-api.md «HL7 FHIR R4»):
// - A parameter the resource does not declare, a modifier (`status:not`) it does not support, or
//   an unsupported `_summary` value: under `Prefer: handling=strict` 400 OperationOutcome
//   (SEARCH_PARAMETER_UNSUPPORTED); under lenient handling (the default) the parameter is
//   dropped and left out of the Bundle's `self` link. A supported parameter with a bad value is
//   400 under either handling. A parameter with an empty value is ignored (search.html#errors).
// - Repeating a parameter is AND; commas inside one value are OR (`\,` is a literal comma).
// - `_count`: default 50, maximum 200 (more is served as 200, as FHIR allows); `_count=0` is
//   `_summary=count`. `_cursor`: the opaque position from a `next` link; tampered, from another
//   search or another resource type: 400 CURSOR_INVALID.
// - `_lastUpdated` (prefixes eq, ge, gt, le, lt) where the resource declares it has a last
//   update time. `_format` (json only: XML is 406, answered by the routes) and `_pretty` are
//   general parameters, accepted and left out of the links.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { addDays, zonedToInstant } from '../../../../shared/time.js';
import { hasForbiddenCharacters } from '../../../../shared/text.js';
import { AppError } from '../../../errors.js';

export type Handling = 'strict' | 'lenient';

/** A search's parameters as Fastify parses a query string (or the form body of POST _search). */
export type RawParameters = Readonly<Record<string, string | readonly string[] | undefined>>;

/** A position in a search's sort order: the sort key of the last row of a page. */
export type Keyset = readonly (string | number)[];
export type KeysetShape = readonly ('string' | 'number')[];

export interface ParamContext {
  /** The organisation's IANA zone: a date without a time is a whole local day there. */
  timeZone: string;
}

export type ParamType = 'token' | 'reference' | 'date' | 'string' | 'number' | 'uri' | 'special';

export interface SearchParam<T> {
  type: ParamType;
  /** What the CapabilityStatement says about the parameter. */
  documentation: string;
  /**
   * The parsed value of every occurrence of the parameter (raw, in request order; a comma
   * inside one is OR, the occurrences together are AND). Throws AppError for a bad value.
   */
  parse(occurrences: readonly string[], c: ParamContext): T;
}

/** A resource's parameters; each entry keeps its own value type (ValuesOf). */
export type ParamTable = Record<string, SearchParam<unknown>>;

export interface SearchDefinition<P extends ParamTable> {
  resourceType: string;
  params: P;
  /** The types of the sort key a cursor carries (checked when a cursor is read back). */
  keyset: KeysetShape;
  /** Whether the resource has a real last-update instant (and so supports `_lastUpdated`). */
  lastUpdated: boolean;
  /** `_include` values the resource serves, e.g. `Appointment:patient`. */
  includes?: readonly string[];
}

export type ValuesOf<P extends ParamTable> = { [K in keyof P]?: ReturnType<P[K]['parse']> };

export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 200;

/** Instants a date search compares with: [from, to) half-open, either end open (null). */
export interface DateBounds {
  from: Date | null;
  to: Date | null;
}

export interface ParsedSearch<P extends ParamTable> {
  resourceType: string;
  values: ValuesOf<P>;
  /** `_lastUpdated` bounds, or null when not given. */
  lastUpdated: DateBounds | null;
  /** `_include` values asked for (each one the resource declares). */
  includes: ReadonlySet<string>;
  /** Page size (after the maximum is applied). */
  count: number;
  summary: 'count' | null;
  /** Where the page starts: after this position in the sort order (from `_cursor`). */
  after: Keyset | null;
  /** The raw `_cursor` value this page was asked with (it goes back into the self link). */
  cursor: string | null;
  /** The parameters used, in request order and as sent: what the self and next links carry. */
  used: readonly (readonly [string, string])[];
  /** Parameters dropped under lenient handling (names only). */
  ignored: readonly string[];
}

export function defineSearch<P extends ParamTable>(def: SearchDefinition<P>): SearchDefinition<P> {
  for (const name of Object.keys(def.params)) {
    if (RESULT_PARAMETERS.has(name)) throw new Error(`${def.resourceType}: ${name} is a result parameter`);
  }
  return def;
}

/** Parameters the framework handles itself for every resource. */
const RESULT_PARAMETERS = new Set(['_count', '_cursor', '_summary', '_lastUpdated', '_include', '_format', '_pretty']);
/** General parameters (http.html#parameters): accepted, never part of a link. */
const FORMAT_PARAMETERS = new Set(['_format', '_pretty']);

function invalid(param: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', { parameter: param }, `Параметр ${param}: ${message}`);
}

/** The handling preference of a request's `Prefer` header (lenient unless handling=strict). */
export function handlingOf(prefer: string | string[] | undefined): Handling {
  const text = Array.isArray(prefer) ? prefer.join(',') : (prefer ?? '');
  for (const part of text.split(/[,;]/)) {
    const [k, v] = part.split('=').map((s) => s.trim().toLowerCase());
    if (k === 'handling' && v?.replace(/"/g, '') === 'strict') return 'strict';
  }
  return 'lenient';
}

/** One value split at unescaped commas (OR), `\,` read as a comma. */
export function splitOr(value: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\' && i + 1 < value.length && (value[i + 1] === ',' || value[i + 1] === '\\')) {
      current += value[i + 1];
      i++;
    } else if (ch === ',') {
      out.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  out.push(current);
  return out;
}

function listOf(v: string | readonly string[] | undefined): string[] {
  return v === undefined ? [] : typeof v === 'string' ? [v] : [...v];
}

/** The form body of POST [type]/_search as parameters (repeated names become arrays). */
export function formParameters(body: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = [...(out[k] ?? []), v];
  return out;
}

/** Query and form parameters together (POST _search may carry both; FHIR combines them). */
export function mergeParameters(...sources: (RawParameters | undefined)[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of sources) {
    if (!s) continue;
    for (const [k, v] of Object.entries(s)) out[k] = [...(out[k] ?? []), ...listOf(v)];
  }
  return out;
}

/**
 * Checks a search's parameters against the resource's definition. `cursorSecret` verifies a
 * `_cursor`. Throws AppError: SEARCH_PARAMETER_UNSUPPORTED (strict handling), VALIDATION_FAILED
 * (a bad value), CURSOR_INVALID.
 */
export function parseSearch<P extends ParamTable>(
  def: SearchDefinition<P>,
  raw: RawParameters,
  handling: Handling,
  c: ParamContext & { cursorSecret: string },
): ParsedSearch<P> {
  const used: [string, string][] = [];
  const ignored: string[] = [];
  const occurrences = new Map<string, string[]>();
  let count = DEFAULT_COUNT;
  let summary: 'count' | null = null;
  let cursor: string | null = null;
  let lastUpdated: DateBounds | null = null;
  const includes = new Set<string>();

  const unsupported = (name: string, why: string) => {
    if (handling === 'strict') {
      throw new AppError(
        'SEARCH_PARAMETER_UNSUPPORTED',
        { parameter: name },
        `Параметр поиска ${name} не поддерживается для ${def.resourceType}: ${why}. Поддерживаются: ${supportedNames(def).join(', ')}.`,
      );
    }
    ignored.push(name);
  };

  for (const [name, value] of Object.entries(raw)) {
    const values = listOf(value);
    for (const v of values) {
      if (v.length > 1000 || hasForbiddenCharacters(v)) {
        throw invalid(name, 'недопустимое значение (управляющие или невидимые знаки, или длиннее 1000 символов)');
      }
    }
    const given = values.filter((v) => v !== '');
    if (given.length === 0) continue; // empty parameters are ignored
    if (FORMAT_PARAMETERS.has(name)) continue;
    if (name === '_count') {
      if (given.length > 1) throw invalid(name, 'укажите один раз');
      if (!/^\d{1,6}$/.test(given[0])) throw invalid(name, 'целое число от 0');
      const n = Number(given[0]);
      if (n === 0) summary = 'count';
      count = Math.min(n, MAX_COUNT) || DEFAULT_COUNT;
      used.push([name, n === 0 ? '0' : String(count)]);
      continue;
    }
    if (name === '_summary') {
      if (given.length > 1) throw invalid(name, 'укажите один раз');
      if (given[0] === 'count') {
        summary = 'count';
        used.push([name, 'count']);
      } else if (given[0] === 'false') {
        used.push([name, 'false']);
      } else {
        unsupported(name, `поддерживаются только значения count и false, не ${given[0].slice(0, 20)}`);
      }
      continue;
    }
    if (name === '_cursor') {
      if (given.length > 1) throw invalid(name, 'укажите один раз');
      cursor = given[0];
      continue;
    }
    if (name === '_lastUpdated') {
      if (!def.lastUpdated) {
        unsupported(name, 'у этого ресурса нет времени последнего изменения');
        continue;
      }
      lastUpdated = parseDateBounds(given, c.timeZone, name);
      for (const v of given) used.push([name, v]);
      continue;
    }
    if (name === '_include') {
      for (const v of given) {
        if (def.includes?.includes(v)) {
          includes.add(v);
          used.push([name, v]);
        } else unsupported(name, `включение ${v.slice(0, 60)} не поддерживается`);
      }
      continue;
    }
    const base = name.split(':')[0];
    if (!Object.hasOwn(def.params, base)) {
      unsupported(name, 'неизвестный параметр');
      continue;
    }
    if (base !== name) {
      unsupported(name, 'модификаторы не поддерживаются');
      continue;
    }
    occurrences.set(name, given);
    for (const v of given) used.push([name, v]);
  }

  const values: ValuesOf<P> = {};
  for (const [name, given] of occurrences) {
    values[name as keyof P] = def.params[name].parse(given, c) as ValuesOf<P>[keyof P];
  }
  const search: ParsedSearch<P> = {
    resourceType: def.resourceType,
    values,
    lastUpdated,
    includes,
    count,
    summary,
    after: null,
    cursor,
    used,
    ignored,
  };
  if (cursor !== null) {
    const after = readCursor(cursor, search, def.keyset, c.cursorSecret);
    if (after === null) {
      throw new AppError(
        'CURSOR_INVALID',
        { parameter: '_cursor' },
        'Неверный курсор: перейдите по ссылке next из предыдущего ответа, не меняя остальных параметров поиска.',
      );
    }
    search.after = after;
  }
  return search;
}

/** Every parameter name the resource accepts, for messages and the CapabilityStatement. */
export function supportedNames(def: SearchDefinition<ParamTable>): string[] {
  return [
    ...Object.keys(def.params),
    ...(def.lastUpdated ? ['_lastUpdated'] : []),
    ...(def.includes?.length ? ['_include'] : []),
    '_count',
    '_summary',
  ];
}

/** The CapabilityStatement's `searchParam` list and `searchInclude` of a resource. */
export function capabilityOf(def: SearchDefinition<ParamTable>): Record<string, unknown> {
  return {
    searchParam: [
      ...Object.entries(def.params).map(([name, p]) => ({ name, type: p.type, documentation: p.documentation })),
      ...(def.lastUpdated
        ? [{ name: '_lastUpdated', type: 'date', documentation: 'Время последнего изменения (ge, gt, le, lt, eq).' }]
        : []),
      {
        name: '_count',
        type: 'number',
        documentation: `Размер страницы: по умолчанию ${DEFAULT_COUNT}, не больше ${MAX_COUNT}; 0 - только количество.`,
      },
    ],
    ...(def.includes?.length ? { searchInclude: [...def.includes] } : {}),
  };
}

// ---------- cursors ----------

/** What a cursor is bound to: the resource type and every parameter used except `_count`. */
function fingerprint(search: Pick<ParsedSearch<ParamTable>, 'resourceType' | 'used'>): string {
  const pairs = search.used.filter(([k]) => k !== '_count').map(([k, v]) => `${k}=${v}`);
  pairs.sort();
  return createHmac('sha256', 'fhir-search-fingerprint')
    .update(`${search.resourceType}?${pairs.join('&')}`)
    .digest('base64url')
    .slice(0, 16);
}

function cursorMac(secret: string, payload: string): Buffer {
  return createHmac('sha256', `fhir-cursor:${secret}`).update(payload).digest().subarray(0, 16);
}

/**
 * An opaque cursor for the page after `position` in this search: the position and the search's
 * fingerprint, signed with HMAC-SHA256 (a changed byte, another search's cursor or another
 * resource type's is refused). Holds sort keys only (instants, ids), never personal data.
 */
export function encodeCursor(
  search: Pick<ParsedSearch<ParamTable>, 'resourceType' | 'used'>,
  position: Keyset,
  secret: string,
): string {
  const payload = Buffer.from(JSON.stringify({ f: fingerprint(search), k: position }), 'utf8').toString('base64url');
  return `${payload}.${cursorMac(secret, payload).toString('base64url')}`;
}

/** The position in a cursor this search issued, or null (malformed, tampered, another search). */
export function readCursor(
  cursor: string,
  search: Pick<ParsedSearch<ParamTable>, 'resourceType' | 'used'>,
  shape: KeysetShape,
  secret: string,
): Keyset | null {
  const m = /^([A-Za-z0-9_-]{1,700})\.([A-Za-z0-9_-]{22})$/.exec(cursor);
  if (!m) return null;
  const mac = Buffer.from(m[2], 'base64url');
  if (mac.length !== 16 || !timingSafeEqual(mac, cursorMac(secret, m[1]))) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { f, k } = parsed as { f?: unknown; k?: unknown };
  if (f !== fingerprint(search) || !Array.isArray(k) || k.length !== shape.length) return null;
  if (!k.every((v, i) => typeof v === shape[i])) return null;
  return k as Keyset;
}

/** Compares two positions of one sort order (each key ascending). */
export function compareKeysets(a: Keyset, b: Keyset): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * One page of rows already in memory (a small set such as an organisation's doctors), sorted
 * by `keyOf`: the rows after `after`, `count` of them, and the position to continue from.
 */
export function pageOf<T>(
  rows: readonly T[],
  keyOf: (row: T) => Keyset,
  after: Keyset | null,
  count: number,
): { page: T[]; next: Keyset | null } {
  const sorted = [...rows].sort((a, b) => compareKeysets(keyOf(a), keyOf(b)));
  const rest = after ? sorted.filter((r) => compareKeysets(keyOf(r), after) > 0) : sorted;
  return limitPage(rest, keyOf, count);
}

/** The first `count` rows and, when more follow (the query asked for count + 1), where to continue. */
export function limitPage<T>(
  rows: readonly T[],
  keyOf: (row: T) => Keyset,
  count: number,
): { page: T[]; next: Keyset | null } {
  const page = rows.slice(0, count);
  const last = page.at(-1);
  return { page, next: rows.length > count && last !== undefined ? keyOf(last) : null };
}

// ---------- links and Bundles ----------

export type FhirResource = { resourceType: string; id?: string } & Record<string, unknown>;

/** `[base]/[type]?a=1&b=2` with the values encoded. */
export function searchUrl(base: string, resourceType: string, pairs: readonly (readonly [string, string])[]): string {
  const query = new URLSearchParams(pairs.map(([k, v]): [string, string] => [k, v])).toString();
  return `${base}/${resourceType}${query ? `?${query}` : ''}`;
}

/**
 * A searchset Bundle: `self` carries the parameters used (dropped ones never), `next` the
 * same search with `_count` and the signed cursor after the page's last row. `total` when the
 * caller counted it. Included resources come after the matches with search.mode `include`.
 */
export function searchsetBundle(input: {
  base: string;
  search: ParsedSearch<ParamTable>;
  matches: readonly FhirResource[];
  included?: readonly FhirResource[];
  total?: number;
  next: Keyset | null;
  cursorSecret: string;
}): FhirResource {
  const { base, search } = input;
  const self = [...search.used, ...(search.cursor ? [['_cursor', search.cursor] as const] : [])];
  const links = [{ relation: 'self', url: searchUrl(base, search.resourceType, self) }];
  if (input.next) {
    const withoutCount = search.used.filter(([k]) => k !== '_count');
    const cursor = encodeCursor(search, input.next, input.cursorSecret);
    links.push({
      relation: 'next',
      url: searchUrl(base, search.resourceType, [
        ...withoutCount,
        ['_count', String(search.count)],
        ['_cursor', cursor],
      ]),
    });
  }
  const entry = (r: FhirResource, mode: 'match' | 'include') => ({
    fullUrl: `${base}/${r.resourceType}/${r.id}`,
    resource: r,
    search: { mode },
  });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(input.total !== undefined ? { total: input.total } : {}),
    link: links,
    entry: [...input.matches.map((r) => entry(r, 'match')), ...(input.included ?? []).map((r) => entry(r, 'include'))],
  };
}

/** The answer to `_summary=count`: the total and the self link, no entries. */
export function countBundle(base: string, search: ParsedSearch<ParamTable>, total: number): FhirResource {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total,
    link: [{ relation: 'self', url: searchUrl(base, search.resourceType, search.used) }],
  };
}

// ---------- parameter types ----------

function intersection<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): Set<T> {
  return new Set([...a].filter((x) => b.has(x)));
}

/** A token parameter with a closed set of codes (`status=booked,cancelled`); `system|code` with the resource's system too. */
export function tokenParam<T extends string>(
  name: string,
  codes: readonly T[],
  documentation: string,
  system?: string,
): SearchParam<Set<T>> {
  return {
    type: 'token',
    documentation,
    parse(occurrences) {
      let result: Set<T> | null = null;
      for (const occurrence of occurrences) {
        const any = new Set<T>();
        for (const raw of splitOr(occurrence)) {
          const bar = raw.lastIndexOf('|');
          const sys = bar >= 0 ? raw.slice(0, bar) : null;
          const code = bar >= 0 ? raw.slice(bar + 1) : raw;
          if ((sys !== null && sys !== '' && sys !== system) || !(codes as readonly string[]).includes(code)) {
            throw invalid(name, `допустимые значения ${codes.join(', ')}`);
          }
          any.add(code as T);
        }
        result = result === null ? any : intersection(result, any);
      }
      return result ?? new Set<T>();
    },
  };
}

/**
 * `_id`: the resource ids asked for (OR inside one value, AND across repeats). An id of a shape
 * the resource never has matches nothing (it is an id that does not exist, not a bad request).
 */
export function idParam<T>(documentation: string, read: (id: string) => T | null): SearchParam<T[]> {
  return {
    type: 'token',
    documentation,
    parse(occurrences) {
      let result: T[] | null = null;
      for (const occurrence of occurrences) {
        const any = splitOr(occurrence)
          .map(read)
          .filter((x): x is T => x !== null);
        result = result === null ? any : result.filter((x) => any.includes(x));
      }
      return [...new Set(result ?? [])];
    },
  };
}

/**
 * A reference parameter to one resource type: `Type/id` or a bare `id` (OR inside one value,
 * AND across repeats). Another type or an id of a shape the target never has: 400.
 */
export function referenceParam<T>(
  name: string,
  target: string,
  documentation: string,
  read: (id: string) => T | null,
): SearchParam<T[]> {
  return {
    type: 'reference',
    documentation,
    parse(occurrences) {
      let result: T[] | null = null;
      for (const occurrence of occurrences) {
        const any: T[] = [];
        for (const raw of splitOr(occurrence)) {
          const id = raw.startsWith(`${target}/`) ? raw.slice(target.length + 1) : raw.includes('/') ? null : raw;
          const value = id === null ? null : read(id);
          if (value === null) throw invalid(name, `укажите ссылку вида ${target}/<идентификатор>`);
          any.push(value);
        }
        result = result === null ? any : result.filter((x) => any.includes(x));
      }
      return [...new Set(result ?? [])];
    },
  };
}

export interface IdentifierMatch {
  /** Null: any system (`value` alone); a system the resource does not use matches nothing. */
  system: string | null;
  value: string;
}

/**
 * An identifier token: `system|value`, `value` (any system). Returns the alternatives of each
 * occurrence: every occurrence must match one of its alternatives (AND of ORs).
 */
export function identifierParam(documentation: string): SearchParam<IdentifierMatch[][]> {
  return {
    type: 'token',
    documentation,
    parse(occurrences) {
      return occurrences.map((occurrence) =>
        splitOr(occurrence).map((raw) => {
          const bar = raw.indexOf('|');
          const system = bar >= 0 ? raw.slice(0, bar) : null;
          const value = bar >= 0 ? raw.slice(bar + 1) : raw;
          if (value === '') throw invalid('identifier', 'укажите значение идентификатора (system|value или value)');
          return { system: system === '' ? null : system, value };
        }),
      );
    },
  };
}

/**
 * A date parameter with open or closed bounds. With `window`, both ends are required and the
 * window is at most `window.maxDays` days (searches over a whole schedule stay bounded).
 */
export function dateParam(
  name: string,
  documentation: string,
  window?: { maxDays: number },
): SearchParam<{ from: Date; to: Date } | DateBounds> {
  return {
    type: 'date',
    documentation,
    parse(occurrences, c) {
      if (!window) return parseDateBounds(occurrences, c.timeZone, name);
      const range = parseDateSearch(occurrences, c.timeZone, name, window.maxDays);
      if (!range.ok) throw new AppError('VALIDATION_FAILED', { parameter: name }, range.message);
      return { from: range.from, to: range.to };
    },
  };
}

// ---------- dates ----------

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

function isCalendarDate(v: string): boolean {
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** One date value's interval [start, end) in milliseconds, or null when it is not a date this API reads. */
function intervalOf(value: string, timeZone: string): { start: number; end: number } | null {
  if (DATE.test(value) && isCalendarDate(value)) {
    return {
      start: zonedToInstant(value, '00:00', timeZone).getTime(),
      end: zonedToInstant(addDays(value, 1), '00:00', timeZone).getTime(),
    };
  }
  if (DATE_TIME.test(value) && isCalendarDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value))) {
    const start = Date.parse(value);
    // A time given to the second (or minute) covers that second (minute): gt10:00 is from 10:01.
    const unit = value.length > 16 && value[16] === ':' ? (/\.\d/.test(value) ? 1 : 1000) : 60_000;
    return { start, end: start + unit };
  }
  return null;
}

/**
 * Date search values (`ge2026-11-26`, `lt2026-11-30T10:00:00+04:00`, `2026-11-27`) as bounds
 * [from, to). A date without time is a whole local day in the zone. Prefixes eq (the default),
 * ge, gt, le, lt; several values narrow each other (AND). Throws VALIDATION_FAILED otherwise.
 */
export function parseDateBounds(values: readonly string[], timeZone: string, param: string): DateBounds {
  let from: number | null = null;
  let to: number | null = null;
  for (const raw of values) {
    const m = /^(ge|gt|le|lt|eq)?(\d.*)$/.exec(raw.trim());
    const interval = m ? intervalOf(m[2], timeZone) : null;
    if (!m || !interval) {
      throw invalid(
        param,
        `укажите дату с префиксом ge, gt, le, lt или eq, например ${param}=ge2026-11-26 или ${param}=lt2026-11-30T10:00:00+04:00`,
      );
    }
    const prefix = m[1] ?? 'eq';
    const lower = prefix === 'ge' || prefix === 'eq' ? interval.start : prefix === 'gt' ? interval.end : null;
    const upper = prefix === 'lt' ? interval.start : prefix === 'le' || prefix === 'eq' ? interval.end : null;
    if (lower !== null) from = from === null ? lower : Math.max(from, lower);
    if (upper !== null) to = to === null ? upper : Math.min(to, upper);
  }
  return { from: from === null ? null : new Date(from), to: to === null ? null : new Date(to) };
}

export type DateRange = { ok: true; from: Date; to: Date } | { ok: false; message: string };

/**
 * A date search that must be a closed window of at most `maxDays` days
 * (`start=ge2026-11-26&start=lt2026-11-30`), as a half-open window [from, to).
 */
export function parseDateSearch(
  values: readonly string[],
  timeZone: string,
  param: string,
  maxDays: number,
): DateRange {
  const bad = (): DateRange => ({
    ok: false,
    message: `Параметр ${param}: укажите период вида ${param}=ge2026-11-26&${param}=lt2026-11-30 (даты или время со смещением, не длиннее ${maxDays} дней)`,
  });
  let bounds: DateBounds;
  try {
    bounds = parseDateBounds(values, timeZone, param);
  } catch {
    return bad();
  }
  const { from, to } = bounds;
  // An hour of slack: a window of whole local days may span a DST change.
  if (from === null || to === null || to <= from || to.getTime() - from.getTime() > maxDays * 86_400_000 + 3_600_000)
    return bad();
  return { ok: true, from, to };
}
