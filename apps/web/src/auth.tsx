import type { MeDto } from '@huuco/domain';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { onSessionChange, refreshSession } from './api';
import { queryClient } from './app/query';

interface Auth {
  user: MeDto | null;
  ready: boolean;
}

const AuthContext = createContext<Auth>({ user: null, ready: false });

/** Restores the session from the stored refresh token, then follows logins and logouts. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [auth, setAuth] = useState<Auth>({ user: null, ready: false });
  useEffect(() => {
    const stop = onSessionChange((session) => {
      // What one user read is not shown to the next one on this device.
      if (!session) queryClient.clear();
      setAuth({ user: session?.user ?? null, ready: true });
    });
    void refreshSession().then((session) => setAuth({ user: session?.user ?? null, ready: true }));
    return stop;
  }, []);
  return <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  return useContext(AuthContext);
}
