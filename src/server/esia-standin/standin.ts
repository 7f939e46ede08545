// A stand-in for ЕСИА (Госуслуги) that ships with the portal: the same endpoints and
// parameter names as the real one (v2/ac, v3/te, /rs/prns), the same checks (timestamp
// skew, the client's signature and certificate hash, one-time codes with expiry, state,
// redirect_uri), a consent page to choose a test citizen or refuse, and switchable
// faults. In-memory state; signatures are the development signer's HMAC (esia.signer.ts).
// Mounted at /esia-standin in demo mode (app.ts), or on its own port in tests.
import { randomBytes, randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyReply } from 'fastify';
import { devCertificateHash, devSignJwt, devVerify, devVerifyJwt } from '../modules/identity/esia/esia.signer.js';
import {
  authorizationSignedString,
  jwtPayload,
  parseEsiaTimestamp,
  tokenSignedString,
} from '../modules/identity/esia/esia.rules.js';
import { esiaDate, STANDIN_CITIZENS, todayOf, type StandinCitizen } from './citizens.js';
import { consentPage, errorPage, faultsPage } from './page.js';

export const STANDIN_FAULTS = [
  { id: 'token-error', text: 'точка получения маркера отвечает ошибкой 500' },
  { id: 'token-timeout', text: 'точка получения маркера не отвечает (зависает)' },
  { id: 'token-bad-signature', text: 'маркер доступа с неверной подписью' },
  { id: 'token-no-subject', text: 'в маркере нет идентификатора пользователя (urn:esia:sbj_id)' },
  { id: 'token-wrong-state', text: 'в ответе с маркером чужой state' },
  { id: 'person-down', text: 'сервис данных пользователя (/rs/prns) недоступен' },
  { id: 'kids-down', text: 'сведения о детях (/rs/prns/…/kids) недоступны' },
] as const;
export type StandinFault = (typeof STANDIN_FAULTS)[number]['id'];
const FAULT_IDS = new Set<string>(STANDIN_FAULTS.map((f) => f.id));

export interface StandinOptions {
  /** The one client (mnemonic) registered here. */
  clientId: string;
  /** The development signing key the client signs with. */
  devKey: string;
  /** redirect_uri values registered for the client. */
  redirectUris: readonly string[];
  /** The path the stand-in is mounted at ('' on its own server), for its forms. */
  basePath: string;
  now?: () => Date;
  /** How long a code is valid (ЕСИА: short). */
  codeLifetimeMs?: number;
  /** Allowed difference between the client's timestamp and the stand-in's clock. */
  maxSkewMs?: number;
  /** How long the "timeout" fault keeps a request waiting. */
  hangMs?: number;
  faults?: readonly StandinFault[];
}

interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  state: string;
  scope: string;
  expiresAt: number;
}

interface IssuedCode {
  oid: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  expiresAt: number;
  used: boolean;
}

/** The stand-in's state, reachable for tests (faults on and off). */
export interface StandinControl {
  faults: Set<StandinFault>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

export function esiaStandin(opts: StandinOptions): { plugin: FastifyPluginAsync; control: StandinControl } {
  const now = opts.now ?? (() => new Date());
  const codeLifetimeMs = opts.codeLifetimeMs ?? 60_000;
  const maxSkewMs = opts.maxSkewMs ?? 5 * 60_000;
  const hangMs = opts.hangMs ?? 60_000;
  const certificateHash = devCertificateHash(opts.devKey);
  const control: StandinControl = { faults: new Set(opts.faults ?? []) };
  const authorizations = new Map<string, PendingAuthorization>();
  const codes = new Map<string, IssuedCode>();
  const citizens = new Map(STANDIN_CITIZENS.map((c) => [c.oid, c]));

  function prune(): void {
    const t = now().getTime();
    for (const [k, v] of authorizations) if (v.expiresAt < t) authorizations.delete(k);
    for (const [k, v] of codes) if (v.expiresAt + 3_600_000 < t) codes.delete(k);
  }

  function timestampOk(value: string | null): value is string {
    const at = value ? parseEsiaTimestamp(value) : null;
    return at !== null && Math.abs(at.getTime() - now().getTime()) <= maxSkewMs;
  }

  function redirectWith(reply: FastifyReply, redirectUri: string, params: Record<string, string>) {
    const url = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return reply.redirect(url.toString(), 302);
  }

  /** A token answer the client must refuse, or the real one. */
  function accessToken(code: IssuedCode): string {
    const t = Math.floor(now().getTime() / 1000);
    const payload: Record<string, unknown> = {
      nbf: t,
      scope: code.scope,
      iss: 'http://esia-standin.priyom.local/',
      'urn:esia:sid': randomUUID(),
      'urn:esia:sbj_id': Number(code.oid),
      exp: t + 3600,
      iat: t,
      client_id: code.clientId,
    };
    if (control.faults.has('token-no-subject')) delete payload['urn:esia:sbj_id'];
    const jwt = devSignJwt(opts.devKey, { ver: 1, sbt: 'access' }, payload);
    if (!control.faults.has('token-bad-signature')) return jwt;
    const [h, p] = jwt.split('.');
    return `${h}.${p}.${randomBytes(32).toString('base64url')}`;
  }

  /** The citizen a bearer token speaks for, or null (bad signature, expired, someone else). */
  function bearerCitizen(authorization: string | undefined, oid: string): StandinCitizen | null {
    const m = /^Bearer (\S+)$/.exec(authorization ?? '');
    if (!m || !devVerifyJwt(opts.devKey, m[1])) return null;
    const payload = jwtPayload(m[1]);
    if (!payload || typeof payload.exp !== 'number' || payload.exp * 1000 <= now().getTime()) return null;
    if (String(payload['urn:esia:sbj_id']) !== oid) return null;
    return citizens.get(oid) ?? null;
  }

  const hang = () => new Promise<void>((resolve) => setTimeout(resolve, hangMs).unref());

  const plugin: FastifyPluginAsync = async (app) => {
    // ЕСИА's token endpoint and the forms here speak application/x-www-form-urlencoded.
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_req, body, done) => {
        const params = new URLSearchParams(body as string);
        const out: Record<string, string | string[]> = {};
        for (const key of new Set(params.keys())) {
          const all = params.getAll(key);
          out[key] = all.length > 1 ? all : all[0];
        }
        done(null, out);
      },
    );

    app.get('/aas/oauth2/v2/ac', { schema: { hide: true } }, async (request, reply) => {
      prune();
      const q = request.query as Record<string, unknown>;
      const redirectUri = str(q.redirect_uri);
      const html = (status: number, message: string) =>
        reply.status(status).type('text/html; charset=utf-8').send(errorPage(message));
      if (str(q.client_id) !== opts.clientId)
        return html(400, 'Система, запросившая вход, не зарегистрирована (client_id).');
      if (!redirectUri || !opts.redirectUris.includes(redirectUri))
        return html(400, 'Адрес возврата (redirect_uri) не зарегистрирован для этой системы.');
      const state = str(q.state);
      if (!state || !UUID.test(state))
        return redirectWith(reply, redirectUri, {
          error: 'invalid_request',
          error_description: 'ESIA-007004: state должен быть UUID',
        });
      const fail = (error: string, description: string) =>
        redirectWith(reply, redirectUri, { error, error_description: description, state });
      if (q.response_type !== 'code')
        return fail('unsupported_response_type', 'ESIA-007003: поддерживается только response_type=code');
      if (q.access_type !== 'online' && q.access_type !== 'offline')
        return fail('invalid_request', 'ESIA-007004: неверный access_type');
      const scope = str(q.scope) ?? '';
      if (!scope.split(' ').includes('openid')) return fail('invalid_scope', 'ESIA-007007: нет scope openid');
      const timestamp = str(q.timestamp);
      if (!timestampOk(timestamp))
        return fail('invalid_request', 'ESIA-007005: неверное или устаревшее значение timestamp');
      if (q.client_certificate_hash !== certificateHash)
        return fail('invalid_client', 'ESIA-007053: неверный client_certificate_hash');
      const signed = authorizationSignedString({
        clientId: opts.clientId,
        scope,
        timestamp,
        state,
        redirectUri,
      });
      if (!devVerify(opts.devKey, signed, str(q.client_secret) ?? ''))
        return fail('invalid_client', 'ESIA-007055: неверная подпись client_secret');
      const requestId = randomBytes(18).toString('base64url');
      authorizations.set(requestId, {
        clientId: opts.clientId,
        redirectUri,
        state,
        scope,
        expiresAt: now().getTime() + 15 * 60_000,
      });
      return reply.type('text/html; charset=utf-8').send(
        consentPage({
          action: `${opts.basePath}/aas/oauth2/v2/ac/consent`,
          requestId,
          clientId: opts.clientId,
          scope,
          citizens: STANDIN_CITIZENS,
        }),
      );
    });

    app.post('/aas/oauth2/v2/ac/consent', { schema: { hide: true } }, async (request, reply) => {
      prune();
      const b = (request.body ?? {}) as Record<string, unknown>;
      const id = str(b.request);
      const auth = id ? authorizations.get(id) : undefined;
      if (!id || !auth)
        return reply.status(400).type('text/html; charset=utf-8').send(errorPage('Запрос на вход устарел.'));
      authorizations.delete(id);
      if (b.decision === 'deny') {
        return redirectWith(reply, auth.redirectUri, {
          error: 'access_denied',
          error_description: 'ESIA-007019: пользователь отказал в доступе',
          state: auth.state,
        });
      }
      const oid = str(b.citizen);
      if (!oid || !citizens.has(oid))
        return reply.status(400).type('text/html; charset=utf-8').send(errorPage('Выберите тестового пользователя.'));
      const code = randomBytes(32).toString('base64url');
      codes.set(code, {
        oid,
        clientId: auth.clientId,
        redirectUri: auth.redirectUri,
        scope: auth.scope,
        expiresAt: now().getTime() + codeLifetimeMs,
        used: false,
      });
      return redirectWith(reply, auth.redirectUri, { code, state: auth.state });
    });

    app.post('/aas/oauth2/v3/te', { schema: { hide: true } }, async (request, reply) => {
      prune();
      const b = (request.body ?? {}) as Record<string, unknown>;
      const state = str(b.state);
      const refuse = (error: string, description: string) =>
        reply.status(400).send({ error, error_description: description, ...(state ? { state } : {}) });
      if (str(b.client_id) !== opts.clientId) return refuse('invalid_client', 'ESIA-007012: неизвестный client_id');
      if (b.grant_type !== 'authorization_code')
        return refuse('unsupported_grant_type', 'ESIA-007013: неверный grant_type');
      if (b.token_type !== 'Bearer') return refuse('invalid_request', 'ESIA-007004: неверный token_type');
      if (!state || !UUID.test(state)) return refuse('invalid_request', 'ESIA-007004: state должен быть UUID');
      const timestamp = str(b.timestamp);
      if (!timestampOk(timestamp))
        return refuse('invalid_request', 'ESIA-007005: неверное или устаревшее значение timestamp');
      if (b.client_certificate_hash !== certificateHash)
        return refuse('invalid_client', 'ESIA-007053: неверный client_certificate_hash');
      const codeValue = str(b.code) ?? '';
      const redirectUri = str(b.redirect_uri) ?? '';
      const scope = str(b.scope) ?? '';
      const signed = tokenSignedString({
        clientId: opts.clientId,
        scope,
        timestamp,
        state,
        redirectUri,
        code: codeValue,
      });
      if (!devVerify(opts.devKey, signed, str(b.client_secret) ?? ''))
        return refuse('invalid_client', 'ESIA-007055: неверная подпись client_secret');
      const code = codes.get(codeValue);
      if (!code) return refuse('invalid_grant', 'ESIA-007014: код авторизации не найден');
      if (code.used) return refuse('invalid_grant', 'ESIA-007014: код авторизации уже использован');
      code.used = true;
      if (code.expiresAt <= now().getTime())
        return refuse('invalid_grant', 'ESIA-007014: срок действия кода авторизации истёк');
      if (code.redirectUri !== redirectUri) return refuse('invalid_grant', 'ESIA-007014: redirect_uri не совпадает');
      if (control.faults.has('token-timeout')) await hang();
      if (control.faults.has('token-error'))
        return reply.status(500).send({ error: 'server_error', error_description: 'ESIA-007000: внутренняя ошибка' });
      return reply.send({
        access_token: accessToken(code),
        id_token: devSignJwt(
          opts.devKey,
          { sbt: 'id' },
          { sub: Number(code.oid), aud: code.clientId, exp: Math.floor(now().getTime() / 1000) + 3600 },
        ),
        state: control.faults.has('token-wrong-state') ? randomUUID() : state,
        token_type: 'Bearer',
        expires_in: 3600,
      });
    });

    const personGuard = (authorization: string | undefined, oid: string, reply: FastifyReply) => {
      if (control.faults.has('person-down')) {
        void reply.status(503).send({ code: 'service_unavailable', message: 'Сервис временно недоступен' });
        return null;
      }
      const c = bearerCitizen(authorization, oid);
      if (!c) void reply.status(401).send({ code: 'unauthorized', message: 'Неверный маркер доступа' });
      return c;
    };

    app.get('/rs/prns/:oid', { schema: { hide: true } }, async (request, reply) => {
      const { oid } = request.params as { oid: string };
      const c = personGuard(request.headers.authorization, oid, reply);
      if (!c) return reply;
      return {
        stateFacts: ['EntityRoot'],
        eTag: randomBytes(8).toString('hex'),
        firstName: c.firstName,
        lastName: c.lastName,
        ...(c.middleName ? { middleName: c.middleName } : {}),
        birthDate: esiaDate(c.birthDate),
        gender: c.gender,
        trusted: c.trusted,
        verifying: false,
        citizenship: 'RUS',
        ...(c.snils ? { snils: c.snils } : {}),
        updatedOn: 1_764_000_000,
        status: c.status,
      };
    });

    app.get('/rs/prns/:oid/ctts', { schema: { hide: true } }, async (request, reply) => {
      const { oid } = request.params as { oid: string };
      const c = personGuard(request.headers.authorization, oid, reply);
      if (!c) return reply;
      const elements = [
        ...(c.email ? [{ stateFacts: ['Identifiable'], id: 1, type: 'EML', vrfStu: 'VERIFIED', value: c.email }] : []),
        ...(c.mobile
          ? [{ stateFacts: ['Identifiable'], id: 2, type: 'MBT', vrfStu: 'VERIFIED', value: c.mobile }]
          : []),
      ];
      return { stateFacts: ['hasSize'], size: elements.length, elements };
    });

    // The children: only with the kid_* scopes the person consented to; their documents
    // (birth certificate, полис) with ?embed=(elements.documents), as ЕСИА embeds them.
    app.get('/rs/prns/:oid/kids', { schema: { hide: true } }, async (request, reply) => {
      const { oid } = request.params as { oid: string };
      if (control.faults.has('kids-down'))
        return reply.status(503).send({ code: 'service_unavailable', message: 'Сервис временно недоступен' });
      const c = personGuard(request.headers.authorization, oid, reply);
      if (!c) return reply;
      const scopes = String(
        jwtPayload(/^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '')?.scope ?? '',
      ).split(' ');
      if (!scopes.includes('kid_fullname'))
        return reply.status(403).send({ code: 'forbidden', message: 'Нет разрешения на доступ к сведениям о детях' });
      const embed = String((request.query as { embed?: unknown }).embed ?? '').includes('documents');
      const today = todayOf(now());
      const elements = c.kids.map((k) => {
        const documents = [
          ...(k.birthCert && scopes.includes('kid_birth_cert_doc')
            ? [{ type: 'RF_BRTH_CERT', vrfStu: 'VERIFIED', ...k.birthCert }]
            : []),
          ...(k.policy && scopes.includes('kid_medical_doc')
            ? [{ type: 'MDCL_PLCY', vrfStu: 'VERIFIED', number: k.policy }]
            : []),
        ];
        return {
          id: k.id,
          firstName: k.firstName,
          lastName: k.lastName,
          ...(k.middleName ? { middleName: k.middleName } : {}),
          birthDate: esiaDate(k.birthDate(today)),
          gender: k.gender,
          ...(k.snils && scopes.includes('kid_snils') ? { snils: k.snils } : {}),
          ...(embed ? { documents: { stateFacts: ['hasSize'], size: documents.length, elements: documents } } : {}),
        };
      });
      return { stateFacts: ['hasSize'], size: elements.length, elements };
    });

    // ---------- faults: JSON for tests, a page for people ----------

    app.get('/faults', { schema: { hide: true } }, async (request, reply) => {
      if ((request.headers.accept ?? '').includes('application/json'))
        return { active: [...control.faults], available: STANDIN_FAULTS };
      return reply
        .type('text/html; charset=utf-8')
        .send(faultsPage({ action: `${opts.basePath}/faults`, all: STANDIN_FAULTS, active: control.faults }));
    });

    app.post('/faults', { schema: { hide: true } }, async (request, reply) => {
      const b = (request.body ?? {}) as { fault?: unknown; faults?: unknown };
      const given = b.faults ?? b.fault ?? [];
      const list = (Array.isArray(given) ? given : [given]).filter(
        (f): f is StandinFault => typeof f === 'string' && FAULT_IDS.has(f),
      );
      control.faults = new Set(list);
      if (request.headers['content-type']?.startsWith('application/json')) return { active: [...control.faults] };
      return reply.redirect(`${opts.basePath}/faults`, 303);
    });
  };

  return { plugin, control };
}

/** The stand-in on a server of its own (tests): listen on a port, point ESIA_BASE_URL at it. */
export async function buildStandinServer(
  opts: Omit<StandinOptions, 'basePath'>,
): Promise<{ app: FastifyInstance; control: StandinControl }> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const { plugin, control } = esiaStandin({ ...opts, basePath: '' });
  await app.register(plugin);
  return { app, control };
}
