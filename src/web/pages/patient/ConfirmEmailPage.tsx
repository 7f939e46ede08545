// The link from the confirmation letter: confirms the address on load, then on to the
// personal data form.
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api.js';
import { useSession } from '../../session.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Loading } from '../../ui/Loading.js';
import { Page } from '../../ui/Page.js';
import { homeFor, loginPath } from './auth.js';
import { asApiError } from './useApiData.js';

export function ConfirmEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    // A token works once: never send it twice (React's development mode runs effects twice).
    if (started.current) return;
    started.current = true;
    void (async () => {
      try {
        await api.post('/api/auth/confirm-email', { token });
        const acc = await refresh();
        void navigate(acc ? homeFor(acc) : loginPath('/profile'), { replace: true });
      } catch (e) {
        setError(asApiError(e).message);
      }
    })();
  }, [token, refresh, navigate]);

  if (error) {
    return (
      <Page title="Не удалось подтвердить адрес">
        <ErrorSummary message={error} />
        <p>
          <Link to="/signup">Зарегистрироваться снова</Link>, чтобы получить новое письмо, или{' '}
          <Link to="/login">войти</Link>, если адрес уже подтверждён.
        </p>
      </Page>
    );
  }
  return (
    <Page title="Подтверждение адреса электронной почты">
      <Loading text="Подтверждаем адрес…" />
    </Page>
  );
}
