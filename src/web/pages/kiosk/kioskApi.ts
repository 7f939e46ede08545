// The kiosk's HTTP client: the device cookie goes by itself (HttpOnly); the patient token is
// held by the page in memory and passed to each call that needs it, in a header — never in
// a URL. Errors are ApiError like everywhere in the web app.
import { KIOSK_PATIENT_HEADER, type ErrorBody } from '../../../shared/api/index.js';
import { ApiError } from '../../api.js';

function csrfFromCookie(): string | null {
  const m = document.cookie.match(/(?:^|;\s*)priyom_csrf=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : null;
}

async function csrfToken(): Promise<string> {
  const fromCookie = csrfFromCookie();
  if (fromCookie) return fromCookie;
  const res = await fetch('/api/session', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  return ((await res.json()) as { csrfToken: string }).csrfToken;
}

const FAILED = 'Что-то пошло не так. Попробуйте ещё раз или обратитесь в регистратуру.';

async function call<T>(method: 'GET' | 'POST', url: string, patientToken: string | null, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (patientToken) headers[KIOSK_PATIENT_HEADER] = patientToken;
  if (method === 'POST') {
    headers['content-type'] = 'application/json';
    headers['x-csrf-token'] = await csrfToken();
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Нет связи с порталом. Попробуйте ещё раз или обратитесь в регистратуру.');
  }
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const e = (data ?? {}) as Partial<ErrorBody>;
    throw new ApiError(res.status, e.code ?? 'INTERNAL', e.message ?? FAILED, e.fields ?? {}, e.details ?? {});
  }
  return data as T;
}

export const kioskApi = {
  get: <T>(url: string, patientToken: string | null = null) => call<T>('GET', url, patientToken),
  post: <T>(url: string, body: unknown, patientToken: string | null = null) => call<T>('POST', url, patientToken, body),
};
