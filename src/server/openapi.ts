// The OpenAPI document (/api/docs) as code generators need it, built once for every route:
// @fastify/swagger with the zod schemas, then, centrally, an operationId per operation, the
// error shape as a component with the 4xx answers each operation can give, the security
// schemes applied by each route's guard (openapi.rules.ts), `servers` from PUBLIC_URL, and
// OpenAPI 3.0 nullable enums that list null. A route added later gets all of it unchanged.
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { RouteOptions } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody } from '../shared/api/common.js';
import { KIOSK_PATIENT_HEADER } from '../shared/api/kiosk.js';
import type { Config } from './config.js';
import { KIOSK_COOKIE } from './modules/channels/kiosk/kiosk.devices.service.js';
import { CSRF_HEADER, SESSION_COOKIE } from './modules/session/session.js';
import {
  accessOf,
  duplicateOperationIds,
  errorStatuses,
  namesIds,
  openApiPath,
  operationIdOf,
  repairNullableEnums,
  securityOf,
} from './openapi.rules.js';

export const FHIR_MEDIA_TYPE = 'application/fhir+json';
const JSON_MEDIA_TYPE = 'application/json';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

// The document is plain JSON: these are the few shapes this file reads and writes.
type JsonObject = Record<string, unknown>;
interface Operation extends JsonObject {
  operationId?: string;
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: unknown;
  responses?: Record<string, JsonObject>;
  security?: Array<Record<string, string[]>>;
}
interface Document extends JsonObject {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> } & JsonObject;
}

/** The error body every JSON route answers with (src/shared/api/common.ts). */
const errorBodySchema = z.toJSONSchema(errorBody, { target: 'openapi-3.0' }) as JsonObject;
delete errorBodySchema.$schema;

/** The FHIR view's error: an OperationOutcome (fhir.mapping.ts operationOutcome), as far as it is ours. */
const operationOutcomeSchema: JsonObject = {
  type: 'object',
  description: 'FHIR R4 OperationOutcome: the code from the error catalogue in issue.details.coding',
  required: ['resourceType', 'issue'],
  properties: {
    resourceType: { type: 'string', enum: ['OperationOutcome'] },
    issue: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['severity', 'code'],
        properties: {
          severity: { type: 'string', enum: ['fatal', 'error', 'warning', 'information'] },
          code: { type: 'string' },
          details: {
            type: 'object',
            properties: {
              coding: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { system: { type: 'string' }, code: { type: 'string' } },
                },
              },
              text: { type: 'string' },
            },
          },
          diagnostics: { type: 'string' },
        },
      },
    },
  },
};

/** Any FHIR resource: what every FHIR answer is, at least (the R4 schema itself is checked in the FHIR tests). */
const fhirResourceSchema: JsonObject = {
  type: 'object',
  description: 'A FHIR R4 resource (a searchset Bundle for searches)',
  required: ['resourceType'],
  properties: { resourceType: { type: 'string' } },
};

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is malformed or fails validation (VALIDATION_FAILED names the fields)',
  401: 'No valid credentials for this operation',
  403: 'Not allowed: another role, another organisation, or a missing or stale CSRF token',
  404: 'Nothing with this id that the caller may see',
  409: 'Conflicts with the current state (the code says which rule)',
  429: 'Too many requests: see Retry-After',
};

const securitySchemes = {
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'The portal session, set by sign-in (POST /api/auth/login or ЕСИА).',
  },
  csrfToken: {
    type: 'apiKey',
    in: 'header',
    name: CSRF_HEADER,
    description:
      'Every state-changing call under /api (not the integration API) carries the token from GET /api/session (also in the priyom_csrf cookie), bound to the session or, before sign-in, to the browser.',
  },
  kioskCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: KIOSK_COOKIE,
    description: 'A browser switched to kiosk mode by the registry (POST /api/kiosk/devices).',
  },
  kioskPatientToken: {
    type: 'apiKey',
    in: 'header',
    name: KIOSK_PATIENT_HEADER,
    description: 'The short-lived token of the patient identified at the kiosk (POST /api/kiosk/identify).',
  },
  apiKey: {
    type: 'http',
    scheme: 'bearer',
    description: 'A clinic system’s API key, issued by the operator: Authorization: Bearer <key>.',
  },
  apiKeyHeader: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Api-Key',
    description: 'The same API key in the X-Api-Key header.',
  },
};

const isFhir = (path: string) => path.startsWith('/fhir/');
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The names of an operation's query parameters and of its JSON body's fields, at any depth. */
function inputNames(op: Operation): string[] {
  const names = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const properties = (node as { properties?: Record<string, unknown> }).properties;
    if (properties && typeof properties === 'object') names.push(...Object.keys(properties));
    for (const v of Object.values(node)) walk(v);
  };
  walk(op.requestBody);
  return names;
}

function rateLimitedRoute(route: RouteOptions, familyHooks: ReadonlySet<unknown>): boolean {
  const config = route.config as { rateLimit?: unknown } | undefined;
  if (config?.rateLimit) return true;
  const hooks =
    route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
  return hooks.some((h) => familyHooks.has(h));
}

/** What the document cannot see in a route's schema: its rate limits, whether it answers a browser's navigation. */
export interface RouteMarks {
  /** `METHOD /path` of routes with a rate limit. */
  rateLimited: ReadonlySet<string>;
  /** `METHOD /path` of navigation routes (config.esiaNavigation): every answer, errors too, is a 303 to a page. */
  navigation: ReadonlySet<string>;
}

const navigationResponses = () => ({
  303: {
    description:
      'A page of the web app: where the journey goes on, or the error page (/esia/error?code=…) on a refusal',
    headers: { Location: { schema: { type: 'string' } } },
  },
});

/** Adds what openapi.rules.ts derives to every operation of the built document, in place. */
export function completeDocument(doc: Document, marks: RouteMarks): Document {
  doc.components = doc.components ?? {};
  doc.components.schemas = {
    ...doc.components.schemas,
    ErrorBody: errorBodySchema,
    OperationOutcome: operationOutcomeSchema,
  };
  doc.components.securitySchemes = securitySchemes;
  const ids: Array<{ operationId: string; where: string }> = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const key = `${method.toUpperCase()} ${path}`;
      op.operationId = op.operationId ?? operationIdOf(method, path);
      ids.push({ operationId: op.operationId, where: key });
      const access = accessOf(method, path);
      op.security = securityOf(method, path, access);
      if (access.kind === 'session' && access.roles) op['x-roles'] = [...access.roles];
      if (marks.navigation.has(key)) {
        op.responses = navigationResponses();
        continue;
      }
      const responses = op.responses ?? {};
      const fhir = isFhir(path);
      const mediaType = fhir ? FHIR_MEDIA_TYPE : JSON_MEDIA_TYPE;
      const errorSchema = ref(fhir ? 'OperationOutcome' : 'ErrorBody');
      // FHIR answers carry their own media type: a route that gives no schema answers a resource.
      if (fhir) {
        for (const [status, response] of Object.entries(responses)) {
          if (status.startsWith('2') && !response.content)
            response.content = { [FHIR_MEDIA_TYPE]: { schema: fhirResourceSchema } };
        }
      }
      const statuses = errorStatuses({
        method,
        path,
        access,
        hasInput: Boolean(op.requestBody) || (op.parameters ?? []).length > 0,
        namesIds: namesIds(path, (op.parameters ?? []).filter((p) => p.in === 'path').length, inputNames(op)),
        rateLimited: marks.rateLimited.has(key),
      });
      for (const status of statuses) {
        const existing = responses[String(status)];
        if (existing?.content) continue;
        responses[String(status)] = {
          description: ERROR_DESCRIPTIONS[status] ?? 'Refused',
          content: { [mediaType]: { schema: errorSchema } },
        };
      }
      responses.default = responses.default ?? {
        description: 'Any other error, e.g. 503 DATABASE_UNAVAILABLE (with Retry-After) or 500 INTERNAL',
        content: { [mediaType]: { schema: errorSchema } },
      };
      op.responses = responses;
    }
  }
  const duplicates = duplicateOperationIds(ids);
  if (duplicates.length) throw new Error(`OpenAPI: operationId used twice: ${duplicates.join('; ')}`);
  repairNullableEnums(doc as Parameters<typeof repairNullableEnums>[0]);
  return doc;
}

/**
 * @fastify/swagger's options. `familyHooks`: the shared rate-limit hooks (app.rateLimits), so
 * a route that uses one is documented with 429.
 */
export function swaggerOptions(config: Config, familyHooks: Iterable<unknown>): FastifyDynamicSwaggerOptions {
  const hooks = new Set(familyHooks);
  const rateLimited = new Set<string>();
  const navigation = new Set<string>();
  return {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Priyom API',
        description:
          'Региональный портал медицинских услуг. Errors are `ErrorBody` (`{ code, message }`, a code from the closed catalogue); the FHIR view answers OperationOutcome.',
        version: '0.1.0',
        license: { name: 'Proprietary', url: `${config.publicUrl}/` },
      },
      servers: [{ url: config.publicUrl, description: 'This portal' }],
    },
    transform(document) {
      const { route, url } = document;
      const result = jsonSchemaTransform(document);
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const keys = methods.map((m) => `${m.toUpperCase()} ${openApiPath(url)}`);
      if (rateLimitedRoute(route, hooks)) for (const k of keys) rateLimited.add(k);
      if ((route.config as { esiaNavigation?: boolean } | undefined)?.esiaNavigation)
        for (const k of keys) navigation.add(k);
      // Security is derived from the route's guard (openapi.rules.ts), not declared route by route.
      const schema = result.schema as JsonObject | undefined;
      if (schema) delete schema.security;
      return result;
    },
    transformObject(document) {
      if (!('openapiObject' in document) || !document.openapiObject) throw new Error('OpenAPI 3 expected');
      return completeDocument(document.openapiObject as Document, {
        rateLimited,
        navigation,
      }) as typeof document.openapiObject;
    },
  };
}
