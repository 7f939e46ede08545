// The ЕСИА protocol as a relying party speaks it: the authorization request (v2/ac), the
// token request (v3/te) with the echoed state checked, and the person's data (/rs/prns).
// Every failure becomes an AppError with an ESIA_* code; nothing here logs personal data.
import { randomUUID } from 'node:crypto';
import type { EsiaConfig } from '../../../config.js';
import { AppError, type ErrorCode } from '../../../errors.js';
import {
  authorizationSignedString,
  ESIA_SCOPE,
  esiaTimestamp,
  jwtPayload,
  readEsiaContacts,
  readEsiaPerson,
  subjectOf,
  tokenClaimsValid,
  tokenSignedString,
  type EsiaContacts,
  type EsiaPerson,
} from './esia.rules.js';
import { SignerError, type EsiaSigner, type Signature } from './esia.signer.js';
import { readEsiaKids, type EsiaKid } from './family.rules.js';

type FetchFn = typeof fetch;

export interface EsiaTokens {
  accessToken: string;
  oid: string;
}

export interface EsiaClient {
  /** The URL of ЕСИА's consent page for this state. */
  authorizationUrl(state: string, now: Date): Promise<string>;
  /** Exchanges the one-time code for the access token and its subject. */
  exchangeCode(code: string, now: Date): Promise<EsiaTokens>;
  person(tokens: EsiaTokens): Promise<EsiaPerson>;
  /** The verified e-mail and mobile; empty when ЕСИА does not answer (they are optional). */
  contacts(tokens: EsiaTokens): Promise<EsiaContacts>;
  /** The person's children with their documents; throws AppError(ESIA_*) when ЕСИА does not answer. */
  kids(tokens: EsiaTokens): Promise<EsiaKid[]>;
}

async function signed(signer: EsiaSigner, text: string): Promise<Signature> {
  try {
    return await signer.sign(text);
  } catch (err) {
    if (err instanceof SignerError) throw new AppError(err.timeout ? 'ESIA_TIMEOUT' : 'ESIA_UNAVAILABLE');
    throw err;
  }
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

export function createEsiaClient(config: EsiaConfig, signer: EsiaSigner, fetchFn: FetchFn = fetch): EsiaClient {
  async function call(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetchFn(url, { ...init, signal: AbortSignal.timeout(config.timeoutMs) });
    } catch (err) {
      throw new AppError(isTimeout(err) ? 'ESIA_TIMEOUT' : 'ESIA_PROVIDER_ERROR');
    }
  }
  async function json(res: Response, failure: ErrorCode): Promise<unknown> {
    try {
      return await res.json();
    } catch (err) {
      throw new AppError(isTimeout(err) ? 'ESIA_TIMEOUT' : failure);
    }
  }

  return {
    async authorizationUrl(state, now) {
      const timestamp = esiaTimestamp(now);
      const p = { clientId: config.clientId, scope: ESIA_SCOPE, timestamp, state, redirectUri: config.redirectUri };
      const { signature, certificateHash } = await signed(signer, authorizationSignedString(p));
      const q = new URLSearchParams({
        client_id: p.clientId,
        client_secret: signature,
        scope: p.scope,
        timestamp,
        state,
        redirect_uri: p.redirectUri,
        response_type: 'code',
        access_type: 'online',
        client_certificate_hash: certificateHash,
      });
      return `${config.baseUrl}/aas/oauth2/v2/ac?${q.toString()}`;
    },

    async exchangeCode(code, now) {
      // A fresh state for the token request; ЕСИА echoes it back and it must match.
      const state = randomUUID();
      const timestamp = esiaTimestamp(now);
      const p = {
        clientId: config.clientId,
        scope: ESIA_SCOPE,
        timestamp,
        state,
        redirectUri: config.redirectUri,
        code,
      };
      const { signature, certificateHash } = await signed(signer, tokenSignedString(p));
      const form = new URLSearchParams({
        client_id: p.clientId,
        code,
        grant_type: 'authorization_code',
        client_secret: signature,
        state,
        redirect_uri: p.redirectUri,
        scope: p.scope,
        timestamp,
        token_type: 'Bearer',
        client_certificate_hash: certificateHash,
      });
      const res = await call(`${config.apiBaseUrl}/aas/oauth2/v3/te`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      });
      if (res.status >= 500) throw new AppError('ESIA_PROVIDER_ERROR');
      const body = await json(res, 'ESIA_PROVIDER_ERROR');
      const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
      if (!res.ok) throw new AppError(b.error === 'invalid_grant' ? 'ESIA_CODE_REJECTED' : 'ESIA_REFUSED');
      if (b.state !== state) throw new AppError('ESIA_STATE_MISMATCH');
      const accessToken = b.access_token;
      if (typeof accessToken !== 'string' || accessToken.length > 16_384) throw new AppError('ESIA_PROVIDER_ERROR');
      let valid: boolean;
      try {
        valid = await signer.verifyToken(accessToken);
      } catch (err) {
        if (err instanceof SignerError) throw new AppError(err.timeout ? 'ESIA_TIMEOUT' : 'ESIA_UNAVAILABLE');
        throw err;
      }
      const payload = jwtPayload(accessToken);
      if (!valid || !payload || !tokenClaimsValid(payload, config.clientId, now))
        throw new AppError('ESIA_TOKEN_INVALID');
      const oid = subjectOf(payload);
      if (!oid) throw new AppError('ESIA_NO_SUBJECT');
      return { accessToken, oid };
    },

    async person(tokens) {
      const res = await call(`${config.apiBaseUrl}/rs/prns/${encodeURIComponent(tokens.oid)}`, {
        headers: { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json' },
      });
      if (!res.ok) throw new AppError('ESIA_PROVIDER_ERROR');
      const person = readEsiaPerson(await json(res, 'ESIA_PROVIDER_ERROR'));
      if (!person) throw new AppError('ESIA_PROFILE_INCOMPLETE');
      return person;
    },

    async kids(tokens) {
      const res = await call(
        `${config.apiBaseUrl}/rs/prns/${encodeURIComponent(tokens.oid)}/kids?embed=(elements.documents)`,
        { headers: { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json' } },
      );
      if (!res.ok) throw new AppError('ESIA_PROVIDER_ERROR');
      return readEsiaKids(await json(res, 'ESIA_PROVIDER_ERROR'));
    },

    async contacts(tokens) {
      try {
        const res = await fetchFn(
          `${config.apiBaseUrl}/rs/prns/${encodeURIComponent(tokens.oid)}/ctts?embed=(elements)`,
          {
            headers: { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json' },
            signal: AbortSignal.timeout(config.timeoutMs),
          },
        );
        if (!res.ok) return { email: null, phone: null };
        return readEsiaContacts(await res.json());
      } catch {
        return { email: null, phone: null };
      }
    },
  };
}
