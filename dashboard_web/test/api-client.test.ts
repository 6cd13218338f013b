import { afterEach, describe, expect, it, vi } from "vitest";
import { installRenewer, setAccessToken } from "@/api/access-token";
import { api, authedFetch, unwrap } from "@/api/client";
import { ApiProblem } from "@/api/problem";

const ORIGIN = "http://localhost";

function json(status: number, body: unknown): Response {
  const type = status >= 400 ? "application/problem+json" : "application/json";
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": type } });
}

/** A stand-in for the browser's fetch that answers by the bearer token it is sent. */
function serverAccepting(token: string) {
  const seen: string[] = [];
  const fetchMock = vi.fn(async (request: Request) => {
    const auth = request.headers.get("Authorization") ?? "";
    seen.push(`${new URL(request.url).pathname} ${auth}`);
    if (auth !== `Bearer ${token}`) return json(401, { code: "token_expired", detail: "expired" });
    return json(200, { ok: true, body: request.method === "POST" ? await request.text() : null });
  });
  vi.stubGlobal("fetch", fetchMock);
  return { seen, fetchMock };
}

afterEach(() => {
  vi.unstubAllGlobals();
  installRenewer(null);
  setAccessToken(null);
});

describe("authedFetch", () => {
  it("sends the in-memory token", async () => {
    const { seen } = serverAccepting("A");
    setAccessToken("A");
    const response = await authedFetch(new Request(`${ORIGIN}/v1/bots`));
    expect(response.status).toBe(200);
    expect(seen).toEqual(["/v1/bots Bearer A"]);
  });

  it("renews once on a 401 and retries with the body intact", async () => {
    const { seen } = serverAccepting("B");
    setAccessToken("A");
    const renew = vi.fn(async () => "B");
    installRenewer(renew);
    const response = await authedFetch(new Request(`${ORIGIN}/v1/knowledge`, { method: "POST", body: '{"title":"x"}' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ body: '{"title":"x"}' });
    expect(renew).toHaveBeenCalledTimes(1);
    expect(seen).toEqual(["/v1/knowledge Bearer A", "/v1/knowledge Bearer B"]);
  });

  it("shares one renewal between concurrent 401s", async () => {
    serverAccepting("B");
    setAccessToken("A");
    let release: (token: string) => void = () => {};
    const renew = vi.fn(() => new Promise<string>((resolve) => (release = resolve)));
    installRenewer(renew);
    const both = Promise.all([authedFetch(new Request(`${ORIGIN}/v1/bots`)), authedFetch(new Request(`${ORIGIN}/v1/stores`))]);
    await vi.waitFor(() => expect(renew).toHaveBeenCalled());
    release("B");
    const statuses = (await both).map((response) => response.status);
    expect(statuses).toEqual([200, 200]);
    expect(renew).toHaveBeenCalledTimes(1);
  });

  it("does not renew for the sign-in routes themselves, nor when renewal fails", async () => {
    const { seen } = serverAccepting("never");
    const renew = vi.fn(async () => null);
    installRenewer(renew);
    expect((await authedFetch(new Request(`${ORIGIN}/v1/auth/login`, { method: "POST", body: "{}" }))).status).toBe(401);
    expect(renew).not.toHaveBeenCalled();
    expect((await authedFetch(new Request(`${ORIGIN}/v1/bots`))).status).toBe(401);
    expect(renew).toHaveBeenCalledTimes(1);
    expect(seen).toHaveLength(2);
  });

  it("turns a network failure into a network_error problem", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    await expect(authedFetch(new Request(`${ORIGIN}/v1/bots`))).rejects.toMatchObject({ code: "network_error" });
  });
});

describe("unwrap", () => {
  it("returns the body of a success and throws the problem of a failure", async () => {
    serverAccepting("A");
    setAccessToken("A");
    await expect(unwrap(api.GET("/v1/bots", {}))).resolves.toMatchObject({ ok: true });
    setAccessToken("wrong");
    const failure = await unwrap(api.GET("/v1/bots", {})).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiProblem);
    expect((failure as ApiProblem).friendly).toBe("Your session has ended. Sign in again.");
  });
});
