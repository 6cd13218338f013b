// The typed client for the merchant API, generated from its OpenAPI document (schema.d.ts).
// Same origin as the app, so no base URL and no CORS. Every call goes through `authedFetch`:
// the in-memory access token is attached, and a 401 triggers one renewal and one retry.
import createClient from "openapi-fetch";
import { getAccessToken, renewAccessToken } from "./access-token";
import { networkProblem, toProblem, type ApiProblem } from "./problem";
import type { paths } from "./schema";

const PUBLIC_AUTH = /\/v1\/auth\/(login|register|refresh|logout|session\/|verify-email|request-password-reset|reset-password)/;

function withToken(request: Request, token: string | null): Request {
  const next = new Request(request);
  if (token) next.headers.set("Authorization", `Bearer ${token}`);
  return next;
}

export async function authedFetch(input: Request): Promise<Response> {
  const retryable = input.clone();
  let response: Response;
  try {
    response = await fetch(withToken(input, getAccessToken()));
  } catch {
    throw networkProblem();
  }
  if (response.status !== 401 || PUBLIC_AUTH.test(new URL(input.url).pathname)) return response;
  const renewed = await renewAccessToken();
  if (!renewed) return response;
  try {
    return await fetch(withToken(retryable, renewed));
  } catch {
    throw networkProblem();
  }
}

export const api = createClient<paths>({
  baseUrl: typeof window === "undefined" ? "http://localhost" : window.location.origin,
  fetch: authedFetch,
});

type Result<T> = { data?: T; error?: unknown; response: Response };

/** The body of a successful call, or an ApiProblem to throw: pages never read `response`. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  throw toProblem(response.status, error) as ApiProblem;
}
