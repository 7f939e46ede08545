// Pure rules of the ЕСИА sign-in: the protocol's timestamp and signed strings, reading
// ЕСИА's person data, and which account a sign-in lands on. No I/O, no clock: callers
// pass `now`.
import { hasForbiddenCharacters } from '../../../../shared/text.js';
import { isValidSnils } from '../../../../shared/validation.js';
import type { PersonIdentity } from '../../../../shared/person.js';

/**
 * The scope asked for: an adult's own data, and the children's (name, birth date, sex,
 * СНИЛС, birth certificate and полис ОМС) so that they join the card file.
 */
export const ESIA_SCOPE =
  'openid fullname birthdate gender snils id_doc email mobile ' +
  'kid_fullname kid_birthdate kid_gender kid_snils kid_birth_cert_doc kid_medical_doc';

/** How long a started sign-in (the `state`) may wait for the answer. */
export const REQUEST_LIFETIME_MS = 10 * 60_000;
/** How long a first sign-in may take to complete the registration (enter the полис). */
export const REGISTRATION_LIFETIME_MS = 30 * 60_000;

const pad = (n: number) => String(n).padStart(2, '0');

/** ЕСИА's timestamp: `yyyy.MM.dd HH:mm:ss Z`, in UTC (`2026.11.25 12:00:00 +0000`). */
export function esiaTimestamp(now: Date): string {
  return (
    `${now.getUTCFullYear()}.${pad(now.getUTCMonth() + 1)}.${pad(now.getUTCDate())} ` +
    `${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${pad(now.getUTCSeconds())} +0000`
  );
}

/** Parses an ЕСИА timestamp (any offset); null when it is not one. */
export function parseEsiaTimestamp(value: string): Date | null {
  const m = /^(\d{4})\.(\d{2})\.(\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, sign, oh, om] = m;
  const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  const check = new Date(utc);
  if (check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d || +h > 23 || +mi > 59 || +s > 59) return null;
  const offset = (sign === '+' ? 1 : -1) * (+oh * 60 + +om) * 60_000;
  return new Date(utc - offset);
}

export interface AuthorizationParams {
  clientId: string;
  scope: string;
  timestamp: string;
  state: string;
  redirectUri: string;
}

/** The string signed for the authorization request (v2/ac): client_id + scope + timestamp + state + redirect_uri. */
export function authorizationSignedString(p: AuthorizationParams): string {
  return p.clientId + p.scope + p.timestamp + p.state + p.redirectUri;
}

/** The string signed for the token request (v3/te): the same, then the code. */
export function tokenSignedString(p: AuthorizationParams & { code: string }): string {
  return authorizationSignedString(p) + p.code;
}

/** СНИЛС as ЕСИА sends it ("112-345-007 96" or digits) -> 11 digits; null when absent or invalid. */
export function normaliseEsiaSnils(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const digits = raw.replace(/[\s\-–]/g, '');
  return /^\d{11}$/.test(digits) && isValidSnils(digits) ? digits : null;
}

/** Birth date as ЕСИА sends it (DD.MM.YYYY) -> YYYY-MM-DD; null when it is not a real date. */
export function normaliseEsiaBirthDate(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(raw.trim());
  if (!m) return null;
  const iso = `${m[3]}-${m[2]}-${m[1]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso && iso >= '1900-01-01' ? iso : null;
}

/** A name part: trimmed, inner spaces collapsed; null when empty, not Russian letters (the portal's rule) or holding control or invisible characters. */
export function namePart(raw: unknown): string | null {
  if (typeof raw !== 'string' || hasForbiddenCharacters(raw)) return null;
  const v = raw.trim().replace(/\s+/g, ' ');
  return v && /^[А-Яа-яЁё][А-Яа-яЁё\s'-]*$/u.test(v) && v.length <= 100 ? v : null;
}

/** A mobile number as ЕСИА shows it ("+7(912)0000101") -> "+79120000101"; null otherwise. */
export function normaliseEsiaPhone(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const v = raw.replace(/[\s()-]/g, '');
  return /^\+7\d{10}$/.test(v) ? v : null;
}

/** The person as the portal keeps it, read from `/rs/prns/{oid}`. */
export interface EsiaPerson extends Omit<PersonIdentity, 'snils' | 'policy'> {
  status: 'Registered' | 'Deleted';
  trusted: boolean;
  /** 11 digits; null when ЕСИА has no СНИЛС for the person. ЕСИА gives no полис. */
  snils: string | null;
}

/** Reads ЕСИА's person document; null when the data is unusable (no name, birth date or sex). */
export function readEsiaPerson(raw: unknown): EsiaPerson | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const lastName = namePart(r.lastName);
  const firstName = namePart(r.firstName);
  const middleName =
    r.middleName === undefined || r.middleName === null || r.middleName === '' ? null : namePart(r.middleName);
  const birthDate = normaliseEsiaBirthDate(r.birthDate);
  const sex = r.gender === 'M' || r.gender === 'F' ? r.gender : null;
  const status = r.status === 'Deleted' ? 'Deleted' : r.status === 'Registered' ? 'Registered' : null;
  if (!lastName || !firstName || !birthDate || !sex || !status) return null;
  if (r.middleName && !middleName) return null;
  return {
    status,
    trusted: r.trusted === true,
    lastName,
    firstName,
    middleName,
    birthDate,
    sex,
    snils: normaliseEsiaSnils(r.snils),
  };
}

export interface EsiaContacts {
  /** A verified e-mail address, lower-cased. */
  email: string | null;
  phone: string | null;
}

/** Reads `/rs/prns/{oid}/ctts?embed=(elements)`: the verified e-mail (EML) and mobile (MBT). */
export function readEsiaContacts(raw: unknown): EsiaContacts {
  const elements = typeof raw === 'object' && raw !== null ? (raw as { elements?: unknown }).elements : undefined;
  const out: EsiaContacts = { email: null, phone: null };
  if (!Array.isArray(elements)) return out;
  for (const el of elements as Array<Record<string, unknown>>) {
    if (typeof el !== 'object' || el === null || el.vrfStu !== 'VERIFIED' || typeof el.value !== 'string') continue;
    if (
      el.type === 'EML' &&
      !out.email &&
      /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(el.value) &&
      el.value.length <= 254 &&
      !hasForbiddenCharacters(el.value)
    ) {
      out.email = el.value.toLowerCase();
    }
    if (el.type === 'MBT' && !out.phone) out.phone = normaliseEsiaPhone(el.value);
  }
  return out;
}

/** Decodes a JWT's payload without checking it (the signature is checked separately). */
export function jwtPayload(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The ЕСИА subject (oid) of an access token; null when the claim is missing or malformed. */
export function subjectOf(payload: Record<string, unknown>): string | null {
  const sbj = payload['urn:esia:sbj_id'];
  const oid = typeof sbj === 'number' ? String(sbj) : sbj;
  return typeof oid === 'string' && /^\d{1,20}$/.test(oid) ? oid : null;
}

/** An access token is for this client and not expired (`exp` in seconds). */
export function tokenClaimsValid(payload: Record<string, unknown>, clientId: string, now: Date): boolean {
  const exp = payload.exp;
  if (typeof exp !== 'number' || exp * 1000 <= now.getTime()) return false;
  const cid = payload.client_id;
  return cid === undefined || cid === clientId;
}

// ---------- which account a sign-in lands on ----------

export interface MainPersonFacts {
  snils: string;
  birthDate: string;
  status: 'pending' | 'confirmed' | 'rejected';
}

export interface AccountFacts {
  id: string;
  esiaOid: string | null;
  /** Null before the account holder entered personal data. */
  main: MainPersonFacts | null;
}

export type DecisionInput =
  | {
      purpose: 'login';
      person: EsiaPerson;
      /** The account already linked to this oid. */
      linked: AccountFacts | null;
      /**
       * Accounts without an ЕСИА link whose main person is confirmed with the same СНИЛС and
       * birth date as ЕСИА's (only looked up for a trusted person with a СНИЛС).
       */
      candidates: AccountFacts[];
    }
  | {
      purpose: 'link';
      person: EsiaPerson;
      linked: AccountFacts | null;
      /** The signed-in account that asked to link (after re-entering its password). */
      account: AccountFacts;
    };

export type AccountDecision =
  | {
      kind: 'refuse';
      code:
        | 'ESIA_ACCOUNT_DELETED'
        | 'ESIA_UNTRUSTED'
        | 'ESIA_ALREADY_LINKED'
        | 'ESIA_OTHER_LINKED'
        | 'ESIA_PERSON_MISMATCH';
    }
  /** Sign in to the account already linked to this oid. */
  | { kind: 'sign-in'; accountId: string }
  /**
   * Link the oid to the account (a found e-mail account on login, or the asking account),
   * then sign in (login) or go back to the settings (link). `confirmMain`: the main person
   * waited for the moderator and ЕСИА (trusted) confirms the same СНИЛС and birth date.
   * `complete`: the account has no main person yet: registration asks for the полис.
   */
  | { kind: 'link'; accountId: string; notify: boolean; confirmMain: boolean; complete: boolean }
  /**
   * A new account. The main person is confirmed when ЕСИА is trusted and has the СНИЛС;
   * otherwise (untrusted, or the СНИЛС is typed in by the person) it waits for the moderator.
   */
  | { kind: 'register'; mainStatus: 'confirmed' | 'pending'; askSnils: boolean };

function sameRealPerson(main: MainPersonFacts, person: EsiaPerson): boolean {
  return person.snils !== null && main.snils === person.snils && main.birthDate === person.birthDate;
}

/**
 * The account rule. Accounts are keyed on the oid; a deleted ЕСИА account never signs
 * in. On login an oid already linked signs in to its account; otherwise a trusted person
 * with a СНИЛС is linked to the one e-mail account whose confirmed main person has the
 * same СНИЛС and birth date (none or several: a new account — several card files may
 * hold the same person, and guessing among them would be wrong). Linking from settings
 * needs a trusted ЕСИА account of the same real person as the account's main person,
 * because an ЕСИА session sees the main person's visits from every channel.
 */
export function decideAccount(input: DecisionInput): AccountDecision {
  const { person, linked } = input;
  if (person.status === 'Deleted') return { kind: 'refuse', code: 'ESIA_ACCOUNT_DELETED' };
  if (input.purpose === 'login') {
    if (linked) return { kind: 'sign-in', accountId: linked.id };
    const candidates = input.candidates.filter(
      (a) => a.esiaOid === null && a.main !== null && a.main.status === 'confirmed' && sameRealPerson(a.main, person),
    );
    if (person.trusted && candidates.length === 1) {
      return { kind: 'link', accountId: candidates[0].id, notify: true, confirmMain: false, complete: false };
    }
    const snilsConfirmed = person.trusted && person.snils !== null;
    return { kind: 'register', mainStatus: snilsConfirmed ? 'confirmed' : 'pending', askSnils: person.snils === null };
  }
  const { account } = input;
  if (linked && linked.id !== account.id) return { kind: 'refuse', code: 'ESIA_ALREADY_LINKED' };
  if (account.esiaOid !== null && linked?.id !== account.id) return { kind: 'refuse', code: 'ESIA_OTHER_LINKED' };
  if (!person.trusted) return { kind: 'refuse', code: 'ESIA_UNTRUSTED' };
  // Linked already (a second attempt): nothing new to announce.
  const again = linked?.id === account.id;
  if (account.main === null)
    return { kind: 'link', accountId: account.id, notify: !again, confirmMain: false, complete: true };
  if (!sameRealPerson(account.main, person)) return { kind: 'refuse', code: 'ESIA_PERSON_MISMATCH' };
  return {
    kind: 'link',
    accountId: account.id,
    notify: !again,
    confirmMain: account.main.status === 'pending',
    complete: false,
  };
}

/** Only local paths are kept as where to go after signing in. */
export function safeReturnTo(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 500) return null;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return null;
  // Browsers drop tabs and newlines while parsing a URL: "/\t/evil.example" would become "//evil.example".
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is what this check is for
  if (/[\u0000-\u001f\u007f\s\\]/u.test(value)) return null;
  if (/^\/(login|signup|esia|api)(\/|\?|$)/.test(value)) return null;
  return value;
}
