import type { MeDto } from '@huuco/domain';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { onSessionChange, refreshSession, rememberedUser } from './api';
import { queryClient } from './app/query';
import { snapshots } from './field/outbox';

interface Auth {
  user: MeDto | null;
  ready: boolean;
  /**
   * Opened with no signal: the user is the one whose session this device keeps, working from
   * what was saved; the session is renewed when the network returns.
   */
  offline: boolean;
}

const AuthContext = createContext<Auth>({ user: null, ready: false, offline: false });

/** Restores the session from the stored refresh token, then follows logins and logouts. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [auth, setAuth] = useState<Auth>({ user: null, ready: false, offline: false });
  const offline = useRef(false);
  useEffect(() => {
    const settle = (next: Auth) => {
      offline.current = next.offline;
      setAuth(next);
    };
    let retry: ReturnType<typeof setTimeout> | undefined;
    const restore = (): Promise<void> =>
      refreshSession().then(
        (session) => settle({ user: session?.user ?? null, ready: true, offline: false }),
        () => {
          settle({ user: rememberedUser(), ready: true, offline: true });
          // The browser may say the network is back before it carries anything: ask again.
          if (navigator.onLine) retry = setTimeout(() => void restore(), 3_000);
        },
      );
    const stop = onSessionChange((session) => {
      // What one user read is not shown to the next one on this device.
      if (!session) {
        queryClient.clear();
        void snapshots.clear();
      }
      settle({ user: session?.user ?? null, ready: true, offline: false });
    });
    void restore();
    const online = () => {
      if (offline.current) void restore();
    };
    window.addEventListener('online', online);
    return () => {
      stop();
      clearTimeout(retry);
      window.removeEventListener('online', online);
    };
  }, []);
  return <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  return useContext(AuthContext);
}
