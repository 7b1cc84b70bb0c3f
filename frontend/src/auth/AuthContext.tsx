/** The signed-in session: loaded at start, ended by sign-out or by any API call answering 401. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, onUnauthorized, setCsrfToken } from "../api/client";
import type { SessionInfo } from "../api/types";
import type { MessageKey } from "../i18n/en";
import { useT } from "../i18n";
import { can, REASONS, type Action } from "./permissions";

export type AuthStatus = "loading" | "signedIn" | "signedOut";

interface AuthValue {
  status: AuthStatus;
  session: SessionInfo | null;
  /** Why the user was signed out ("expired", "revoked"), to say so on the sign-in page. */
  endedReason: string | null;
  /** Moves on every workspace switch (the app remounts its pages on it); not when the session first loads. */
  workspaceGeneration: number;
  signIn: (email: string, password: string, code?: string) => Promise<void>;
  signOut: () => Promise<void>;
  switchWorkspace: (workspaceId: number) => Promise<void>;
  /** Take a session another call answered (accepting an invitation signs the new member in). */
  adopt: (info: SessionInfo) => void;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>("loading");
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [endedReason, setEndedReason] = useState<string | null>(null);
  const [workspaceGeneration, setWorkspaceGeneration] = useState(0);

  const accept = useCallback((info: SessionInfo) => {
    setCsrfToken(info.csrf_token);
    setSession(info);
    setStatus("signedIn");
    setEndedReason(null);
  }, []);

  const signedOut = useCallback((reason: string | null) => {
    setCsrfToken(null);
    setSession(null);
    setStatus("signedOut");
    setEndedReason(reason);
  }, []);

  useEffect(() => {
    onUnauthorized((reason) => signedOut(reason));
    let cancelled = false;
    api.getSession().then(
      (info) => !cancelled && accept(info),
      (err: unknown) => {
        // 401: not signed in. Anything else (a hung or broken API): the pages show their own errors.
        if (!cancelled && (err as { status?: number }).status === 401) signedOut(null);
      },
    );
    return () => {
      cancelled = true;
      onUnauthorized(null);
    };
  }, [accept, signedOut]);

  const value = useMemo<AuthValue>(
    () => ({
      status,
      session,
      endedReason,
      workspaceGeneration,
      signIn: async (email, password, code) => accept(await api.signIn(email, password, code)),
      signOut: async () => {
        try {
          await api.signOut();
        } finally {
          signedOut(null);
        }
      },
      switchWorkspace: async (workspaceId) => {
        accept(await api.switchWorkspace(workspaceId));
        setWorkspaceGeneration((n) => n + 1);
      },
      adopt: (info) => {
        accept(info);
        setWorkspaceGeneration((n) => n + 1);
      },
    }),
    [status, session, endedReason, workspaceGeneration, accept, signedOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth outside <AuthProvider>");
  return value;
}

/** `can(action)` for the signed-in member, and `reason(action)`: why not, in the member's language (null when
 * they can, and while the session is still loading: pages render at once, and a lock that flashes on and off
 * for every member would be worse than a control the server refuses for the few who lack it). */
export function usePermissions(): {
  can: (action: Action) => boolean;
  reason: (action: Action, key?: MessageKey) => string | null;
} {
  const { session } = useAuth();
  const t = useT();
  return useMemo(() => {
    const role = session?.role ? t(`role.${session.role}` as MessageKey) : "";
    return {
      can: (action: Action) => can(session, action),
      reason: (action: Action, key?: MessageKey) =>
        !session || can(session, action) ? null : t(key ?? REASONS[action] ?? "perm.generic", { role }),
    };
  }, [session, t]);
}
