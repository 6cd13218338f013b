import { describe, expect, it } from "vitest";
import type { components } from "@/api/schema";
import { buildChecklist, businessProfileComplete, progressText } from "@/features/account/onboarding";
import { assignableRoles, atLeast } from "@/features/account/roles";

type Business = components["schemas"]["BusinessOut"];
type Store = components["schemas"]["StoreOut"];
type Bot = components["schemas"]["BotOut"];
type Conversation = components["schemas"]["ConversationSummary"];

const T0 = "2026-01-01T00:00:00Z";
const business = (extra: Partial<Business> = {}): Business => ({
  id: "b", name: "Acme", currency: "EUR", timezone: "UTC", language: "en", created_at: T0, updated_at: T0,
  website: null, support_email: null, support_phone: null, shipping_policy: null, returns_policy: null, ...extra,
});
const store = (extra: Partial<Store>): Store => ({ id: "s", product_count: 0, last_synced_at: null, ...extra }) as Store;
const bot = (extra: Partial<Bot>): Bot => ({ id: "t", created_at: T0, updated_at: T0, store_id: null, allowed_origins: [], ...extra }) as Bot;
const conversation = (is_preview: boolean): Conversation => ({ id: "c", is_preview }) as Conversation;

const labels = ["Verify your email", "Complete your business profile", "Connect your WooCommerce store", "Sync your catalogue",
  "Configure your bot", "Install the widget on your store", "See your first conversation"];

describe("onboarding checklist", () => {
  it("has the seven steps in order, none done for a new account", () => {
    const items = buildChecklist({ emailVerified: false, business: business(), stores: [], bots: [bot({})], conversations: [] });
    expect(items.map((item) => item.label)).toEqual(labels);
    expect(progressText(items)).toBe("0 of 7 done");
  });

  it("marks each step from live data", () => {
    const items = buildChecklist({
      emailVerified: true,
      business: business({ website: "https://a.example", support_phone: "+1 555 0100", shipping_policy: "x", returns_policy: "y" }),
      stores: [store({ product_count: 12 })],
      bots: [bot({ updated_at: "2026-01-02T00:00:00Z" })],
      conversations: [conversation(false)],
    });
    expect(items.every((item) => item.done)).toBe(true);
    expect(progressText(items)).toBe("7 of 7 done");
  });

  it("does not count dashboard previews as a conversation, nor a connected but unsynced store as synced", () => {
    const items = buildChecklist({ emailVerified: true, business: undefined, stores: [store({})], bots: [], conversations: [conversation(true)] });
    const done = Object.fromEntries(items.map((item) => [item.label, item.done]));
    expect(done["Connect your WooCommerce store"]).toBe(true);
    expect(done["Sync your catalogue"]).toBe(false);
    expect(done["See your first conversation"]).toBe(false);
    expect(done["Install the widget on your store"]).toBe(false);
  });

  it("needs a support contact and both policies for a complete profile", () => {
    expect(businessProfileComplete(business({ website: "https://a.example", support_email: "s@a.example", shipping_policy: "x" }))).toBe(false);
    expect(businessProfileComplete(business({ website: "https://a.example", support_email: "s@a.example", shipping_policy: "x", returns_policy: "y" }))).toBe(true);
  });
});

describe("roles", () => {
  it("ranks roles like the server", () => {
    expect(atLeast("admin", "editor")).toBe(true);
    expect(atLeast("viewer", "editor")).toBe(false);
    expect(atLeast(undefined, "viewer")).toBe(false);
  });
  it("lets only owners hand out the owner role", () => {
    expect(assignableRoles("admin")).not.toContain("owner");
    expect(assignableRoles("owner")).toContain("owner");
  });
});
