// «Войти через Госуслуги»: a plain link to the server, which sends the browser on to ЕСИА (the
// whole sign-in is redirects). Hidden when ЕСИА is switched off. On the login and sign-up
// pages a section of its own; inside a notice (the card file of an e-mail session) the link
// with the sentence that leads to it.
import type { EsiaConfigResponse } from '../../../shared/api/esia.js';
import { useApiData } from '../patient/useApiData.js';

export function esiaStartUrl(next: string | null): string {
  return `/api/esia/start${next ? `?returnTo=${encodeURIComponent(next)}` : ''}`;
}

export function EsiaLoginButton({
  next,
  inline = false,
  lead,
}: {
  next: string | null;
  /** Only the paragraph with the link, for a notice that says why. */
  inline?: boolean;
  /** The sentence before the link when inline. */
  lead?: string;
}) {
  const config = useApiData<EsiaConfigResponse>('/api/esia/config');
  if (!config.data?.enabled) return null;
  const link = (
    <a className="button button-secondary" href={esiaStartUrl(next)}>
      Войти через Госуслуги
    </a>
  );
  if (inline)
    return (
      <>
        {lead && <p>{lead}</p>}
        <p>{link}</p>
      </>
    );
  return (
    <section aria-labelledby="esia-login-title" className="esia-login">
      <h2 id="esia-login-title">Через Госуслуги</h2>
      <p>{link}</p>
      <p className="hint">
        Учётная запись Госуслуг (ЕСИА). При входе через Госуслуги в картотеке видны ваши записи к врачу из всех
        источников: через портал, регистратуру, инфомат, электронную очередь и от врача.
      </p>
    </section>
  );
}
