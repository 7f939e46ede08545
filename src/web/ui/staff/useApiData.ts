// Loads a GET endpoint for a page and keeps the result, the error and a reload function.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../../api.js';

export interface ApiData<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  /** Loads again; resolves when the new data (or error) is in place. */
  reload(): Promise<void>;
}

function asApiError(err: unknown): ApiError {
  return err instanceof ApiError
    ? err
    : new ApiError(0, 'INTERNAL', 'Что-то пошло не так. Попробуйте ещё раз немного позже.');
}

export function useApiData<T>(url: string): ApiData<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  // Only the newest request may set state: an older, slower answer is dropped.
  const latest = useRef(0);

  const load = useCallback(async () => {
    const n = ++latest.current;
    setLoading(true);
    try {
      const result = await api.get<T>(url);
      if (n !== latest.current) return;
      setData(result);
      setError(null);
    } catch (err) {
      if (n !== latest.current) return;
      setError(asApiError(err));
    } finally {
      if (n === latest.current) setLoading(false);
    }
  }, [url]);

  useEffect(() => {
    void load();
    return () => {
      latest.current++;
    };
  }, [load]);

  return { data, error, loading, reload: load };
}
