import { describe, expect, it } from "vitest";
import { exportUrl, filenameFromDisposition } from "@/features/conversations/export";
import { dateRangeError, filtersToQuery, localDayStart, NO_FILTERS } from "@/features/conversations/filters";
import { formatPrice, splitSources } from "@/features/conversations/sources";

describe("filenameFromDisposition", () => {
  it("reads the server's header", () => {
    expect(filenameFromDisposition('attachment; filename="conversations-20260101-120000.csv"')).toBe("conversations-20260101-120000.csv");
  });
  it("reads an unquoted name and prefers filename*", () => {
    expect(filenameFromDisposition("attachment; filename=plain.csv")).toBe("plain.csv");
    expect(filenameFromDisposition("attachment; filename=\"a.csv\"; filename*=UTF-8''caf%C3%A9.csv")).toBe("café.csv");
  });
  it("falls back without a usable name and strips paths", () => {
    expect(filenameFromDisposition(null)).toBe("conversations.csv");
    expect(filenameFromDisposition("attachment")).toBe("conversations.csv");
    expect(filenameFromDisposition('attachment; filename="../../etc/x.csv"')).toBe("x.csv");
  });
});

describe("filters", () => {
  it("sends only what is set, with local day bounds and an exclusive end", () => {
    expect(filtersToQuery(NO_FILTERS)).toEqual({});
    const query = filtersToQuery({ ...NO_FILTERS, botId: "b1", from: "2026-03-01", to: "2026-03-31", rating: "down", unanswered: true });
    expect(query).toEqual({
      bot_id: "b1",
      from: new Date(2026, 2, 1).toISOString(),
      to: new Date(2026, 3, 1).toISOString(),
      rating: "down",
      has_no_answer: true,
    });
    expect(localDayStart("2026-12-31", 1)).toBe(new Date(2027, 0, 1).toISOString());
  });
  it("sends the search text trimmed, and nothing for blanks", () => {
    expect(filtersToQuery({ ...NO_FILTERS, text: "  rain jacket " })).toEqual({ q: "rain jacket" });
    expect(filtersToQuery({ ...NO_FILTERS, text: "   " })).toEqual({});
  });
  it("refuses a start after the end", () => {
    expect(dateRangeError({ from: "2026-03-02", to: "2026-03-01" })).toMatch(/after/);
    expect(dateRangeError({ from: "2026-03-01", to: "" })).toBeNull();
  });
  it("builds the export URL with the same filters", () => {
    const url = new URL(exportUrl({ bot_id: "b1", has_no_answer: true }, "https://app.example"));
    expect(url.pathname).toBe("/v1/conversations/export");
    expect(Object.fromEntries(url.searchParams)).toEqual({ format: "csv", bot_id: "b1", has_no_answer: "true" });
  });
});

describe("sources", () => {
  it("tells product cards from knowledge excerpts", () => {
    const { products, documents } = splitSources([
      { product_id: "p", title: "Boot", price: "49.90", currency: "EUR", in_stock: true, url: null, image_url: null, sku: null, external_id: "1", snippet: "" },
      { document_id: "d", title: "Returns", snippet: "30 days" },
      { unknown: true },
    ]);
    expect(products.map((product) => product.title)).toEqual(["Boot"]);
    expect(documents.map((doc) => doc.title)).toEqual(["Returns"]);
  });
  it("formats prices, and says so when there is none", () => {
    expect(formatPrice("49.90", "EUR")).toMatch(/49[.,]90/);
    expect(formatPrice(null, "EUR")).toBe("Price on request");
    expect(formatPrice("49.90", "???")).toBe("49.90 ???");
  });
});
