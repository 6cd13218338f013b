import { describe, expect, it } from "vitest";
import { formPathOf, toFormValues, toPatch, type Bot } from "@/features/bots/form-values";
import { originAllowed } from "@/features/bots/origin-match";
import { previewSettings, previewUrl, scriptAttributes } from "@/features/bots/preview";

const bot: Bot = {
  id: "b1",
  name: "Alpha assistant",
  widget_key: "wk_abc-123",
  is_active: true,
  greeting: "Hi there",
  language_policy: "match_shopper",
  llm: { model: "gpt-4o-mini", has_api_key: false },
  retrieval: { top_k: 5 },
  theme: { primary_color: "#1f6feb", position: "left" },
  rate_limits: { ip: { per_minute: 30 } },
  allowed_origins: ["https://shop.alpha.test"],
  suspended_by_plan: false,
  mask_contact_details: true,
  consent_required: false,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
};

describe("the live preview's script attributes", () => {
  it("carry the current form values through the preview page's query string", () => {
    const values = toFormValues(bot);
    values.theme.primary_color = "#ff0000";
    values.theme.title = "Ask Alpha";
    values.greeting = "Hello & welcome";
    const url = previewUrl(previewSettings(values, bot.widget_key));
    expect(url.startsWith("/app/widget-preview/?")).toBe(true);
    expect(scriptAttributes(url.split("?")[1] ?? "")).toEqual({
      src: "/widget.js",
      "data-widget-key": "wk_abc-123",
      "data-open": "true",
      "data-color": "#ff0000",
      "data-position": "left",
      "data-title": "Ask Alpha",
      "data-greeting": "Hello & welcome",
    });
  });

  it("leave out what the widget would not accept, and fall back to the bot's name", () => {
    const values = toFormValues(bot);
    values.theme.primary_color = "#12";
    values.greeting = "  ";
    expect(previewSettings(values, bot.widget_key)).toEqual({ widgetKey: "wk_abc-123", color: undefined, position: "left", title: "Alpha assistant", greeting: undefined });
    expect(scriptAttributes("key=wk_x&color=red&position=top")).toEqual({ src: "/widget.js", "data-widget-key": "wk_x", "data-open": "true" });
  });

  it("need a widget key", () => {
    expect(scriptAttributes("color=%23fff")).toBeNull();
    expect(scriptAttributes("key=%22%3E%3Cscript%3E")).toBeNull();
  });
});

describe("toPatch", () => {
  it("sends only what changed; an emptied field resets to the default", () => {
    const initial = toFormValues(bot);
    const current = structuredClone(initial);
    expect(toPatch(initial, current)).toEqual({});
    current.greeting = "";
    current.theme.primary_color = "#000";
    current.retrieval.top_k = "";
    current.retrieval.candidates = "80";
    current.rate_limits.ip = { per_minute: "", burst: "" };
    current.rate_limits.bot = { per_minute: "120", burst: "20" };
    current.allowed_origins.push({ value: " https://*.alpha.test " });
    current.llm.api_key = "sk-test";
    expect(toPatch(initial, current)).toEqual({
      greeting: null,
      theme: { primary_color: "#000" },
      retrieval: { top_k: null, candidates: 80 },
      rate_limits: { ip: null, bot: { per_minute: 120, burst: 20 } },
      allowed_origins: ["https://shop.alpha.test", "https://*.alpha.test"],
      llm: { api_key: "sk-test" },
    });
  });

  it("maps the server's field errors onto the form", () => {
    expect(formPathOf("allowed_origins.2")).toBe("allowed_origins.2.value");
    expect(formPathOf("rate_limits.ip.per_minute")).toBe("rate_limits.ip.per_minute");
    expect(formPathOf("theme.primary_color")).toBe("theme.primary_color");
    expect(formPathOf("store_id")).toBeNull();
  });
});

describe("originAllowed (as the widget API decides)", () => {
  it("matches exact origins and subdomain wildcards, never the apex", () => {
    expect(originAllowed("https://shop.alpha.test", ["https://shop.alpha.test"])).toBe(true);
    expect(originAllowed("https://eu.alpha.test", ["https://*.alpha.test"])).toBe(true);
    expect(originAllowed("https://alpha.test", ["https://*.alpha.test"])).toBe(false);
    expect(originAllowed("http://shop.alpha.test", ["https://shop.alpha.test"])).toBe(false);
    expect(originAllowed("https://shop.alpha.test:8443", ["https://shop.alpha.test"])).toBe(false);
  });
});
