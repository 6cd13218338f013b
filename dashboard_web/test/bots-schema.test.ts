import { describe, expect, it } from "vitest";
import { toFormValues, type Bot } from "@/features/bots/form-values";
import { botFormSchema, createBotSchema, numberProblem, originProblem } from "@/lib/schemas/bots";

const bot: Bot = {
  id: "b1",
  name: "Alpha assistant",
  widget_key: "wk_abc",
  is_active: true,
  language_policy: "match_shopper",
  llm: { model: "gpt-4o-mini" },
  retrieval: { top_k: 5 },
  theme: { primary_color: "#1f6feb", position: "left" },
  rate_limits: {},
  allowed_origins: ["https://shop.alpha.test"],
  suspended_by_plan: false,
  mask_contact_details: true,
  consent_required: false,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
};

function issues(mutate: (values: ReturnType<typeof toFormValues>) => void) {
  const values = toFormValues(bot);
  mutate(values);
  const result = botFormSchema.safeParse(values);
  return result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

describe("botFormSchema", () => {
  it("accepts a bot as loaded", () => {
    expect(issues(() => {})).toEqual([]);
  });

  it.each(["#abc", "#1F6FEB", ""])("accepts the colour %s", (colour) => {
    expect(issues((v) => (v.theme.primary_color = colour))).toEqual([]);
  });

  it.each(["1f6feb", "#12345", "red", "#ggg"])("refuses the colour %s", (colour) => {
    expect(issues((v) => (v.theme.primary_color = colour))).toEqual([{ path: "theme.primary_color", message: "Enter a hex colour such as #1f6feb." }]);
  });

  it("checks each origin and says what is wrong", () => {
    const found = issues((v) => (v.allowed_origins = [{ value: "https://ok.example.com" }, { value: "http://shop.example.com" }, { value: "https://shop.example.com/path" }]));
    expect(found.map((i) => i.path)).toEqual(["allowed_origins.1.value", "allowed_origins.2.value"]);
    expect(found[0]?.message).toMatch(/https/);
  });

  it("keeps number settings within the engine's bounds", () => {
    expect(issues((v) => (v.retrieval.top_k = "21"))).toEqual([{ path: "retrieval.top_k", message: "Enter a whole number from 1 to 20, or leave it empty for the default." }]);
    expect(issues((v) => (v.retrieval.top_k = "2.5"))[0]?.path).toBe("retrieval.top_k");
    expect(issues((v) => (v.llm.temperature = "2.1"))[0]?.path).toBe("llm.temperature");
    expect(issues((v) => (v.rate_limits.ip.per_minute = "0"))[0]?.path).toBe("rate_limits.ip.per_minute");
    expect(issues((v) => (v.retrieval.top_k = ""))).toEqual([]);
  });

  it("refuses both weights at 0, and a burst without a rate", () => {
    expect(issues((v) => ((v.retrieval.vector_weight = "0"), (v.retrieval.text_weight = "0")))[0]?.path).toBe("retrieval.text_weight");
    expect(issues((v) => (v.rate_limits.bot.burst = "10"))[0]?.path).toBe("rate_limits.bot.per_minute");
  });

  it("needs an API key for an own endpoint, unless one is saved", () => {
    expect(issues((v) => (v.llm.base_url = "https://llm.example.com/v1"))[0]?.path).toBe("llm.api_key");
    expect(issues((v) => ((v.llm.base_url = "https://llm.example.com/v1"), (v.llm.has_api_key = true)))).toEqual([]);
  });

  it("limits text lengths as the API does", () => {
    expect(issues((v) => (v.theme.title = "x".repeat(61)))[0]?.path).toBe("theme.title");
    expect(issues((v) => (v.name = "  "))[0]?.path).toBe("name");
  });
});

describe("origin and number helpers", () => {
  it.each(["https://shop.example.com", "https://*.example.com", "https://shop.example.com:8443", "http://localhost:3000", "https://shop.example.com/"])("accepts %s", (value) => {
    expect(originProblem(value)).toBeNull();
  });
  it.each(["shop.example.com", "ftp://shop.example.com", "https://*.com", "https://user@shop.example.com", "https://shop.example.com?x=1"])("refuses %s", (value) => {
    expect(originProblem(value)).not.toBeNull();
  });
  it("treats the rate's lower bound as exclusive", () => {
    expect(numberProblem("0.5", { min: 0, max: 10, exclusiveMin: true })).toBeNull();
    expect(numberProblem("0", { min: 0, max: 10, exclusiveMin: true })).toMatch(/above 0/);
  });
  it("needs a name to create a bot", () => {
    expect(createBotSchema.safeParse({ name: "  " }).success).toBe(false);
    expect(createBotSchema.safeParse({ name: "Help desk" }).success).toBe(true);
  });
});
