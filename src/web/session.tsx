// The signed-in account, loaded once and refreshed after login/logout.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { SessionAccount, SessionResponse } from '../shared/api/index.js';
import { api } from './api.js';

interface SessionState {
  account: SessionAccount | null;
  loading: boolean;
  refresh(): Promise<SessionAccount | null>;
}

const SessionContext = createContext<SessionState>({
  account: null,
  loading: true,
  refresh: async () => null,
});

export function SessionProvider({ children }: { children: ReactNode }) {
  const [account, setAccount] = useState<SessionAccount | null>(null);
  const [loading, setLoading] = useState(true);
  const refresh = useCallback(async () => {
    const s = await api.get<SessionResponse>('/api/session');
    setAccount(s.account);
    setLoading(false);
    return s.account;
  }, []);
  useEffect(() => {
    refresh().catch(() => setLoading(false));
  }, [refresh]);
  return <SessionContext.Provider value={{ account, loading, refresh }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  return useContext(SessionContext);
}
