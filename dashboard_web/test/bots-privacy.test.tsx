// The bot's Privacy tab: masking of contact details (on unless turned off), consent and its
// wording (500 characters, counted, checked before sending), and a PATCH of only the change.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BotEditor } from "@/app/(app)/bots/edit/bot-editor";
import { formPathOf, toFormValues, toPatch, type Bot } from "@/features/bots/form-values";
import { previewSettings, previewUrl } from "@/features/bots/preview";
import { botFormSchema } from "@/lib/schemas/bots";

const bot: Bot = {
  id: "b1",
  name: "Alpha assistant",
  widget_key: "wk_abc",
  is_active: true,
  language_policy: "match_shopper",
  llm: {},
  retrieval: {},
  theme: {},
  rate_limits: {},
  allowed_origins: [],
  suspended_by_plan: false,
  mask_contact_details: true,
  consent_required: false,
  consent_text: null,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("privacy in the form values", () => {
  it("masks contact details unless the bot says otherwise, and sends a change alone", () => {
    const initial = toFormValues(bot);
    expect(initial.mask_contact_details).toBe(true);
    expect(toFormValues({ ...bot, mask_contact_details: false }).mask_contact_details).toBe(false);
    expect(toPatch(initial, { ...initial, mask_contact_details: false })).toEqual({ mask_contact_details: false });
  });

  it("reads the bot's setting, and sends only a change (empty wording: the default, null)", () => {
    const initial = toFormValues({ ...bot, consent_required: true, consent_text: "May we keep this chat?" });
    expect(initial).toMatchObject({ consent_required: true, consent_text: "May we keep this chat?" });
    expect(toPatch(initial, structuredClone(initial))).toEqual({});
    expect(toPatch(initial, { ...initial, consent_required: false })).toEqual({ consent_required: false });
    expect(toPatch(initial, { ...initial, consent_text: "  " })).toEqual({ consent_text: null });
    expect(toPatch(initial, { ...initial, consent_text: " Keep it? " })).toEqual({ consent_text: "Keep it?" });
  });

  it("allows 500 characters of wording and not 501", () => {
    const values = toFormValues(bot);
    expect(botFormSchema.safeParse({ ...values, consent_text: "a".repeat(500) }).success).toBe(true);
    const result = botFormSchema.safeParse({ ...values, consent_text: "a".repeat(501) });
    expect(result.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([["consent_text", "Keep it to 500 characters or fewer."]]);
  });

  it("maps the server's consent errors onto the form", () => {
    expect(formPathOf("body.consent_text")).toBe("consent_text");
    expect(formPathOf("consent_required")).toBe("consent_required");
    expect(formPathOf("body.mask_contact_details")).toBe("mask_contact_details");
  });

  it("reloads the live preview after a save, so the widget shows the saved consent bar", () => {
    const values = toFormValues(bot);
    const before = previewUrl(previewSettings(values, bot.widget_key, "2026-01-01T00:00:00Z"));
    const after = previewUrl(previewSettings(values, bot.widget_key, "2026-01-02T00:00:00Z"));
    expect(before).not.toBe(after);
  });
});

describe("the Privacy tab", () => {
  // The whole editor renders here: slow on a busy machine, hence the longer timeouts.
  it("counts the wording's characters and refuses too long a text on its tab, sending nothing", { timeout: 20_000 }, async () => {
    const fetch = vi.fn(() => Promise.reject(new Error("no network in this test")));
    vi.stubGlobal("fetch", fetch);
    render(<BotEditor bot={bot} canEdit />);
    fireEvent.change(screen.getByLabelText("Consent text"), { target: { value: "Keep this chat?" } });
    expect(screen.getByText(/15 of 500 characters used/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Consent text"), { target: { value: "x".repeat(501) } });
    fireEvent.click(screen.getByRole("tab", { name: "Persona" }));
    fireEvent.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByText("Keep it to 500 characters or fewer.", undefined, { timeout: 10_000 })).toBeTruthy();
    expect(screen.getByRole("tab", { name: "Privacy" }).getAttribute("aria-selected")).toBe("true");
    expect(fetch).not.toHaveBeenCalled();
  });

  it("saves the switches alone", { timeout: 20_000 }, async () => {
    const sent: unknown[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        const body = (await request.clone().json()) as Record<string, unknown>;
        sent.push(body);
        return new Response(JSON.stringify({ ...bot, ...body, updated_at: "2026-01-02T00:00:00Z" }), { status: 200, headers: { "Content-Type": "application/json" } });
      }),
    );
    render(<BotEditor bot={bot} canEdit />);
    const toggle = screen.getByRole("switch", { name: "Ask for consent before storing conversations" });
    expect(toggle.getAttribute("aria-checked")).toBe("false");
    fireEvent.click(toggle);
    const masking = screen.getByRole("switch", { name: "Mask emails and phone numbers" });
    expect(masking.getAttribute("aria-checked")).toBe("true");
    fireEvent.click(masking);
    fireEvent.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(screen.getByText("Saved")).toBeTruthy(), { timeout: 10_000 });
    expect(sent).toEqual([{ mask_contact_details: false, consent_required: true }]);
  });
});
