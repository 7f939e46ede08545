// The contract test's machinery: every answer a test app gives through a documented route is
// recorded (status, media type, body) and checked against the OpenAPI document of that same
// app — the status must be documented (5xx may fall to `default`), the media type listed and
// the JSON body valid against the schema (Ajv). createTestContext records on every app and
// checks on close(), so every integration test is also a contract test without saying so.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { openApiPath } from '../../src/server/openapi.rules.js';

// ajv-formats is CommonJS: its default export arrives as the module object under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

export interface RecordedAnswer {
  method: string;
  /** The route's path template in Fastify's form (`/api/x/:id`). */
  route: string;
  status: number;
  contentType: string | null;
  body: string;
}

type JsonObject = Record<string, unknown>;
interface MediaType {
  schema?: unknown;
}
interface Response {
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId?: string;
  responses?: Record<string, Response>;
}
export interface OpenApiDocument {
  paths?: Record<string, Record<string, Operation>>;
  components?: JsonObject;
}

/** JSON Pointer escaping (RFC 6901). */
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/**
 * OpenAPI 3.0's schema dialect as JSON Schema for Ajv: `exclusiveMinimum: true` beside a
 * `minimum` becomes the number (draft 6+). `nullable` Ajv understands itself.
 */
export function asJsonSchema<T>(node: T): T {
  if (Array.isArray(node)) return node.map(asJsonSchema) as T;
  if (node === null || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node as JsonObject)) out[k] = asJsonSchema(v);
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[flag] === 'boolean') {
      if (out[flag] === true && typeof out[bound] === 'number') {
        out[flag] = out[bound];
        delete out[bound];
      } else delete out[flag];
    }
  }
  return out as T;
}

const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');

/** Validates recorded answers against one OpenAPI document (validators compiled once per schema). */
export class ContractChecker {
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly doc: OpenApiDocument) {
    this.ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    addFormats(this.ajv);
    this.ajv.addSchema(asJsonSchema(doc) as JsonObject, 'openapi');
  }

  private validator(ref: string): ValidateFunction {
    let v = this.validators.get(ref);
    if (!v) {
      v = this.ajv.compile({ $ref: `openapi#${ref}` });
      this.validators.set(ref, v);
    }
    return v;
  }

  /** Why the answer breaks the contract, or null when it keeps it (or its route is not documented). */
  check(a: RecordedAnswer): string | null {
    const path = openApiPath(a.route);
    const method = a.method.toLowerCase();
    const op = this.doc.paths?.[path]?.[method];
    if (!op) return null; // hidden routes (health checks, the web app, the ЕСИА stand-in)
    const where = `${a.method} ${path} → ${a.status}`;
    const responses = op.responses ?? {};
    const statusKey = String(a.status);
    const key = statusKey in responses ? statusKey : a.status >= 500 && responses.default ? 'default' : null;
    if (!key) return `${where}: status not documented (documented: ${Object.keys(responses).join(', ')})`;
    const content = responses[key].content;
    if (!content) return a.body === '' ? null : `${where}: a body, but the document describes none`;
    if (a.body === '') {
      return a.status === 204 || a.status === 304 ? null : `${where}: no body, the document describes one`;
    }
    const mediaType = (a.contentType ?? '').split(';')[0].trim().toLowerCase();
    if (!(mediaType in content)) {
      return `${where}: media type ${mediaType || '(none)'} not documented (${Object.keys(content).join(', ')})`;
    }
    if (!isJson(mediaType) || content[mediaType].schema === undefined) return null;
    let body: unknown;
    try {
      body = JSON.parse(a.body);
    } catch {
      return `${where}: ${mediaType} that is not JSON`;
    }
    const validate = this.validator(
      `/${pointer('paths', path, method, 'responses', key, 'content', mediaType, 'schema')}`,
    );
    if (validate(body)) return null;
    const errors = (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
    return `${where}: body does not match the schema: ${errors.join('; ')}`;
  }

  violations(answers: readonly RecordedAnswer[]): string[] {
    const out = new Set<string>();
    for (const a of answers) {
      const v = this.check(a);
      if (v) out.add(v);
    }
    return [...out];
  }
}

/** Records every answer of the routes it is given (pass `onRoute` to build()). */
export class ContractRecorder {
  readonly answers: RecordedAnswer[] = [];

  readonly onRoute = (route: RouteOptions): void => {
    if (route.method === 'HEAD') return;
    const record = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const url = request.routeOptions.url;
      // Streams (files, compressed answers) are not bodies the schemas describe.
      if (url !== undefined && !reply.getHeader('content-encoding')) {
        const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
        if (body !== null || payload === null || payload === undefined) {
          const type = reply.getHeader('content-type');
          this.answers.push({
            method: request.method,
            route: url,
            status: reply.statusCode,
            contentType: type === undefined ? null : String(type),
            body: body ?? '',
          });
        }
      }
      return payload;
    };
    const existing = route.onSend === undefined ? [] : Array.isArray(route.onSend) ? route.onSend : [route.onSend];
    route.onSend = [...existing, record] as RouteOptions['onSend'];
  };

  /**
   * The contract's violations among the answers recorded so far. A document that openapi.ts
   * has not completed (no ErrorBody: an app built without its swagger options) promises no
   * errors at all, so there is no contract to hold it to; test/int/openapi.int.test.ts fails then.
   */
  violations(doc: OpenApiDocument): string[] {
    const schemas = (doc.components as { schemas?: Record<string, unknown> } | undefined)?.schemas;
    if (!schemas?.ErrorBody) return [];
    return new ContractChecker(doc).violations(this.answers);
  }
}
