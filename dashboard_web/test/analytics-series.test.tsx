// The issue-16 analytics: when hourly buckets may be asked for, how buckets are labelled
// (the business's wall clock, a repeated autumn hour told apart), and the content gaps'
// "Create a document" path against a stubbed server.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ChartsSection } from "@/app/(app)/analytics/charts-section";
import { ContentGaps } from "@/app/(app)/analytics/content-gaps";
import { IntervalToggle } from "@/app/(app)/analytics/interval-toggle";
import { dayQuery, type Filters } from "@/features/analytics/api";
import { bucketLabel, bucketLabels, formatMicroUsd, formatMs, formatUsd, questionText } from "@/features/analytics/format";
import { effectiveInterval, hourlyAllowed } from "@/features/analytics/interval";
import { useAuth, type Me } from "@/stores/auth";

const push = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push, replace: vi.fn() }) }));

const week = { from: "2026-03-23", to: "2026-03-29" };
const eightDays = { from: "2026-03-22", to: "2026-03-29" };

beforeEach(() => push.mockReset());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("the series interval", () => {
  it("allows hours for up to 7 days, both ends counted", () => {
    expect(hourlyAllowed(week)).toBe(true);
    expect(hourlyAllowed({ from: "2026-03-29", to: "2026-03-29" })).toBe(true);
    expect(hourlyAllowed(eightDays)).toBe(false);
  });

  it("falls back to days over a longer period instead of asking for a 422", () => {
    expect(effectiveInterval("hour", week)).toBe("hour");
    expect(effectiveInterval("hour", eightDays)).toBe("day");
    expect(effectiveInterval("day", week)).toBe("day");
  });

  it("asks for calendar days with an exclusive end, and the bot when one is chosen", () => {
    const filters: Filters = { range: week, botId: null };
    expect(dayQuery(filters)).toEqual({ from: "2026-03-23", to: "2026-03-30" });
    expect(dayQuery({ ...filters, botId: "b1" })).toEqual({ from: "2026-03-23", to: "2026-03-30", bot_id: "b1" });
  });

  it("disables 'By hour' with the reason over a week", () => {
    const onChange = vi.fn();
    render(<IntervalToggle value="day" hourly={false} onChange={onChange} />);
    const hour = screen.getByRole("button", { name: "By hour" }) as HTMLButtonElement;
    expect(hour.disabled).toBe(true);
    expect(hour.getAttribute("aria-describedby")).toBeTruthy();
    expect(screen.getByText("Hourly charts cover at most 7 days.")).toBeTruthy();
    cleanup();
    render(<IntervalToggle value="day" hourly onChange={onChange} />);
    fireEvent.click(screen.getByRole("button", { name: "By hour" }));
    expect(onChange).toHaveBeenCalledWith("hour");
    expect(screen.getByRole("button", { name: "By day" }).getAttribute("aria-pressed")).toBe("true");
  });
});

describe("bucket labels", () => {
  it("keep the business's wall-clock time whatever the browser's zone", () => {
    expect(bucketLabel("2026-03-29T03:00:00+02:00", "hour")).toBe("29 Mar, 03:00");
    expect(bucketLabel("2026-03-29T00:00:00+05:30", "day")).toBe("29 Mar");
    expect(bucketLabel("not a date", "day")).toBe("not a date");
  });

  it("tell the repeated hour of an autumn clock change apart by its offset", () => {
    const starts = ["2026-10-25T01:00:00+02:00", "2026-10-25T02:00:00+02:00", "2026-10-25T02:00:00+01:00", "2026-10-25T03:00:00+01:00"];
    expect(bucketLabels(starts, "hour")).toEqual([
      "25 Oct, 01:00",
      "25 Oct, 02:00 (UTC+02:00)",
      "25 Oct, 02:00 (UTC+01:00)",
      "25 Oct, 03:00",
    ]);
  });

  it("write answer times and small costs readably", () => {
    expect(formatMs(null)).toBe("—");
    expect(formatMs(1249.6)).toBe("1,250 ms");
    expect(formatUsd(12.5)).toBe("$12.50");
    expect(formatUsd(0.0123)).toBe("$0.0123");
    expect(formatUsd(0)).toBe("$0.00");
    expect(formatMicroUsd(174_610_000)).toBe("$174.61");
    expect(formatMicroUsd(450)).toBe("$0.0005");
  });

  it("name a question cluster whose representative message was deleted by another wording", () => {
    expect(questionText({ representative: "Do you ship to Norway?", examples: ["ship to oslo"] })).toBe("Do you ship to Norway?");
    expect(questionText({ representative: null, examples: ["ship to oslo"] })).toBe("ship to oslo");
    expect(questionText({ representative: null, examples: [] })).toBe("A question no longer stored");
  });
});

function json(status: number, body: unknown): Response {
  const type = status >= 400 ? "application/problem+json" : "application/json";
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": type } });
}

const gap = {
  cluster_id: "7f0c0b6e-1111-4c4c-9a9a-000000000001",
  unanswered: 9,
  asked: 12,
  representative: "Do you ship to Norway?",
  examples: ["ship to norway?", "Can I order from Oslo"],
};
const document = {
  id: "doc-42", title: "Do you ship to Norway?", kind: "faq", content_type: "text", size_bytes: 10, body: "…", chunks: 1,
  created_at: "2026-03-30T10:00:00Z", updated_at: "2026-03-30T10:00:00Z",
};

function server(createAnswer: () => Response) {
  const fetch = vi.fn(async (request: Request) => {
    const path = new URL(request.url).pathname;
    if (request.method === "GET" && path === "/v1/analytics/content-gaps") return json(200, { gaps: [gap] });
    if (request.method === "POST" && path === `/v1/analytics/content-gaps/${gap.cluster_id}/document`) return createAnswer();
    return json(404, { code: "not_found" });
  });
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

function signedInAs(role: string) {
  useAuth.setState({ status: "signed-in", me: { role, email: "e@example.com", email_verified: true, tenant_id: "t" } as Me });
}

const filters: Filters = { range: week, botId: null };

describe("content gaps", () => {
  it("lists the gap and turns it into a document, then opens that document's editor", async () => {
    signedInAs("editor");
    const fetch = server(() => json(201, document));
    render(<ContentGaps filters={filters} />);
    const item = (await screen.findByText("Do you ship to Norway?")).closest("li")!;
    expect(within(item).getByText("Unanswered 9 of 12 times asked")).toBeTruthy();
    const listRequest = fetch.mock.calls.map(([request]) => new URL((request as Request).url)).find((url) => url.pathname.endsWith("/content-gaps"));
    expect(Object.fromEntries(listRequest!.searchParams)).toEqual({ from: "2026-03-23", to: "2026-03-30", limit: "10" });

    fireEvent.click(within(item).getByRole("button", { name: "Create a document" }));
    expect(await within(item).findByRole("button", { name: "Creating…" })).toBeTruthy();
    await waitFor(() => expect(push).toHaveBeenCalledWith("/knowledge/?edit=doc-42"));
    const posts = fetch.mock.calls.map(([request]) => request as Request).filter((request) => request.method === "POST");
    expect(posts).toHaveLength(1);
  });

  it("shows the server's reason and lets the merchant try again when it fails", async () => {
    signedInAs("editor");
    server(() => json(402, { code: "quota_exceeded", detail: "Your plan allows 20 documents." }));
    render(<ContentGaps filters={filters} />);
    fireEvent.click(await screen.findByRole("button", { name: "Create a document" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Your plan allows 20 documents.");
    expect((screen.getByRole("button", { name: "Create a document" }) as HTMLButtonElement).disabled).toBe(false);
    expect(push).not.toHaveBeenCalled();
  });

  it("offers nothing to a viewer, and says why", async () => {
    signedInAs("viewer");
    server(() => json(201, document));
    render(<ContentGaps filters={filters} />);
    expect((await screen.findByRole("button", { name: "Create a document" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/only editors, admins and the owner can change this/)).toBeTruthy();
  });
});

const point = (start: string, conversations: number) => ({
  start, conversations, messages: conversations * 2, answers: conversations + 1, answered: conversations, unanswered: 1, errors: 0,
  thumbs_up: 1, thumbs_down: 0, product_clicks: 2, added_to_cart: 1,
  latency_p50_ms: 900, latency_p95_ms: null, prompt_tokens: 1200, completion_tokens: 300, cost_micro_usd: 12_500,
});

/** GET /v1/analytics/timeseries answering two buckets of the interval asked for; the queries seen. */
function seriesServer() {
  const asked: Record<string, string>[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      const query = Object.fromEntries(url.searchParams);
      asked.push(query);
      const hour = query.interval === "hour";
      const points = hour ? [point("2026-03-29T01:00:00+01:00", 2), point("2026-03-29T03:00:00+02:00", 3)] : [point("2026-03-28T00:00:00+01:00", 2), point("2026-03-29T00:00:00+01:00", 3)];
      const totals = { ...point("", 5), latency_p95_ms: 2400, cost_micro_usd: 25_000 } as Record<string, unknown>;
      delete totals.start;
      return json(200, { interval: query.interval, timezone: "Europe/Berlin", from: query.from, to: query.to, points, totals });
    }),
  );
  return asked;
}

describe("the charts section", () => {
  it("asks for days, shows the totals and each chart's table, and switches to hours on request", async () => {
    const asked = seriesServer();
    render(<ChartsSection filters={{ range: week, botId: null }} />);
    expect(await screen.findByText("Days are counted in your business's time zone (Europe/Berlin).")).toBeTruthy();
    expect(asked[0]).toEqual({ from: "2026-03-23", to: "2026-03-30", interval: "day" });
    expect(screen.getByText("Model cost").nextElementSibling?.textContent).toBe("$0.025");
    expect(screen.getByText("Tokens used").nextElementSibling?.textContent).toBe("1,500");
    expect(screen.getByText("95th percentile answer time").nextElementSibling?.textContent).toBe("2,400 ms");
    const table = screen.getByRole("table", { name: "Answer time, per day", hidden: true });
    expect(within(table).getAllByRole("row", { hidden: true }).map((row) => row.textContent)).toEqual(["DayMedian95th percentile", "28 Mar900 ms—", "29 Mar900 ms—"]);

    fireEvent.click(screen.getByRole("button", { name: "By hour" }));
    expect(await screen.findByText("Hours are counted in your business's time zone (Europe/Berlin).")).toBeTruthy();
    expect(asked.at(-1)).toEqual({ from: "2026-03-23", to: "2026-03-30", interval: "hour" });
    expect(screen.getByRole("table", { name: "Model tokens, per hour", hidden: true }).textContent).toContain("29 Mar, 03:00");
  });

  it("never asks for hours over more than a week", async () => {
    const asked = seriesServer();
    render(<ChartsSection filters={{ range: eightDays, botId: "b1" }} />);
    await screen.findByText(/Days are counted/);
    expect((screen.getByRole("button", { name: "By hour" }) as HTMLButtonElement).disabled).toBe(true);
    expect(asked).toEqual([{ from: "2026-03-22", to: "2026-03-30", bot_id: "b1", interval: "day" }]);
  });

  it("says when the series could not be loaded, and retries", async () => {
    const fetch = vi.fn(async () => json(503, { code: "database_unavailable", detail: "The database is busy." }));
    vi.stubGlobal("fetch", fetch);
    render(<ChartsSection filters={{ range: week, botId: null }} />);
    expect(await screen.findByText("The charts could not be loaded")).toBeTruthy();
    expect(screen.getByText("The database is busy.")).toBeTruthy();
    expect(fetch).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(fetch).toHaveBeenCalledTimes(2));
  });
});
