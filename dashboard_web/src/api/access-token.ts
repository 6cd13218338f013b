// The access token, in memory only (never localStorage: a script injected into the page
// could read it there). The auth store sets it; the API client reads it and asks the
// installed renewer for a fresh one when the server says it expired.
let accessToken: string | null = null;
let renewer: (() => Promise<string | null>) | null = null;
let renewing: Promise<string | null> | null = null;

export function getAccessToken(): string | null {
  return accessToken;
}

export function setAccessToken(token: string | null): void {
  accessToken = token;
}

export function installRenewer(renew: (() => Promise<string | null>) | null): void {
  renewer = renew;
}

/** One renewal at a time: concurrent 401s wait for the same refresh. */
export function renewAccessToken(): Promise<string | null> {
  if (!renewer) return Promise.resolve(null);
  renewing ??= renewer().finally(() => {
    renewing = null;
  });
  return renewing;
}
