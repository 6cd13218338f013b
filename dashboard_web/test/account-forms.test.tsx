// The account forms validate in the browser before anything is sent: these render the real
// components and submit them; invalid input never reaches the network.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { NewAccountForm } from "@/app/(public)/accept-invitation/new-account-form";
import { ForgotPasswordForm } from "@/app/(public)/forgot-password/forgot-password-form";
import { ProfileForm } from "@/app/(app)/profile/profile-form";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function noNetwork() {
  const spy = vi.fn(() => Promise.reject(new Error("no network in this test")));
  vi.stubGlobal("fetch", spy);
  return spy;
}

describe("ForgotPasswordForm", () => {
  it("asks for a valid email and sends nothing", async () => {
    const fetch = noNetwork();
    render(<ForgotPasswordForm />);
    fireEvent.change(screen.getByLabelText("Email"), { target: { value: "not-an-email" } });
    fireEvent.click(screen.getByRole("button", { name: "Send reset link" }));
    expect(await screen.findByText("Enter a valid email address.")).toBeTruthy();
    expect(screen.getByLabelText("Email").getAttribute("aria-invalid")).toBe("true");
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe("NewAccountForm (accept an invitation without an account)", () => {
  it("refuses two different passwords", async () => {
    const fetch = noNetwork();
    render(<NewAccountForm token="t" signInHref="/sign-in/" onJoined={() => undefined} />);
    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "0123456789ab" } });
    fireEvent.change(screen.getByLabelText("Confirm password"), { target: { value: "0123456789ac" } });
    fireEvent.click(screen.getByRole("button", { name: "Create account and join" }));
    expect(await screen.findByText("The two passwords do not match.")).toBeTruthy();
    expect(fetch).not.toHaveBeenCalled();
  });
});

const business = {
  id: "b", name: "Acme", currency: "EUR", timezone: "UTC", language: "en", created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z", website: null, support_email: null, support_phone: null, shipping_policy: null, returns_policy: null,
};

describe("ProfileForm", () => {
  it("is read-only for viewers", () => {
    render(<ProfileForm business={business} readOnly />);
    expect((screen.getByLabelText("Business name") as HTMLInputElement).closest("fieldset")?.disabled).toBe(true);
    expect((screen.getByRole("button", { name: "Save profile" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("says when nothing changed instead of sending an empty update", async () => {
    const fetch = noNetwork();
    render(<ProfileForm business={business} readOnly={false} />);
    fireEvent.click(screen.getByRole("button", { name: "Save profile" }));
    await waitFor(() => expect(screen.getByText("Nothing changed.")).toBeTruthy());
    expect(fetch).not.toHaveBeenCalled();
  });

  it("shows the field error for a website without a scheme", async () => {
    noNetwork();
    render(<ProfileForm business={business} readOnly={false} />);
    fireEvent.change(screen.getByLabelText("Website"), { target: { value: "acme" } });
    fireEvent.click(screen.getByRole("button", { name: "Save profile" }));
    expect(await screen.findByText("Enter an address such as https://shop.example.com.")).toBeTruthy();
  });
});
