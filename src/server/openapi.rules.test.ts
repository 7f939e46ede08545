// Table tests of the OpenAPI rules: operationIds, the guard table, the 4xx answers derived
// from a route's facts, the security requirements, and the nullable-enum repair.
import { describe, expect, it } from 'vitest';
import {
  type Access,
  accessOf,
  csrfChecked,
  duplicateOperationIds,
  errorStatuses,
  namesIds,
  openApiPath,
  operationIdOf,
  type RouteFacts,
  repairNullableEnums,
  securityOf,
} from './openapi.rules.js';

describe('operationIdOf', () => {
  it.each([
    ['GET', '/api/session', 'getSession'],
    ['POST', '/api/appointments/{id}/cancel', 'postAppointmentsByIdCancel'],
    ['GET', '/api/appointments/{id}/ics', 'getAppointmentsByIdIcs'],
    [
      'GET',
      '/api/integration/v1/appointments/external/{externalId}',
      'getIntegrationV1AppointmentsExternalByExternalId',
    ],
    [
      'POST',
      '/api/desk/absences/{absenceId}/visits/{appointmentId}/decide',
      'postDeskAbsencesByAbsenceIdVisitsByAppointmentIdDecide',
    ],
    ['GET', '/api/notifications/unread-count', 'getNotificationsUnreadCount'],
    ['GET', '/fhir/R4/Slot/{id}', 'getFhirR4SlotById'],
    ['POST', '/fhir/R4/Appointment/_search', 'postFhirR4AppointmentSearch'],
    ['POST', '/fhir/R4/Appointment/$book', 'postFhirR4AppointmentBook'],
    ['PUT', '/api/clinic/doctors/{id}/schedule-template', 'putClinicDoctorsByIdScheduleTemplate'],
  ])('%s %s is %s', (method, path, id) => {
    expect(operationIdOf(method, path)).toBe(id);
  });

  it('differs between methods of one path and between paths', () => {
    expect(operationIdOf('GET', '/api/persons')).not.toBe(operationIdOf('POST', '/api/persons'));
    expect(operationIdOf('GET', '/api/persons/{id}')).not.toBe(operationIdOf('GET', '/api/persons'));
  });

  it('finds ids given twice, naming each operation', () => {
    expect(
      duplicateOperationIds([
        { operationId: 'getA', where: 'GET /api/a' },
        { operationId: 'getAB', where: 'GET /api/a-b' },
        { operationId: 'getAB', where: 'GET /api/aB' },
      ]),
    ).toEqual(['getAB: GET /api/a-b, GET /api/aB']);
    expect(duplicateOperationIds([{ operationId: 'getA', where: 'GET /api/a' }])).toEqual([]);
  });

  it('turns Fastify parameters into OpenAPI templates', () => {
    expect(openApiPath('/api/desk/absences/:absenceId/visits/:appointmentId/decide')).toBe(
      '/api/desk/absences/{absenceId}/visits/{appointmentId}/decide',
    );
  });
});

describe('accessOf', () => {
  it.each<[string, string, Access]>([
    ['GET', '/api/integration/v1/slots', { kind: 'apiKey' }],
    ['GET', '/fhir/R4/metadata', { kind: 'public' }],
    ['GET', '/fhir/R4/Slot/{id}', { kind: 'apiKey' }],
    ['POST', '/api/auth/login', { kind: 'public' }],
    ['GET', '/api/doctors/{id}/schedule', { kind: 'public' }],
    ['GET', '/api/persons', { kind: 'session' }],
    ['POST', '/api/persons', { kind: 'session', roles: ['patient'] }],
    ['PUT', '/api/persons/{id}', { kind: 'session', roles: ['patient'] }],
    ['GET', '/api/operator/audit', { kind: 'session', roles: ['operator', 'moderator'] }],
    ['PUT', '/api/operator/settings', { kind: 'session', roles: ['operator'] }],
    ['POST', '/api/kiosk/devices', { kind: 'session', roles: ['registrar', 'operator'] }],
    ['POST', '/api/kiosk/identify', { kind: 'kiosk', patient: false }],
    ['POST', '/api/kiosk/appointments', { kind: 'kiosk', patient: true }],
    ['GET', '/api/desk/absences/{absenceId}', { kind: 'session', roles: ['registrar', 'clinic_admin'] }],
    ['GET', '/api/desk/doctors', { kind: 'session', roles: ['registrar'] }],
    ['PUT', '/api/clinic/doctors/{id}/schedule-template', { kind: 'session', roles: ['clinic_admin', 'registrar'] }],
    ['PUT', '/api/clinic/doctors/{id}', { kind: 'session', roles: ['clinic_admin'] }],
    ['POST', '/api/holds', { kind: 'session' }],
    ['GET', '/some/page', { kind: 'public' }],
  ])('%s %s', (method, path, access) => {
    expect(accessOf(method, path)).toEqual(access);
  });
});

describe('errorStatuses', () => {
  const facts = (f: Partial<RouteFacts>): RouteFacts => ({
    method: 'GET',
    path: '/api/x',
    access: { kind: 'session' },
    hasInput: false,
    namesIds: false,
    rateLimited: false,
    ...f,
  });
  it.each<[string, Partial<RouteFacts>, number[]]>([
    ['a public read without input', { access: { kind: 'public' } }, []],
    ['a public read with a query', { access: { kind: 'public' }, hasInput: true }, [400]],
    ['a signed-in read', {}, [401]],
    [
      'a read for some roles, by id',
      { access: { kind: 'session', roles: ['operator'] }, namesIds: true, hasInput: true },
      [400, 401, 403, 404],
    ],
    ['a signed-in change (CSRF, conflicts)', { method: 'POST', hasInput: true }, [400, 401, 403, 409]],
    [
      'a rate-limited change by id',
      { method: 'POST', path: '/api/x/{id}', namesIds: true, rateLimited: true },
      [400, 401, 403, 404, 409, 429],
    ],
    ['a public change (CSRF, no conflicts)', { method: 'POST', access: { kind: 'public' } }, [400, 403]],
    [
      'logging out never conflicts',
      { method: 'POST', path: '/api/auth/logout', access: { kind: 'public' } },
      [400, 403],
    ],
    ['marking all read never conflicts', { method: 'POST', path: '/api/notifications/read-all' }, [400, 401, 403]],
    [
      'an API key read (per-key limit, no CSRF)',
      { path: '/api/integration/v1/doctors', access: { kind: 'apiKey' } },
      [401, 429],
    ],
    [
      'an API key push',
      {
        method: 'POST',
        path: '/api/integration/v1/appointments',
        access: { kind: 'apiKey' },
        hasInput: true,
        namesIds: true,
      },
      [400, 401, 404, 409, 429],
    ],
    ['a kiosk read', { path: '/api/kiosk/visits', access: { kind: 'kiosk', patient: true } }, [401]],
    [
      'identifying at the kiosk (its own limiter, no such pair)',
      { method: 'POST', path: '/api/kiosk/identify', access: { kind: 'kiosk', patient: false }, hasInput: true },
      [400, 401, 403, 404, 429],
    ],
    [
      'a lapsed hold is a conflict even on a read',
      { path: '/api/holds/{slotId}', namesIds: true, hasInput: true },
      [400, 401, 404, 409],
    ],
    [
      'signing in: a public 401',
      { method: 'POST', path: '/api/auth/login', access: { kind: 'public' }, hasInput: true, rateLimited: true },
      [400, 401, 403, 429],
    ],
  ])('%s', (_name, f, statuses) => {
    expect(errorStatuses(facts(f))).toEqual(statuses);
  });

  it('names ids in paths, in id fields and in FHIR references', () => {
    expect(namesIds('/api/x/{id}', 1, [])).toBe(true);
    expect(namesIds('/api/holds', 0, ['slotId', 'personId'])).toBe(true);
    expect(namesIds('/api/x', 0, ['personIds'])).toBe(true);
    expect(namesIds('/api/auth/login', 0, ['email', 'password'])).toBe(false);
    expect(namesIds('/api/x', 0, ['valid'])).toBe(false);
    expect(namesIds('/fhir/R4/Slot', 0, ['schedule', 'start'])).toBe(true);
    expect(namesIds('/api/x', 0, ['schedule'])).toBe(false);
  });
});

describe('securityOf', () => {
  it.each<[string, string, Access, Array<Record<string, string[]>>]>([
    ['GET', '/api/organisations', { kind: 'public' }, [{}]],
    ['POST', '/api/auth/login', { kind: 'public' }, [{ csrfToken: [] }]],
    ['GET', '/api/cardfile', { kind: 'session' }, [{ sessionCookie: [] }]],
    ['POST', '/api/holds', { kind: 'session' }, [{ sessionCookie: [], csrfToken: [] }]],
    ['GET', '/api/kiosk/home', { kind: 'kiosk', patient: false }, [{ kioskCookie: [] }]],
    [
      'POST',
      '/api/kiosk/appointments',
      { kind: 'kiosk', patient: true },
      [{ kioskCookie: [], kioskPatientToken: [], csrfToken: [] }],
    ],
    ['POST', '/api/integration/v1/appointments', { kind: 'apiKey' }, [{ apiKey: [] }, { apiKeyHeader: [] }]],
    ['GET', '/fhir/R4/Slot', { kind: 'apiKey' }, [{ apiKey: [] }, { apiKeyHeader: [] }]],
  ])('%s %s', (method, path, access, security) => {
    expect(securityOf(method, path, access)).toEqual(security);
  });

  it('checks CSRF on state-changing /api calls, not on the integration API or reads', () => {
    expect(csrfChecked('DELETE', '/api/holds/{slotId}')).toBe(true);
    expect(csrfChecked('GET', '/api/holds/{slotId}')).toBe(false);
    expect(csrfChecked('POST', '/api/integration/v1/appointments')).toBe(false);
    expect(csrfChecked('POST', '/fhir/R4/Appointment')).toBe(false);
  });
});

describe('repairNullableEnums', () => {
  it('adds null to nullable enums at any depth, once, and leaves the rest alone', () => {
    const doc = {
      paths: {
        '/a': {
          get: {
            responses: {
              200: {
                schema: {
                  properties: {
                    cancelledBy: { nullable: true, type: 'string', enum: ['patient', 'clinic'] },
                    status: { type: 'string', enum: ['booked', 'cancelled'] },
                    list: { type: 'array', items: { nullable: true, type: 'string', enum: ['x'] } },
                    already: { nullable: true, type: 'string', enum: ['y', null] },
                    plain: { nullable: true, type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
    };
    expect(repairNullableEnums(doc)).toBe(2);
    const p = doc.paths['/a'].get.responses[200].schema.properties;
    expect(p.cancelledBy.enum).toEqual(['patient', 'clinic', null]);
    expect(p.list.items.enum).toEqual(['x', null]);
    expect(p.already.enum).toEqual(['y', null]);
    expect(p.status.enum).toEqual(['booked', 'cancelled']);
    expect(p.plain).toEqual({ nullable: true, type: 'string' });
    expect(repairNullableEnums(doc)).toBe(0);
  });
});
