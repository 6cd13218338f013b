import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectStoreDialog } from "@/features/stores/connect-store-dialog";
import { describeTestProblem } from "@/features/stores/test-problem";
import { connectStoreSchema, credentialsSchema, isStoreUrl } from "@/lib/schemas/stores";

afterEach(cleanup);

describe("isStoreUrl", () => {
  it.each(["https://shop.example.com", "http://shop.example.com:8080/store", "  https://shop.example.com/  "])("accepts %s", (url) => {
    expect(isStoreUrl(url)).toBe(true);
  });
  it.each(["shop.example.com", "ftp://shop.example.com", "https://user:pw@shop.example.com", "https://shop.example.com/?a=1", "https://shop.example.com/#x", "https://shop example.com", "https://"])(
    "refuses %s",
    (url) => {
      expect(isStoreUrl(url)).toBe(false);
    },
  );
});

describe("connectStoreSchema", () => {
  it("trims and accepts a complete form", () => {
    const parsed = connectStoreSchema.parse({ url: " https://shop.example.com ", consumer_key: " ck_1 ", consumer_secret: "cs_1" });
    expect(parsed).toEqual({ url: "https://shop.example.com", consumer_key: "ck_1", consumer_secret: "cs_1" });
  });
  it("names each missing field", () => {
    const result = connectStoreSchema.safeParse({ url: "", consumer_key: "", consumer_secret: "  " });
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((issue) => issue.message) ?? [];
    expect(messages).toContain("Enter the consumer key.");
    expect(messages).toContain("Enter the consumer secret.");
    expect(messages.some((message) => message.startsWith("Enter the store's address"))).toBe(true);
  });
  it("limits keys to 200 characters like the server", () => {
    expect(credentialsSchema.safeParse({ consumer_key: "k".repeat(201), consumer_secret: "s" }).success).toBe(false);
    expect(credentialsSchema.safeParse({ consumer_key: "k".repeat(200), consumer_secret: "s" }).success).toBe(true);
  });
});

describe("describeTestProblem", () => {
  it("leads with the merchant's words and keeps the server's fix", () => {
    const words = describeTestProblem({ code: "url_not_allowed", title: "URL not allowed", detail: "the host is a private address" });
    expect(words.lead).toMatch(/internal or private network/);
    expect(words.detail).toBe("the host is a private address");
  });
  it("falls back to the server's title for an unknown code", () => {
    expect(describeTestProblem({ code: "new_code", title: "Something new", detail: "" }).lead).toBe("Something new");
  });
});

describe("ConnectStoreDialog", () => {
  it("validates before sending and keeps the exact labels", async () => {
    render(<ConnectStoreDialog onConnected={() => undefined} />);
    fireEvent.click(screen.getByRole("button", { name: "Connect a store" }));
    expect(await screen.findByRole("heading", { name: "Connect your WooCommerce store" })).toBeTruthy();
    fireEvent.change(await screen.findByLabelText("Store URL"), { target: { value: "shop.example.com" } });
    fireEvent.click(screen.getByRole("button", { name: "Connect" }));
    await waitFor(() => expect(screen.getByText(/Enter the store's address/)).toBeTruthy());
    expect(screen.getByText("Enter the consumer key.")).toBeTruthy();
    expect(screen.getByLabelText("Consumer secret")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Test connection" })).toBeTruthy();
  });
});
