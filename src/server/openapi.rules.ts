// The OpenAPI document's rules, pure: who may call a path (the guard each route file applies
// in code, written down once here so the document can say it), the operationId of a route,
// the 4xx answers an operation can give, and the OpenAPI 3.0 nullable-enum repair. openapi.ts
// applies them to every route as @fastify/swagger builds the document, so new routes get them.
import type { Role } from '../shared/api/common.js';

/** How a route authenticates its caller (session.ts, kiosk.devices.service.ts, integration.auth.ts). */
export type Access =
  /** Anyone; a session, if there is one, may only add to the answer. */
  | { kind: 'public' }
  /** A signed-in account (401 NOT_AUTHENTICATED); with roles, other roles get 403 FORBIDDEN. */
  | { kind: 'session'; roles?: readonly Role[] }
  /** A browser switched to kiosk mode (device cookie); `patient`: also the x-kiosk-patient token. */
  | { kind: 'kiosk'; patient: boolean }
  /** A clinic system's API key: Authorization: Bearer <key> or X-Api-Key. */
  | { kind: 'apiKey' };

const session = (...roles: Role[]): Access => (roles.length ? { kind: 'session', roles } : { kind: 'session' });
const PUBLIC: Access = { kind: 'public' };

/**
 * The guards, first match wins. A key is `METHOD /path` (exact), `/path` (exact, any method)
 * or `/prefix/*` (any method). Paths are OpenAPI templates (`{id}`). Anything else under
 * /api needs a signed-in account. test/int/openapi-access.int.test.ts calls every operation
 * without credentials (and with a role it does not serve) and checks the answer against this.
 */
export const ACCESS_RULES: ReadonlyArray<readonly [string, Access]> = [
  // the integration API and its FHIR view (the CapabilityStatement is read before authenticating)
  ['/api/integration/*', { kind: 'apiKey' }],
  ['GET /fhir/R4/metadata', PUBLIC],
  ['/fhir/*', { kind: 'apiKey' }],
  // sign-up, sign-in and the session itself
  ['GET /api/session', PUBLIC],
  ['/api/auth/*', PUBLIC],
  ['GET /api/persons', session()],
  ['GET /api/persons/{id}', session()],
  ['/api/persons/*', session('patient')],
  ['/api/persons', session('patient')],
  // the public catalogue and schedules (a session only adds the viewer's own bookings)
  ['GET /api/organisations', PUBLIC],
  ['GET /api/specialties', PUBLIC],
  ['GET /api/doctors', PUBLIC],
  ['GET /api/doctors/{id}', PUBLIC],
  ['GET /api/doctors/{id}/schedule', PUBLIC],
  ['GET /api/doctors/{id}/absences', PUBLIC],
  ['GET /api/push/public-key', PUBLIC],
  // ЕСИА: the browser's round trip and the registration that follows it (its own cookie)
  ['GET /api/esia/config', PUBLIC],
  ['GET /api/esia/errors/{code}', PUBLIC],
  ['GET /api/esia/start', PUBLIC],
  ['GET /api/esia/callback', PUBLIC],
  ['/api/esia/registration', PUBLIC],
  ['/api/esia/link', session()],
  // own data (152-ФЗ): a patient's account
  ['/api/account/*', session('patient')],
  ['POST /api/persons/{id}/remove', session('patient')],
  // staff
  ['/api/moderation/*', session('moderator')],
  ['GET /api/operator/audit', session('operator', 'moderator')],
  ['/api/operator/*', session('operator')],
  ['/api/kiosk/devices', session('registrar', 'operator')],
  ['/api/kiosk/devices/*', session('registrar', 'operator')],
  ['/api/kiosk/home', { kind: 'kiosk', patient: false }],
  ['/api/kiosk/identify', { kind: 'kiosk', patient: false }],
  // The scanned талон stands for its visit: no patient token.
  ['/api/kiosk/visits/by-reference', { kind: 'kiosk', patient: false }],
  ['/api/kiosk/visits/by-reference/cancel', { kind: 'kiosk', patient: false }],
  ['/api/kiosk/doctors', { kind: 'kiosk', patient: false }],
  ['/api/kiosk/doctors/*', { kind: 'kiosk', patient: false }],
  ['/api/kiosk/*', { kind: 'kiosk', patient: true }],
  ['/api/desk/absences', session('registrar', 'clinic_admin')],
  ['/api/desk/absences/*', session('registrar', 'clinic_admin')],
  ['/api/desk/doctors/{id}/absences', session('registrar', 'clinic_admin')],
  ['/api/desk/*', session('registrar')],
  ['/api/doctor/*', session('doctor')],
  ['/api/clinic/schedule-doctors', session('clinic_admin', 'registrar')],
  ['/api/clinic/doctors/{id}/schedule-template', session('clinic_admin', 'registrar')],
  ['/api/clinic/doctors/{id}/schedule-template/*', session('clinic_admin', 'registrar')],
  ['/api/clinic/doctors/{id}/schedule-exceptions', session('clinic_admin', 'registrar')],
  ['/api/clinic/schedule-exceptions/*', session('clinic_admin', 'registrar')],
  ['/api/clinic/*', session('clinic_admin')],
  // the development mailbox (demo mode without SMTP only)
  ['/api/dev/*', PUBLIC],
];

function matches(key: string, method: string, path: string): boolean {
  const space = key.indexOf(' ');
  const keyMethod = space > 0 ? key.slice(0, space) : null;
  const keyPath = space > 0 ? key.slice(space + 1) : key;
  if (keyMethod && keyMethod !== method.toUpperCase()) return false;
  return keyPath.endsWith('/*') ? path.startsWith(keyPath.slice(0, -1)) : path === keyPath;
}

/** The guard of `method path` (an OpenAPI path template). */
export function accessOf(method: string, path: string, rules = ACCESS_RULES): Access {
  for (const [key, access] of rules) if (matches(key, method, path)) return access;
  return path.startsWith('/api/') ? session() : PUBLIC;
}

/** Fastify's `/a/:id` as the OpenAPI template `/a/{id}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

const words = (s: string) => s.split(/[^A-Za-z0-9]+/).filter(Boolean);
const capital = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/**
 * A stable operationId from the method and the path: `POST /api/appointments/{id}/cancel` is
 * `postAppointmentsByIdCancel`, `GET /fhir/R4/Slot/{id}` is `getFhirR4SlotById` (the /api
 * prefix every JSON route shares is left out).
 */
export function operationIdOf(method: string, path: string): string {
  const segments = path.split('/').filter(Boolean);
  if (segments[0] === 'api') segments.shift();
  const parts = segments.flatMap((segment) => {
    const param = /^\{(.+)\}$/.exec(segment);
    return param ? ['By', ...words(param[1]).map(capital)] : words(segment).map(capital);
  });
  return `${method.toLowerCase()}${parts.join('')}`;
}

/** Operation ids given to more than one operation (`where` names each operation). */
export function duplicateOperationIds(operations: ReadonlyArray<{ operationId: string; where: string }>): string[] {
  const seen = new Map<string, string[]>();
  for (const o of operations) seen.set(o.operationId, [...(seen.get(o.operationId) ?? []), o.where]);
  return [...seen].filter(([, where]) => where.length > 1).map(([id, where]) => `${id}: ${where.join(', ')}`);
}

/** A field or parameter that names a row by its id: `id`, `slotId`, `personIds`. */
const ID_NAME = /^id$|Ids?$/;
/** FHIR search parameters whose value is a reference (`Schedule/12`), which may name nothing. */
const FHIR_REFERENCE_PARAMS = new Set([
  'schedule',
  'actor',
  'slot',
  'patient',
  'practitioner',
  'location',
  'organization',
]);

/** Whether an operation names something by id: a path parameter, or an id among its query parameters or body fields. */
export function namesIds(path: string, pathParams: number, inputNames: Iterable<string>): boolean {
  if (pathParams > 0) return true;
  for (const name of inputNames) {
    if (ID_NAME.test(name) || (path.startsWith('/fhir/') && FHIR_REFERENCE_PARAMS.has(name))) return true;
  }
  return false;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * State-changing operations that cannot meet a conflict: they only end a session, mark
 * notifications read, search, preview or identify (a 409 would be a false promise).
 */
export const NEVER_CONFLICT: ReadonlySet<string> = new Set([
  'POST /api/auth/logout',
  'POST /api/auth/login',
  'POST /api/auth/forgot',
  'POST /api/auth/signup',
  'POST /api/notifications/read-all',
  'POST /api/notifications/{id}/read',
  'PUT /api/notifications/preferences',
  'DELETE /api/push/subscriptions',
  'POST /api/desk/patients/search',
  'POST /api/kiosk/identify',
  'POST /api/desk/appointments/by-reference',
  'POST /api/kiosk/visits/by-reference',
  'POST /api/clinic/doctors/{id}/schedule-template/preview',
]);

/** Answers the generic derivation misses, given by the route's own logic. */
export const EXTRA_ERRORS: Readonly<Record<string, readonly number[]>> = {
  // HOLD_NOT_FOUND: the hold has lapsed (choose the time again).
  'GET /api/holds/{slotId}': [409],
  // KIOSK_PATIENT_NOT_FOUND (a wrong pair of полис and birth date); KIOSK_TOO_MANY_ATTEMPTS.
  'POST /api/kiosk/identify': [404, 429],
  // APPOINTMENT_NOT_FOUND: a reference of another organisation, or none.
  'POST /api/desk/appointments/by-reference': [404],
  'POST /api/kiosk/visits/by-reference': [404],
  'POST /api/kiosk/visits/by-reference/cancel': [404],
  // The specialties as one person may book them (?personId=) need that person's account.
  'GET /api/specialties': [401],
  // INVALID_CREDENTIALS: a public route that answers 401.
  'POST /api/auth/login': [401],
  // No ЕСИА sign-in waiting for the полис in this browser (its registration cookie).
  'GET /api/esia/registration': [400],
  // PUSH_SUBSCRIPTION_NOT_FOUND: the endpoint in the body is not this account's.
  'DELETE /api/push/subscriptions': [404],
};

export interface RouteFacts {
  method: string;
  /** OpenAPI path template. */
  path: string;
  access: Access;
  /** The route validates a body, a query string, path parameters or headers. */
  hasInput: boolean;
  /** Path parameters, or an id named in the query or the body (`slotId`, FHIR `schedule=Schedule/1`). */
  namesIds: boolean;
  /** A per-route or per-family rate limit applies (config.rateLimit, app.rateLimits.*). */
  rateLimited: boolean;
}

/** Whether the session plugin checks the CSRF header on this call (session.ts: unsafe /api calls, not the integration API). */
export function csrfChecked(method: string, path: string): boolean {
  return UNSAFE.has(method.toUpperCase()) && path.startsWith('/api/') && !path.startsWith('/api/integration/');
}

/** The 4xx statuses an operation can answer, ascending. */
export function errorStatuses(f: RouteFacts): number[] {
  const method = f.method.toUpperCase();
  const key = `${method} ${f.path}`;
  const unsafe = UNSAFE.has(method);
  const out = new Set<number>(EXTRA_ERRORS[key] ?? []);
  // Validation, or a body that is not JSON (any state-changing call may carry one).
  if (f.hasInput || unsafe) out.add(400);
  if (f.access.kind !== 'public') out.add(401);
  if ((f.access.kind === 'session' && f.access.roles) || csrfChecked(method, f.path)) out.add(403);
  if (f.namesIds) out.add(404);
  if (unsafe && f.access.kind !== 'public' && !NEVER_CONFLICT.has(key)) out.add(409);
  if (f.rateLimited || f.access.kind === 'apiKey') out.add(429);
  return [...out].sort((a, b) => a - b);
}

/** Security requirement objects (alternatives) for an operation, by the names of openapi.ts's schemes. */
export function securityOf(method: string, path: string, access: Access): Array<Record<string, string[]>> {
  const csrf = csrfChecked(method, path);
  switch (access.kind) {
    case 'public':
      return csrf ? [{ csrfToken: [] }] : [{}];
    case 'session':
      return [csrf ? { sessionCookie: [], csrfToken: [] } : { sessionCookie: [] }];
    case 'kiosk': {
      const req: Record<string, string[]> = { kioskCookie: [] };
      if (access.patient) req.kioskPatientToken = [];
      if (csrf) req.csrfToken = [];
      return [req];
    }
    case 'apiKey':
      return [{ apiKey: [] }, { apiKeyHeader: [] }];
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * OpenAPI 3.0: `nullable: true` does not add null to an `enum`, so `{ nullable: true, enum:
 * ['patient', 'clinic'] }` refuses the real answer `null`. Adds null to every such enum, in
 * place, anywhere in the document; returns how many were repaired.
 */
export function repairNullableEnums(node: Json): number {
  let repaired = 0;
  const walk = (n: Json) => {
    if (Array.isArray(n)) {
      for (const v of n) walk(v);
      return;
    }
    if (n === null || typeof n !== 'object') return;
    const e = n.enum;
    if (n.nullable === true && Array.isArray(e) && !e.includes(null)) {
      e.push(null);
      repaired++;
    }
    for (const v of Object.values(n)) walk(v);
  };
  walk(node);
  return repaired;
}
