// The browser session: the refresh token lives in an HttpOnly, SameSite=Strict cookie scoped
// to /v1/auth/session (JavaScript never sees it); the access token lives only in memory.
// The two cookie-authenticated routes need the CSRF token the server put in a readable cookie.
import type { components } from "./schema";
import { networkProblem, toProblem } from "./problem";

export type TokenResponse = components["schemas"]["TokenResponse"];

const CSRF_COOKIE = "shopbot_csrf";

export function readCsrfToken(cookies: string = typeof document === "undefined" ? "" : document.cookie): string | null {
  for (const part of cookies.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === CSRF_COOKIE) return decodeURIComponent(rest.join("="));
  }
  return null;
}

async function postSession(path: "refresh" | "logout"): Promise<Response> {
  const csrf = readCsrfToken();
  try {
    return await fetch(`/v1/auth/session/${path}`, {
      method: "POST",
      credentials: "same-origin",
      headers: csrf ? { "X-CSRF-Token": csrf } : {},
    });
  } catch {
    throw networkProblem();
  }
}

/** Exchanges the refresh cookie for a new access token. Tabs share one cookie, so refreshes
 * are serialised across tabs (Web Locks) to keep rotation from looking like token reuse. */
export async function refreshSession(): Promise<TokenResponse | null> {
  if (readCsrfToken() === null) return null; // never signed in with a cookie here
  const run = async () => {
    const response = await postSession("refresh");
    if (response.status === 401 || response.status === 403) return null;
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) throw toProblem(response.status, body);
    return body as TokenResponse;
  };
  if (typeof navigator !== "undefined" && navigator.locks) {
    return navigator.locks.request("shopbot-session-refresh", run);
  }
  return run();
}

export async function endSession(): Promise<void> {
  const response = await postSession("logout");
  if (!response.ok && response.status !== 401 && response.status !== 403) {
    throw toProblem(response.status, await response.json().catch(() => null));
  }
}
