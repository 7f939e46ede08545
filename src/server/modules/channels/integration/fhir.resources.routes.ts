// Reads and searches of the resources Schedule, Slot and Appointment point at (issue 17):
// Organization, Location, Practitioner, PractitionerRole and Patient under /fhir/R4, each
// through the shared search framework (fhir.search.ts: strict/lenient handling, _count with
// signed cursors, _summary=count, POST [type]/_search). Registered inside the FHIR plugin after
// its API-key hook: everything is the key's organisation's, and a Patient is one with a visit
// there (what the integration API's feed already gives the key). A patient's СНИЛС or полис
// is searched only in a POST _search body, never in an address.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { parseDecimalId } from '../../../../shared/ids.js';
import type { AppContext } from '../../../context.js';
import { AppError } from '../../../errors.js';
import type { ApiCaller } from './apikeys.service.js';
import { intIdParam, readResponses, searchRoute, sendVersioned, specialtyParam, uuidIdParam } from './fhir.http.js';
import { OMS_SYSTEM, SNILS_SYSTEM, SPECIALTY_SYSTEM } from './fhir.mapping.js';
import {
  locationResource,
  organizationResource,
  patientResource,
  practitionerResource,
  practitionerRoleResource,
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
  idParam,
  identifierParam,
  limitPage,
  MAX_COUNT,
  type ParamTable,
  type ParsedSearch,
  pageOf,
  type RawParameters,
  referenceParam,
  type SearchDefinition,
  searchsetBundle,
  tokenParam,
} from './fhir.search.js';
import { contentVersion, withVersion } from './fhir.version.js';
import { callerOf } from './integration.auth.js';

const tags = ['fhir'];
const security = [{ apiKey: [] }];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const uuidOf = (id: string) => (UUID.test(id) ? id : null);

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
    specialty: specialtyParam(`Специальность: код из ${SPECIALTY_SYSTEM} (${SPECIALTY_SYSTEM}|<код> или <код>).`),
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

/** These resources' searches, for the CapabilityStatement (each also has a read). */
export const resourceSearches: readonly SearchDefinition<ParamTable>[] = [
  organizationSearch,
  locationSearch,
  practitionerSearch,
  practitionerRoleSearch,
  patientSearch,
];

/**
 * A read: the resource with meta.versionId — a digest of its content, as Schedule and Slot (these
 * rows keep no time of change) — with ETag, or 304 when If-None-Match names that version.
 */
function sendRead(request: FastifyRequest, reply: FastifyReply, resource: FhirResource) {
  return sendVersioned(request, reply, withVersion(resource, contentVersion(resource)));
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

  /** GET [type] and POST [type]/_search (fhir.http.ts searchRoute), dates read in the organisation's zone. */
  function searchRoutes<P extends ParamTable>(
    app: FastifyInstance,
    def: SearchDefinition<P>,
    summary: string,
    run: (request: FastifyRequest, search: ParsedSearch<P>, organisation: OrganisationDetails) => Promise<FhirResource>,
  ): void {
    const organisations = new WeakMap<FastifyRequest, OrganisationDetails>();
    searchRoute(app, {
      def,
      summary,
      tags,
      security,
      cursorSecret,
      async context(request) {
        const organisation = await organisationOf(callerOf(request));
        organisations.set(request, organisation);
        return { timeZone: organisation.timeZone };
      },
      async run(request, search) {
        const organisation = organisations.get(request) ?? (await organisationOf(callerOf(request)));
        return run(request, search, organisation);
      },
    });
  }

  return async (app) => {
    // ---- Organization and Location: the key's organisation ----
    searchRoutes(app, organizationSearch, 'The key’s organisation as an Organization', async (_request, s, org) => {
      const rows = s.values._id && !s.values._id.includes(org.id) ? [] : [org];
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
          response: readResponses,
        },
      },
      async (request, reply) => {
        const organisation = await organisationOf(callerOf(request));
        if (request.params.id !== organisation.id) throw new AppError('ORGANISATION_NOT_FOUND');
        return sendRead(request, reply, organizationResource(organisation));
      },
    );

    searchRoutes(
      app,
      locationSearch,
      'The key’s organisation’s site (its address) as a Location',
      async (_request, s, org) => {
        const lists = [s.values._id, s.values.organization].filter((v) => v !== undefined);
        const rows = lists.some((list) => !list.includes(org.id)) ? [] : [org];
        return inMemory(s, rows, locationResource);
      },
    );
    app.get(
      '/Location/:id',
      {
        schema: {
          tags,
          security,
          operationId: 'fhirLocationRead',
          summary: 'The key’s organisation’s Location',
          params: intIdParam,
          response: readResponses,
        },
      },
      async (request, reply) => {
        const organisation = await organisationOf(callerOf(request));
        if (request.params.id !== organisation.id) {
          throw new AppError('NOT_FOUND', undefined, 'Место оказания услуг не найдено.');
        }
        return sendRead(request, reply, locationResource(organisation));
      },
    );

    // ---- Practitioner and PractitionerRole: the organisation's doctors ----
    async function doctorsOf(
      org: OrganisationDetails,
      ids: number[] | undefined,
      active: Set<'true' | 'false'> | undefined,
    ): Promise<PractitionerRow[]> {
      const rows = await listPractitioners(ctx.db, org.id, ids);
      return active ? rows.filter((d) => active.has(d.active ? 'true' : 'false')) : rows;
    }

    searchRoutes(app, practitionerSearch, 'The organisation’s doctors: _id, active', async (_request, s, org) =>
      inMemory(s, await doctorsOf(org, s.values._id, s.values.active), practitionerResource),
    );
    app.get(
      '/Practitioner/:id',
      {
        schema: {
          tags,
          security,
          operationId: 'fhirPractitionerRead',
          summary: 'One doctor',
          params: intIdParam,
          response: readResponses,
        },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        const [doctor] = await listPractitioners(ctx.db, caller.organisationId, [request.params.id]);
        if (!doctor) throw new AppError('DOCTOR_NOT_FOUND');
        return sendRead(request, reply, practitionerResource(doctor));
      },
    );

    searchRoutes(
      app,
      practitionerRoleSearch,
      'The doctors’ roles (specialty coded, organization, location): _id, practitioner, organization, specialty, active, _include=PractitionerRole:practitioner',
      async (_request, s, org) => {
        const v = s.values;
        const rows = await doctorsOf(org, v._id, v.active);
        const matching = rows.filter(
          (d) =>
            (!v.practitioner || v.practitioner.includes(d.id)) &&
            (!v.organization || v.organization.includes(d.organisationId)) &&
            (!v.specialty || v.specialty.includes(d.specialtyId)),
        );
        return inMemory(
          s,
          matching,
          (d) => practitionerRoleResource(d, org.shortName),
          (page) => (s.includes.has('PractitionerRole:practitioner') ? page.map(practitionerResource) : []),
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
          response: readResponses,
        },
      },
      async (request, reply) => {
        const organisation = await organisationOf(callerOf(request));
        const [doctor] = await listPractitioners(ctx.db, organisation.id, [request.params.id]);
        if (!doctor) throw new AppError('DOCTOR_NOT_FOUND');
        return sendRead(request, reply, practitionerRoleResource(doctor, organisation.shortName));
      },
    );

    // ---- Patient: the persons with a visit at the organisation ----
    searchRoutes(
      app,
      patientSearch,
      'Patients with a visit at the organisation: _id; identifier (СНИЛС or полис ОМС) only in a POST _search body',
      async (request, s, org) => {
        if ((request.query as RawParameters).identifier !== undefined) {
          throw new AppError(
            'VALIDATION_FAILED',
            { parameter: 'identifier' },
            'Параметр identifier: СНИЛС и полис не передаются в адресе запроса — отправьте их в теле POST Patient/_search (application/x-www-form-urlencoded).',
          );
        }
        const identifiers = s.values.identifier;
        if (identifiers && identifiers.length > 1) {
          throw new AppError(
            'VALIDATION_FAILED',
            { parameter: 'identifier' },
            'Параметр identifier: укажите его один раз (несколько значений — через запятую).',
          );
        }
        // A value without a system is either; a system the portal does not use matches nothing.
        const valuesOf = (system: string) =>
          identifiers?.[0].filter((a) => a.system === null || a.system === system).map((a) => a.value);
        const query = { ids: s.values._id, snils: valuesOf(SNILS_SYSTEM), policies: valuesOf(OMS_SYSTEM) };
        if (identifiers) {
          // A search by СНИЛС or полис finds a handful of rows: one page, and links without the values.
          const rows = await listVisiblePatients(ctx.db, org.id, { ...query, limit: MAX_COUNT });
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
        if (s.summary === 'count') return countBundle(base, s, await countVisiblePatients(ctx.db, org.id, query));
        const after = s.after ? String(s.after[0]) : undefined;
        const rows = await listVisiblePatients(ctx.db, org.id, { ...query, after, limit: s.count + 1 });
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
          response: readResponses,
        },
      },
      async (request, reply) => {
        const organisation = await organisationOf(callerOf(request));
        const [patient] = await listVisiblePatients(ctx.db, organisation.id, { ids: [request.params.id], limit: 1 });
        if (!patient) throw new AppError('PATIENT_NOT_FOUND');
        return sendRead(request, reply, patientResource(patient));
      },
    );
  };
}
