// Reads and searches of the resources Schedule, Slot and Appointment point at (issue 17):
// Organization, Location, Practitioner, PractitionerRole and Patient under /fhir/R4, each
// through the shared search framework (fhir.search.ts: strict/lenient handling, _count with
// signed cursors, _summary=count, POST [type]/_search). Registered inside the FHIR plugin after
// its API-key hook: everything is the key's organisation's, and a Patient is one with a visit
// there (what the integration API's feed already gives the key). A patient's СНИЛС or полис
// is searched only in a POST _search body, never in an address.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseDecimalId } from '../../../../shared/ids.js';
import type { AppContext } from '../../../context.js';
import { AppError } from '../../../errors.js';
import type { ApiCaller } from './apikeys.service.js';
import { FHIR_CONTENT_TYPE, OMS_SYSTEM, SNILS_SYSTEM } from './fhir.mapping.js';
import {
  locationResource,
  organizationResource,
  patientResource,
  practitionerResource,
  practitionerRoleResource,
  SPECIALTY_SYSTEM,
} from './fhir.resources.mapping.js';
import {
  countVisiblePatients,
  findOrganisationDetails,
  listPractitioners,
  listVisiblePatients,
  type OrganisationDetails,
  type PractitionerRow,
} from './fhir.resources.repository.js';
import {
  countBundle,
  defineSearch,
  type FhirResource,
  formParameters,
  handlingOf,
  idParam,
  identifierParam,
  limitPage,
  MAX_COUNT,
  mergeParameters,
  type ParamTable,
  type ParsedSearch,
  pageOf,
  parseSearch,
  type RawParameters,
  referenceParam,
  type SearchDefinition,
  type SearchParam,
  searchsetBundle,
  splitOr,
  tokenParam,
} from './fhir.search.js';
import { contentVersion, etagOf, withVersion } from './fhir.version.js';
import { callerOf } from './integration.auth.js';

const tags = ['fhir'];
const security = [{ apiKey: [] }];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const uuidOf = (id: string) => (UUID.test(id) ? id : null);
const intIdParam = z.object({ id: z.string().regex(/^[0-9]{1,15}$/, 'Неверный идентификатор ресурса') });
const uuidIdParam = z.object({ id: z.uuid('Неверный идентификатор ресурса') });
const searchQuery = z.looseObject({});
const bundleAnswer = {
  description: 'A searchset Bundle (or only its total with _summary=count)',
  content: { 'application/fhir+json': { schema: z.looseObject({ resourceType: z.literal('Bundle') }) } },
};
const badSearch = {
  description:
    'VALIDATION_FAILED (a bad value), SEARCH_PARAMETER_UNSUPPORTED (Prefer: handling=strict), CURSOR_INVALID',
  content: {
    'application/fhir+json': {
      schema: z.looseObject({ resourceType: z.literal('OperationOutcome'), issue: z.array(z.looseObject({})).min(1) }),
    },
  },
};
const searchResponses = { 200: bundleAnswer, 400: badSearch };

/** `specialty=<code>` or `urn:priyom:specialty|<code>` (OR with commas): the portal's specialty ids. */
function specialtyParam(): SearchParam<number[]> {
  return {
    type: 'token',
    documentation: `Специальность: код из ${SPECIALTY_SYSTEM} (${SPECIALTY_SYSTEM}|<код> или <код>).`,
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
              `Параметр specialty: код специальности из системы ${SPECIALTY_SYSTEM}`,
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

const activeParam = tokenParam('active', ['true', 'false'] as const, 'Работает ли врач: true или false.');
const organisationIdParam = idParam('Идентификатор медицинской организации.', parseDecimalId);
const doctorIdParam = idParam('Идентификатор врача.', parseDecimalId);

export const organizationSearch = defineSearch({
  resourceType: 'Organization',
  keyset: ['number'],
  lastUpdated: false,
  params: { _id: organisationIdParam },
});
export const locationSearch = defineSearch({
  resourceType: 'Location',
  keyset: ['number'],
  lastUpdated: false,
  params: {
    _id: organisationIdParam,
    organization: referenceParam('organization', 'Organization', 'Организация (Organization/<id>).', parseDecimalId),
  },
});
export const practitionerSearch = defineSearch({
  resourceType: 'Practitioner',
  keyset: ['number'],
  lastUpdated: false,
  params: { _id: doctorIdParam, active: activeParam },
});
export const practitionerRoleSearch = defineSearch({
  resourceType: 'PractitionerRole',
  keyset: ['number'],
  lastUpdated: false,
  includes: ['PractitionerRole:practitioner'],
  params: {
    _id: doctorIdParam,
    practitioner: referenceParam('practitioner', 'Practitioner', 'Врач (Practitioner/<id>).', parseDecimalId),
    organization: referenceParam('organization', 'Organization', 'Организация (Organization/<id>).', parseDecimalId),
    specialty: specialtyParam(),
    active: activeParam,
  },
});
export const patientSearch = defineSearch({
  resourceType: 'Patient',
  keyset: ['string'],
  lastUpdated: false,
  params: {
    _id: idParam('Идентификатор пациента.', uuidOf),
    identifier: identifierParam(
      `СНИЛС (${SNILS_SYSTEM}|<11 цифр>) или полис ОМС (${OMS_SYSTEM}|<16 цифр>); только в теле POST Patient/_search.`,
    ),
  },
});

/** The CapabilityStatement entries of these resources (read, search-type, their parameters). */
export const resourceCapabilities: ReadonlyArray<{ type: string; def: SearchDefinition<ParamTable> }> = [
  { type: 'Organization', def: organizationSearch },
  { type: 'Location', def: locationSearch },
  { type: 'Practitioner', def: practitionerSearch },
  { type: 'PractitionerRole', def: practitionerRoleSearch },
  { type: 'Patient', def: patientSearch },
];

/** `true`/`false` tokens as a filter of `active`; null when not asked. */
function activeFilter(values: Set<'true' | 'false'> | undefined): ((active: boolean) => boolean) | null {
  if (!values) return null;
  return (active) => values.has(active ? 'true' : 'false');
}

const send = (reply: FastifyReply, status: number, resource: FhirResource) =>
  reply.status(status).type(FHIR_CONTENT_TYPE).header('cache-control', 'no-store').send(resource);

/** A read: the resource with meta.versionId (a digest of its content: these resources keep no time of change) and ETag. */
function sendRead(reply: FastifyReply, resource: FhirResource) {
  const version = contentVersion(resource);
  reply.header('etag', etagOf(version.versionId));
  return send(reply, 200, withVersion(resource, version));
}

export interface FhirResourcesOptions {
  /** The FHIR base URL (…/fhir/R4). */
  base: string;
  /** Signs the search cursors (next links). */
  cursorSecret: string;
}

export function fhirResourceRoutes(ctx: AppContext, opts: FhirResourcesOptions): FastifyPluginAsyncZod {
  const { base, cursorSecret } = opts;

  async function organisationOf(caller: ApiCaller): Promise<OrganisationDetails> {
    const org = await findOrganisationDetails(ctx.db, caller.organisationId);
    if (!org) throw new AppError('ORGANISATION_NOT_FOUND');
    return org;
  }

  /** A search's parameters: the query string of a GET, and with it the form body of a POST _search. */
  function parametersOf(request: FastifyRequest): RawParameters {
    const query = request.query as RawParameters;
    if (request.method !== 'POST') return query;
    const body = request.body;
    const form = typeof body === 'string' ? formParameters(body) : ((body ?? {}) as RawParameters);
    return mergeParameters(query, form);
  }

  function parse<P extends ParamTable>(
    request: FastifyRequest,
    def: SearchDefinition<P>,
    organisation: OrganisationDetails,
  ): ParsedSearch<P> {
    return parseSearch(def, parametersOf(request), handlingOf(request.headers.prefer), {
      timeZone: organisation.timeZone,
      cursorSecret,
    });
  }

  /** A search over rows already in memory (the organisation itself, its doctors): keyset by id. */
  function inMemory<T extends { id: number }>(
    search: ParsedSearch<ParamTable>,
    rows: readonly T[],
    toResource: (row: T) => FhirResource,
    included: (page: T[]) => FhirResource[] = () => [],
  ): FhirResource {
    if (search.summary === 'count') return countBundle(base, search, rows.length);
    const { page, next } = pageOf(rows, (r) => [r.id], search.after, search.count);
    return searchsetBundle({
      base,
      search,
      matches: page.map(toResource),
      included: included(page),
      total: rows.length,
      next,
      cursorSecret,
    });
  }

  /** GET [type] and POST [type]/_search with one handler. */
  function searchRoutes(
    app: Parameters<FastifyPluginAsyncZod>[0],
    type: string,
    summary: string,
    handler: (request: FastifyRequest) => Promise<FhirResource>,
  ) {
    app.get(
      `/${type}`,
      {
        schema: {
          tags,
          security,
          operationId: `fhir${type}Search`,
          summary,
          querystring: searchQuery,
          response: searchResponses,
        },
      },
      async (request, reply) => send(reply, 200, await handler(request)),
    );
    app.post(
      `/${type}/_search`,
      {
        schema: {
          tags,
          security,
          operationId: `fhir${type}SearchPost`,
          summary: `${summary} (POST _search: the parameters in an application/x-www-form-urlencoded body)`,
          querystring: searchQuery,
          response: searchResponses,
        },
      },
      async (request, reply) => send(reply, 200, await handler(request)),
    );
  }

  return async (app) => {
    if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
      app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
        done(null, body),
      );
    }

    // ---- Organization and Location: the key's organisation ----
    searchRoutes(app, 'Organization', 'The key’s organisation as an Organization', async (request) => {
      const organisation = await organisationOf(callerOf(request));
      const s = parse(request, organizationSearch, organisation);
      const ids = s.values._id;
      const rows = ids && !ids.includes(organisation.id) ? [] : [organisation];
      return inMemory(s, rows, organizationResource);
    });
    app.get(
      '/Organization/:id',
      {
        schema: {
          tags,
          security,
          operationId: 'fhirOrganizationRead',
          summary: 'The key’s Organization',
          params: intIdParam,
        },
      },
      async (request, reply) => {
        const organisation = await organisationOf(callerOf(request));
        if (parseDecimalId(request.params.id) !== organisation.id) throw new AppError('ORGANISATION_NOT_FOUND');
        return sendRead(reply, organizationResource(organisation));
      },
    );

    searchRoutes(app, 'Location', 'The key’s organisation’s site (its address) as a Location', async (request) => {
      const organisation = await organisationOf(callerOf(request));
      const s = parse(request, locationSearch, organisation);
      const ids = [s.values._id, s.values.organization].filter((v) => v !== undefined);
      const rows = ids.some((list) => !list.includes(organisation.id)) ? [] : [organisation];
      return inMemory(s, rows, locationResource);
    });
    app.get(
      '/Location/:id',
      {
        schema: {
          tags,
          security,
          operationId: 'fhirLocationRead',
          summary: 'The key’s organisation’s Location',
          params: intIdParam,
        },
      },
      async (request, reply) => {
        const organisation = await organisationOf(callerOf(request));
        if (parseDecimalId(request.params.id) !== organisation.id) {
          throw new AppError('NOT_FOUND', undefined, 'Место оказания услуг не найдено.');
        }
        return sendRead(reply, locationResource(organisation));
      },
    );

    // ---- Practitioner and PractitionerRole: the organisation's doctors ----
    async function doctorsFor(
      request: FastifyRequest,
      def: SearchDefinition<ParamTable>,
    ): Promise<{ organisation: OrganisationDetails; search: ParsedSearch<ParamTable>; rows: PractitionerRow[] }> {
      const organisation = await organisationOf(callerOf(request));
      const search = parse(request, def, organisation);
      const ids = search.values._id as number[] | undefined;
      const rows = await listPractitioners(ctx.db, organisation.id, ids);
      const active = activeFilter(search.values.active as Set<'true' | 'false'> | undefined);
      return { organisation, search, rows: active ? rows.filter((d) => active(d.active)) : rows };
    }

    searchRoutes(app, 'Practitioner', 'The organisation’s doctors: _id, active', async (request) => {
      const { search, rows } = await doctorsFor(request, practitionerSearch);
      return inMemory(search, rows, practitionerResource);
    });
    app.get(
      '/Practitioner/:id',
      { schema: { tags, security, operationId: 'fhirPractitionerRead', summary: 'One doctor', params: intIdParam } },
      async (request, reply) => {
        const caller = callerOf(request);
        const id = parseDecimalId(request.params.id);
        const [doctor] = id === null ? [] : await listPractitioners(ctx.db, caller.organisationId, [id]);
        if (!doctor) throw new AppError('DOCTOR_NOT_FOUND');
        return sendRead(reply, practitionerResource(doctor));
      },
    );

    searchRoutes(
      app,
      'PractitionerRole',
      'The doctors’ roles: specialty (coded), organization, location; _id, practitioner, organization, specialty, active, _include=PractitionerRole:practitioner',
      async (request) => {
        const { organisation, search, rows } = await doctorsFor(request, practitionerRoleSearch);
        const practitioners = search.values.practitioner as number[] | undefined;
        const organisations = search.values.organization as number[] | undefined;
        const specialties = search.values.specialty as number[] | undefined;
        const matching = rows.filter(
          (d) =>
            (!practitioners || practitioners.includes(d.id)) &&
            (!organisations || organisations.includes(d.organisationId)) &&
            (!specialties || specialties.includes(d.specialtyId)),
        );
        return inMemory(
          search,
          matching,
          (d) => practitionerRoleResource(d, organisation.shortName),
          (page) => (search.includes.has('PractitionerRole:practitioner') ? page.map(practitionerResource) : []),
        );
      },
    );
    app.get(
      '/PractitionerRole/:id',
      {
        schema: {
          tags,
          security,
          operationId: 'fhirPractitionerRoleRead',
          summary: 'One doctor’s role',
          params: intIdParam,
        },
      },
      async (request, reply) => {
        const organisation = await organisationOf(callerOf(request));
        const id = parseDecimalId(request.params.id);
        const [doctor] = id === null ? [] : await listPractitioners(ctx.db, organisation.id, [id]);
        if (!doctor) throw new AppError('DOCTOR_NOT_FOUND');
        return sendRead(reply, practitionerRoleResource(doctor, organisation.shortName));
      },
    );

    // ---- Patient: the persons with a visit at the organisation ----
    searchRoutes(
      app,
      'Patient',
      'Patients with a visit at the organisation: _id; identifier (СНИЛС or полис ОМС) only in a POST _search body',
      async (request) => {
        const organisation = await organisationOf(callerOf(request));
        if ((request.query as RawParameters).identifier !== undefined) {
          throw new AppError(
            'VALIDATION_FAILED',
            { parameter: 'identifier' },
            'Параметр identifier: СНИЛС и полис не передаются в адресе запроса — отправьте их в теле POST Patient/_search (application/x-www-form-urlencoded).',
          );
        }
        const s = parse(request, patientSearch, organisation);
        const ids = s.values._id;
        const identifiers = s.values.identifier;
        let snils: string[] | undefined;
        let policies: string[] | undefined;
        if (identifiers) {
          if (identifiers.length > 1) {
            throw new AppError(
              'VALIDATION_FAILED',
              { parameter: 'identifier' },
              'Параметр identifier: укажите его один раз (несколько значений — через запятую).',
            );
          }
          // A value without a system is either; a system the portal does not use matches nothing.
          const pick = (system: string) =>
            identifiers.map((alternatives) =>
              alternatives.filter((a) => a.system === null || a.system === system).map((a) => a.value),
            );
          const bySnils = pick(SNILS_SYSTEM);
          const byPolicy = pick(OMS_SYSTEM);
          snils = bySnils[0];
          policies = byPolicy[0];
        }
        const query = { ids, snils, policies };
        if (identifiers) {
          // A search by СНИЛС or полис finds a handful of rows: one page, and links without the values.
          const rows = await listVisiblePatients(ctx.db, organisation.id, { ...query, limit: MAX_COUNT });
          const withoutValues = { ...s, used: s.used.filter(([k]) => k !== 'identifier') };
          if (s.summary === 'count') return countBundle(base, withoutValues, rows.length);
          return searchsetBundle({
            base,
            search: withoutValues,
            matches: rows.map(patientResource),
            total: rows.length,
            next: null,
            cursorSecret,
          });
        }
        if (s.summary === 'count') {
          return countBundle(base, s, await countVisiblePatients(ctx.db, organisation.id, query));
        }
        const after = s.after ? String(s.after[0]) : undefined;
        const rows = await listVisiblePatients(ctx.db, organisation.id, { ...query, after, limit: s.count + 1 });
        const { page, next } = limitPage(rows, (r) => [r.id], s.count);
        return searchsetBundle({ base, search: s, matches: page.map(patientResource), next, cursorSecret });
      },
    );
    app.get(
      '/Patient/:id',
      {
        schema: {
          tags,
          security,
          operationId: 'fhirPatientRead',
          summary: 'A patient with a visit at the organisation',
          params: uuidIdParam,
        },
      },
      async (request, reply) => {
        const organisation = await organisationOf(callerOf(request));
        const [patient] = await listVisiblePatients(ctx.db, organisation.id, { ids: [request.params.id], limit: 1 });
        if (!patient) throw new AppError('PATIENT_NOT_FOUND');
        return sendRead(reply, patientResource(patient));
      },
    );
  };
}
