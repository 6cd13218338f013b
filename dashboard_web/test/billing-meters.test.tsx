import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { UsageMeter } from "@/app/(app)/billing/usage-meters";
import { formatAmount, meter, meterLevel, meterPercent, usageMeters } from "@/features/billing/meters";

afterEach(cleanup);

describe("meter percentage and level", () => {
  it("is the share of the limit, capped at 100", () => {
    expect(meterPercent(250, 1000)).toBe(25);
    expect(meterPercent(1500, 1000)).toBe(100);
    expect(meterPercent(0, 0)).toBe(0);
    expect(meterPercent(1, 0)).toBe(100);
  });

  it("warns above 80 % and is full at the limit", () => {
    expect(meterLevel(800, 1000)).toBe("ok");
    expect(meterLevel(801, 1000)).toBe("warning");
    expect(meterLevel(999, 1000)).toBe("warning");
    expect(meterLevel(1000, 1000)).toBe("full");
    expect(meterLevel(1200, 1000)).toBe("full");
    expect(meterLevel(0, 0)).toBe("ok");
    expect(meterLevel(3, 0)).toBe("full");
  });

  it("says the numbers in words", () => {
    expect(meter("messages_per_month", "Messages", "count", 123, 1000).text).toBe("123 of 1,000");
    expect(formatAmount(1_234_567, "bytes")).toBe("1.2 MB");
    expect(formatAmount(50_000_000, "bytes")).toBe("50 MB");
    expect(formatAmount(512, "bytes")).toBe("512 bytes");
  });
});

describe("usageMeters", () => {
  it("lists every reported quota in the merchant's order, unknown ones last", () => {
    const meters = usageMeters(
      { seats: 2, messages_per_month: 900, knowledge_bytes: 10, brand_new_quota: 1 },
      { seats: 3, messages_per_month: 1000, knowledge_bytes: 1000, brand_new_quota: 5, models: ["a"] },
    );
    expect(meters.map((m) => [m.label, m.level])).toEqual([
      ["Messages this month", "warning"],
      ["Knowledge storage", "ok"],
      ["Team seats", "ok"],
      ["Brand new quota", "ok"],
    ]);
  });

  it("leaves out a quota without a numeric limit", () => {
    expect(usageMeters({ bots: 1 }, {})).toEqual([]);
  });
});

describe("UsageMeter", () => {
  it("is a labelled progress bar with its value in words", () => {
    render(
      <ul>
        <UsageMeter meter={meter("bots", "Bots", "count", 9, 10)} />
      </ul>,
    );
    const bar = screen.getByRole("progressbar", { name: "Bots" });
    expect(bar.getAttribute("aria-valuenow")).toBe("9");
    expect(bar.getAttribute("aria-valuemax")).toBe("10");
    expect(bar.getAttribute("aria-valuetext")).toBe("9 of 10, nearly at the limit");
    expect(screen.getByText("9 of 10")).toBeTruthy();
  });
});
