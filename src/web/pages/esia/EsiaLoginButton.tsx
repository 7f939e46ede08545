// «Войти через Госуслуги» on the login page: a plain link to the server, which sends the
// browser on to ЕСИА (the whole sign-in is redirects). Hidden when ЕСИА is switched off.
import type { EsiaConfigResponse } from '../../../shared/api/esia.js';
import { useApiData } from '../patient/useApiData.js';

export function esiaStartUrl(next: string | null): string {
  return `/api/esia/start${next ? `?returnTo=${encodeURIComponent(next)}` : ''}`;
}

export function EsiaLoginButton({ next }: { next: string | null }) {
  const config = useApiData<EsiaConfigResponse>('/api/esia/config');
  if (!config.data?.enabled) return null;
  return (
    <section aria-labelledby="esia-login-title" className="esia-login">
      <h2 id="esia-login-title">Через Госуслуги</h2>
      <p>
        <a className="button button-secondary" href={esiaStartUrl(next)}>
          Войти через Госуслуги
        </a>
      </p>
      <p className="hint">
        Учётная запись Госуслуг (ЕСИА). При входе через Госуслуги в картотеке видны ваши записи к врачу из всех
        источников: через портал, регистратуру, инфомат, электронную очередь и от врача.
      </p>
    </section>
  );
}
