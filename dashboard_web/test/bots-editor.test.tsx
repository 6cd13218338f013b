import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { BotEditor } from "@/app/(app)/bots/edit/bot-editor";
import type { Bot } from "@/features/bots/form-values";

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
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
};

afterEach(cleanup);

// The whole editor renders in each test: seconds on a busy machine, so more than the 5 s default.
describe("the configure form", { timeout: 20_000 }, () => {
  it("shows the bot's name as the heading, marks unsaved changes and feeds the preview", async () => {
    render(<BotEditor bot={bot} canEdit />);
    expect(screen.getByRole("heading", { level: 1, name: "Alpha assistant" })).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Greeting"), { target: { value: "Welcome!" } });
    await waitFor(() => expect(screen.getByText("Unsaved changes")).toBeTruthy());
    await waitFor(() => expect(screen.getByTitle("Widget preview").getAttribute("src")).toContain("greeting=Welcome%21"), { timeout: 2000 });
  });

  it("refuses a bad colour before sending and shows it on its tab", async () => {
    render(<BotEditor bot={bot} canEdit />);
    fireEvent.change(screen.getByLabelText("Primary colour (hex)"), { target: { value: "blue" } });
    fireEvent.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(screen.getByText("Enter a hex colour such as #1f6feb.")).toBeTruthy());
    expect(screen.getByRole("tab", { name: "Appearance" }).getAttribute("aria-selected")).toBe("true");
  });

  it("disables the form for a role that cannot write", () => {
    render(<BotEditor bot={bot} canEdit={false} />);
    expect((screen.getByRole("button", { name: "Save changes" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/Your role can view bots/)).toBeTruthy();
  });
});
