// «Вход через Госуслуги не выполнен»: where every failed ЕСИА sign-in ends. The URL carries
// only the error code; the text comes from the server's catalogue.
import { Link, useSearchParams } from 'react-router';
import type { EsiaErrorResponse } from '../../../shared/api/esia.js';
import { Page } from '../../ui/Page.js';
import { useApiData } from '../patient/useApiData.js';

const FALLBACK = 'Что-то пошло не так. Попробуйте ещё раз немного позже.';
/** Codes after which starting again right away makes sense. */
const RETRY = new Set([
  'ESIA_DENIED',
  'ESIA_STATE_INVALID',
  'ESIA_STATE_USED',
  'ESIA_REQUEST_EXPIRED',
  'ESIA_BROWSER_MISMATCH',
  'ESIA_CODE_REJECTED',
  'ESIA_STATE_MISMATCH',
  'ESIA_REGISTRATION_EXPIRED',
]);

export function EsiaErrorPage() {
  const [params] = useSearchParams();
  const raw = params.get('code') ?? '';
  const code = /^[A-Z_]{2,40}$/.test(raw) ? raw : 'INTERNAL';
  const text = useApiData<EsiaErrorResponse>(`/api/esia/errors/${code}`);
  const linking =
    code === 'ESIA_UNTRUSTED' ||
    code === 'ESIA_PERSON_MISMATCH' ||
    code === 'ESIA_ALREADY_LINKED' ||
    code === 'ESIA_OTHER_LINKED';
  return (
    <Page title={linking ? 'Госуслуги не привязаны' : 'Вход через Госуслуги не выполнен'}>
      <div className="error-summary" role="alert" aria-live="polite">
        <p>{text.data?.message ?? (text.error ? FALLBACK : 'Загружаем описание ошибки…')}</p>
      </div>
      <p className="hint">Код ошибки для службы поддержки: {code}</p>
      <ul className="esia-next">
        {RETRY.has(code) && (
          <li>
            <a href="/api/esia/start">Войти через Госуслуги ещё раз</a>
          </li>
        )}
        {linking ? (
          <li>
            <Link to="/settings">Вернуться в настройки</Link>
          </li>
        ) : (
          <li>
            <Link to="/login">Войти по адресу электронной почты</Link>
          </li>
        )}
        <li>
          <Link to="/">На главную</Link>
        </li>
      </ul>
    </Page>
  );
}
