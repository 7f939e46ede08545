// The FHIR view's HTTP plumbing shared by its routes (reads, searches and writes): the content
// type, versioned reads (ETag, If-None-Match -> 304), content negotiation (XML -> 406), which
// methods a FHIR path has (405 with Allow for the others), and search routes registered as both
// GET [type] and POST [type]/_search (form body), FHIR R4 http.html.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decimalId, parseDecimalId } from '../../../../shared/ids.js';
import { AppError } from '../../../errors.js';
import {
  DEFAULT_COUNT,
  formParameters,
  MAX_COUNT,
  handlingOf,
  mergeParameters,
  parseSearch,
  type FhirResource,
  type ParamContext,
  type ParamTable,
  type ParsedSearch,
  type RawParameters,
  type SearchDefinition,
  type SearchParam,
  splitOr,
} from './fhir.search.js';
import { FHIR_CONTENT_TYPE, SPECIALTY_SYSTEM } from './fhir.mapping.js';
import { etagOf, notModified, versionOf } from './fhir.version.js';

const FORM = 'application/x-www-form-urlencoded';

export function sendFhir(reply: FastifyReply, status: number, resource: FhirResource) {
  return reply.status(status).type(FHIR_CONTENT_TYPE).header('cache-control', 'no-store').send(resource);
}

/**
 * A read's answer: 200 with the resource and `ETag: W/"<versionId>"`, or 304 with no body when
 * the client's If-None-Match already names that version.
 */
export function sendVersioned(request: FastifyRequest, reply: FastifyReply, resource: FhirResource) {
  const version = versionOf(resource);
  if (version !== null) {
    reply.header('etag', etagOf(version));
    const meta = resource.meta as { lastUpdated?: string } | undefined;
    if (meta?.lastUpdated) reply.header('last-modified', new Date(meta.lastUpdated).toUTCString());
    if (notModified(request.headers['if-none-match'], version)) {
      return reply.status(304).header('cache-control', 'no-store').send();
    }
  }
  return sendFhir(reply, 200, resource);
}

const JSON_TYPES = new Set([
  '*/*',
  'application/*',
  'application/json',
  'application/fhir+json',
  'application/json+fhir',
]);
const JSON_FORMATS = new Set(['json', 'application/json', 'application/fhir+json', 'application/json+fhir']);

/**
 * Whether the client accepts the only format served, JSON: `_format` (json or a JSON media
 * type; xml, turtle or anything else: no) over `Accept` (absent, a JSON type or a wildcard with
 * q > 0: yes).
 */
export function acceptsJson(accept: string | undefined, format: string | undefined): boolean {
  if (format !== undefined && format !== '') return JSON_FORMATS.has(format.split(';')[0].trim().toLowerCase());
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((range) => {
    const [type, ...params] = range.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return JSON_TYPES.has(type) && !(q !== undefined && Number(q.slice(2)) === 0);
  });
}

/** The `_format` of a request's query string (first value). */
function formatOf(request: FastifyRequest): string | undefined {
  const q = request.query as Record<string, string | string[] | undefined> | undefined;
  const v = q?._format;
  return Array.isArray(v) ? v[0] : v;
}

/** An onRequest hook: 406 OperationOutcome unless the client accepts JSON. */
export async function requireJsonAccepted(request: FastifyRequest): Promise<void> {
  const accept = request.headers.accept;
  if (!acceptsJson(Array.isArray(accept) ? accept.join(',') : accept, formatOf(request))) {
    throw new AppError('NOT_ACCEPTABLE');
  }
}

/**
 * The routes of a FHIR plugin (recorded by its onRoute hook), so that a path with routes for
 * other methods gets 405 with Allow rather than 404.
 */
export class MethodTable {
  private readonly routes: { pattern: RegExp; methods: Set<string> }[] = [];

  record(route: RouteOptions): void {
    const source = `^${route.url
      .split('/')
      .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')}/?$`;
    let entry = this.routes.find((r) => r.pattern.source === source);
    if (!entry) {
      entry = { pattern: new RegExp(source), methods: new Set() };
      this.routes.push(entry);
    }
    for (const m of Array.isArray(route.method) ? route.method : [route.method]) entry.methods.add(m);
  }

  /** The methods served at this path (empty when no route matches it). */
  allowed(path: string): string[] {
    const out = new Set<string>();
    for (const r of this.routes) if (r.pattern.test(path)) for (const m of r.methods) out.add(m);
    return [...out].sort();
  }
}

/** The search's parameters: the query string, and for POST _search the form body too. */
export function searchParameters(request: FastifyRequest): RawParameters {
  const query = (request.query ?? {}) as RawParameters;
  if (request.method !== 'POST') return query;
  const body = request.body;
  if (body === undefined || body === null || body === '') return query;
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  if (!type.startsWith(FORM)) {
    throw new AppError(
      'VALIDATION_FAILED',
      { parameter: '_search' },
      'POST _search: передайте параметры поиска в теле как application/x-www-form-urlencoded.',
    );
  }
  return mergeParameters(query, body as RawParameters);
}

/** Reads the form body of POST _search (registered in the FHIR plugin's scope). */
export function addFormParser(app: FastifyInstance): void {
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
    done(null, formParameters(String(body)));
  });
}

const anyResource = z.looseObject({ resourceType: z.string() });
const outcome = z.looseObject({
  resourceType: z.literal('OperationOutcome'),
  issue: z.array(z.looseObject({ severity: z.string(), code: z.string() })).min(1),
});
const fhirJson = (description: string, schema: z.ZodType = anyResource) => ({
  description,
  content: { 'application/fhir+json': { schema } },
});

/** 406 on every FHIR route (requireJsonAccepted). */
export const notAcceptable = fhirJson(
  'NOT_ACCEPTABLE: only application/fhir+json is served (Accept or _format asked for XML)',
  outcome,
);
export const capabilityResponse = fhirJson('The CapabilityStatement: resources, interactions, search parameters');
/**
 * A read's `:id`, one rule for every resource: the portal's integer ids (Organization, Location,
 * Practitioner, PractitionerRole, Schedule, Slot) by the shared rule (shared/ids.ts: decimal
 * digits, 1..MAX_ID), and uuids (Appointment, Patient). A malformed id is 400 VALIDATION_FAILED;
 * a well-formed one the key may not see is 404.
 */
export const intIdParam = z.object({ id: decimalId('Неверный идентификатор ресурса') });
export const uuidIdParam = z.object({ id: z.uuid('Неверный идентификатор ресурса') });
/** The answers of a versioned read (400, 401, 404, 429 the OpenAPI document adds centrally). */
export const readResponses = {
  200: fhirJson('The resource, with meta.versionId and ETag: W/"<versionId>"'),
  304: z.null().describe('Not modified: If-None-Match names the current version'),
  406: notAcceptable,
};
/** The answers of a search (400, 401, 404, 429 the OpenAPI document adds centrally). */
export const searchResponses = {
  200: fhirJson('A searchset Bundle: self and next links, total'),
  406: notAcceptable,
};

const parameterValue = z.union([z.string(), z.array(z.string())]).optional();

/**
 * The query string of a search as the OpenAPI document shows it: every parameter the resource
 * declares, and the result parameters. Loose: other parameters reach the framework, which drops
 * or refuses them by the handling preference.
 */
function querySchema(def: SearchDefinition<ParamTable>) {
  const shape: Record<string, typeof parameterValue> = {};
  for (const [name, p] of Object.entries(def.params)) shape[name] = parameterValue.describe(p.documentation);
  if (def.lastUpdated) shape._lastUpdated = parameterValue.describe('Время последнего изменения (ge, gt, le, lt, eq)');
  if (def.includes?.length) shape._include = parameterValue.describe(def.includes.join(', '));
  shape._count = parameterValue.describe(`Размер страницы (по умолчанию ${DEFAULT_COUNT}, не больше ${MAX_COUNT})`);
  shape._summary = parameterValue.describe('count: только количество');
  shape._cursor = parameterValue.describe('Курсор из ссылки next');
  return z.looseObject(shape);
}

/**
 * A search of one resource type as `GET [type]` and `POST [type]/_search`: the same handler, the
 * same answers. `context` gives the zone dates are read in (the caller's organisation); `run`
 * gets the parsed search and returns the Bundle.
 */
export function searchRoute<P extends ParamTable>(
  app: FastifyInstance,
  opts: {
    def: SearchDefinition<P>;
    summary: string;
    tags: string[];
    security: Record<string, string[]>[];
    cursorSecret: string;
    context(request: FastifyRequest): Promise<ParamContext>;
    run(request: FastifyRequest, search: ParsedSearch<P>): Promise<FhirResource>;
  },
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const parameters = searchParameters(request);
    const c = await opts.context(request);
    const search = parseSearch(opts.def, parameters, handlingOf(request.headers.prefer), {
      ...c,
      cursorSecret: opts.cursorSecret,
    });
    return sendFhir(reply, 200, await opts.run(request, search));
  };
  const schema = {
    tags: opts.tags,
    security: opts.security,
    querystring: querySchema(opts.def),
    response: searchResponses,
  };
  typed.get(`/${opts.def.resourceType}`, { schema: { ...schema, summary: opts.summary } }, handler);
  typed.post(
    `/${opts.def.resourceType}/_search`,
    { schema: { ...schema, summary: `${opts.summary} (POST _search, parameters in a form body)` } },
    handler,
  );
}

/** A specialty token (Schedule, PractitionerRole; OR with commas, AND when repeated): `urn:priyom:specialty|<code>` or the code alone (the catalogue's specialty id). */
export function specialtyParam(documentation: string): SearchParam<number[]> {
  return {
    type: 'token',
    documentation,
    parse(occurrences) {
      let result: number[] | null = null;
      for (const occurrence of occurrences) {
        const any: number[] = [];
        for (const raw of splitOr(occurrence)) {
          const bar = raw.lastIndexOf('|');
          const system = bar >= 0 ? raw.slice(0, bar) : '';
          const code = parseDecimalId(bar >= 0 ? raw.slice(bar + 1) : raw);
          if ((system !== '' && system !== SPECIALTY_SYSTEM) || code === null) {
            throw new AppError(
              'VALIDATION_FAILED',
              { parameter: 'specialty' },
              `Параметр specialty: укажите код специальности (${SPECIALTY_SYSTEM}|<код>)`,
            );
          }
          any.push(code);
        }
        result = result === null ? any : result.filter((x) => any.includes(x));
      }
      return result ?? [];
    },
  };
}
