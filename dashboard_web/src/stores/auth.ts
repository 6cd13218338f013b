"use client";

// Who is signed in, in memory. Sign-in asks the server for a cookie session: the refresh
// token goes into an HttpOnly cookie and only the short-lived access token reaches here.
// A reload restores the session from that cookie (`restore`).
import { create } from "zustand";
import { installRenewer, setAccessToken } from "@/api/access-token";
import { api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { endSession, refreshSession, type TokenResponse } from "@/api/session";

export type Me = components["schemas"]["MeResponse"];
type LoginBody = components["schemas"]["LoginRequest"];
type RegisterBody = components["schemas"]["RegisterRequest"];

export type AuthStatus = "unknown" | "signed-in" | "signed-out";

type AuthState = {
  status: AuthStatus;
  me: Me | null;
  signIn: (email: string, password: string) => Promise<void>;
  signUp: (input: { email: string; password: string; business_name: string }) => Promise<void>;
  restore: () => Promise<void>;
  reloadMe: () => Promise<void>;
  signOut: () => Promise<void>;
};

async function fetchMe(): Promise<Me> {
  return unwrap(api.GET("/v1/auth/me"));
}

export const useAuth = create<AuthState>()((set, get) => {
  const adopt = async (tokens: TokenResponse) => {
    setAccessToken(tokens.access_token);
    set({ status: "signed-in", me: await fetchMe() });
  };
  installRenewer(async () => {
    const tokens = await refreshSession().catch(() => null);
    setAccessToken(tokens?.access_token ?? null);
    if (!tokens) set({ status: "signed-out", me: null });
    return tokens?.access_token ?? null;
  });
  return {
    status: "unknown",
    me: null,
    signIn: async (email, password) => {
      const body: LoginBody = { email, password, session: "cookie" };
      await adopt(await unwrap(api.POST("/v1/auth/login", { body })));
    },
    signUp: async (input) => {
      const body: RegisterBody = { ...input, session: "cookie" };
      await adopt(await unwrap(api.POST("/v1/auth/register", { body })));
    },
    restore: async () => {
      if (get().status === "signed-in") return;
      const tokens = await refreshSession().catch(() => null);
      if (tokens) await adopt(tokens);
      else set({ status: "signed-out", me: null });
    },
    reloadMe: async () => set({ me: await fetchMe() }),
    signOut: async () => {
      try {
        await endSession();
      } finally {
        setAccessToken(null);
        set({ status: "signed-out", me: null });
      }
    },
  };
});
