// What every kiosk screen shares: this device, the identified patient (token and greeting,
// in memory only) and how to handle an error that ends the patient's turn.
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { KioskHome } from '../../../shared/api/index.js';
import { ApiError } from '../../api.js';
import { kioskApi } from './kioskApi.js';

export interface KioskPatient {
  token: string;
  greeting: string;
}

export interface KioskContextValue {
  home: KioskHome;
  patient: KioskPatient | null;
  /**
   * Turns an error into the Russian message a screen shows. An expired identification or a
   * switched-off device ends the patient's turn instead (and returns null).
   */
  problem(err: unknown): string | null;
}

export const KioskContext = createContext<KioskContextValue | null>(null);

export function useKiosk(): KioskContextValue {
  const value = useContext(KioskContext);
  if (!value) throw new Error('useKiosk outside the kiosk page');
  return value;
}

export function asApiError(err: unknown): ApiError {
  return err instanceof ApiError
    ? err
    : new ApiError(0, 'INTERNAL', 'Что-то пошло не так. Попробуйте ещё раз или обратитесь в регистратуру.');
}

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  reload(): void;
}

/** Loads a kiosk GET endpoint for the identified patient (the token goes in the header). */
export function useKioskData<T>(url: string): Loaded<T> {
  const { patient, problem } = useKiosk();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const problemRef = useRef(problem);
  problemRef.current = problem;
  const token = patient?.token ?? null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` is the reload trigger (reload() bumps it)
  useEffect(() => {
    let live = true;
    setError(null);
    kioskApi
      .get<T>(url, token)
      .then((d) => {
        if (live) setData(d);
      })
      .catch((err: unknown) => {
        if (!live) return;
        setError(problemRef.current(err));
      });
    return () => {
      live = false;
    };
  }, [url, token, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, reload };
}
