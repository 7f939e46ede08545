// Loading data for a page: loading and error states, reload, and a signed-out session
// sends the person to the login page (coming back here afterwards).
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { api, ApiError } from '../../api.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Loading } from '../../ui/Loading.js';
import { loginPath } from './auth.js';

export function asApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError(0, 'INTERNAL', 'Что-то пошло не так. Попробуйте ещё раз немного позже.');
}

/** Returns a handler that redirects to the login page on NOT_AUTHENTICATED (and says whether it did). */
export function useLoginRedirect(): (e: unknown) => boolean {
  const navigate = useNavigate();
  const location = useLocation();
  return useCallback(
    (e: unknown) => {
      if (e instanceof ApiError && e.code === 'NOT_AUTHENTICATED') {
        void navigate(loginPath(location.pathname + location.search), { replace: true });
        return true;
      }
      return false;
    },
    [navigate, location.pathname, location.search],
  );
}

export interface ApiData<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload(): Promise<void>;
}

/** GETs `url` (nothing when null) and keeps the latest answer. */
export function useApiData<T>(url: string | null): ApiData<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(url !== null);
  const redirect = useLoginRedirect();
  const seq = useRef(0);
  const load = useCallback(async () => {
    if (url === null) return;
    const mine = ++seq.current;
    setLoading(true);
    try {
      const d = await api.get<T>(url);
      if (mine !== seq.current) return;
      setData(d);
      setError(null);
    } catch (e) {
      if (mine !== seq.current) return;
      if (redirect(e)) return;
      setError(asApiError(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [url, redirect]);
  useEffect(() => {
    void load();
  }, [load]);
  return { data, error, loading, reload: load };
}

/** Renders the loading line or the error summary while there is no data yet. */
export function LoadState({ state }: { state: { loading: boolean; error: ApiError | null } }) {
  if (state.error) return <ErrorSummary message={state.error.message} />;
  if (state.loading) return <Loading />;
  return null;
}
