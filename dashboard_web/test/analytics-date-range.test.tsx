// Berlin moves its clocks on 29 March 2026 (+01:00 → +02:00) and 25 October 2026 (back):
// day arithmetic must not notice. Set before any Date is made.
process.env.TZ = "Europe/Berlin";

import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import CustomRangeForm from "@/app/(app)/analytics/custom-range-form";
import { RangeControl } from "@/app/(app)/analytics/range-control";
import {
  addDays,
  daysInRange,
  matchingPreset,
  presetRange,
  rangeQuery,
} from "@/features/analytics/date-range";
import { formatShare, isQuiet } from "@/features/analytics/format";
import { customRangeSchema } from "@/features/analytics/range-schema";

afterEach(cleanup);

describe("day arithmetic in the browser's zone", () => {
  it("steps over the spring and autumn clock changes one calendar day at a time", () => {
    expect(addDays("2026-03-28", 1)).toBe("2026-03-29");
    expect(addDays("2026-03-29", 1)).toBe("2026-03-30");
    expect(addDays("2026-10-26", -1)).toBe("2026-10-25");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2024-12-31", 366)).toBe("2026-01-01");
  });

  it("counts days in a range with both ends included", () => {
    expect(daysInRange({ from: "2026-03-25", to: "2026-04-02" })).toBe(9);
    expect(daysInRange({ from: "2026-10-20", to: "2026-10-30" })).toBe(11);
    expect(daysInRange({ from: "2026-05-05", to: "2026-05-05" })).toBe(1);
  });

  it("asks the API for local midnights with their own offsets, `to` exclusive", () => {
    expect(rangeQuery({ from: "2026-03-29", to: "2026-03-29" })).toEqual({
      from: "2026-03-29T00:00:00+01:00",
      to: "2026-03-30T00:00:00+02:00",
    });
  });
});

describe("presets", () => {
  // Late evening on the day the clocks change: a "- 7 × 24 h" would land a day off.
  const today = new Date(2026, 2, 29, 23, 30);

  it("are the last N days, today included", () => {
    expect(presetRange(7, today)).toEqual({ from: "2026-03-23", to: "2026-03-29" });
    expect(daysInRange(presetRange(30, today))).toBe(30);
    expect(daysInRange(presetRange(90, today))).toBe(90);
  });

  it("are recognised, and a custom range is not one", () => {
    expect(matchingPreset(presetRange(30, today), today)).toBe(30);
    expect(matchingPreset({ from: "2026-03-01", to: "2026-03-29" }, today)).toBeNull();
  });
});

describe("the custom range schema", () => {
  const issues = (from: string, to: string) => {
    const result = customRangeSchema.safeParse({ from, to });
    return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  };

  it("accepts a range of up to 366 days", () => {
    expect(issues("2026-01-01", "2026-01-01")).toEqual([]);
    expect(issues("2025-01-01", "2026-01-01")).toEqual([]); // 366 days
  });

  it("refuses an end before the start, or more than 366 days", () => {
    expect(issues("2026-02-02", "2026-02-01")).toEqual(["to: The end date must be on or after the start date."]);
    expect(issues("2024-12-31", "2026-01-01")).toEqual(["to: Choose at most 366 days."]);
  });

  it("refuses missing and impossible dates", () => {
    expect(issues("", "2026-01-01")).toEqual(["from: Enter a start date."]);
    expect(issues("2026-02-01", "2026-02-30")).toEqual(["to: Enter an end date."]);
  });
});

describe("RangeControl", () => {
  it("applies a preset at once and shows which one is chosen", () => {
    const onChange = vi.fn();
    render(<RangeControl value={presetRange(30)} onChange={onChange} />);
    expect(screen.getByRole("button", { name: "Last 30 days" }).getAttribute("aria-pressed")).toBe("true");
    fireEvent.click(screen.getByRole("button", { name: "Last 7 days" }));
    expect(onChange).toHaveBeenLastCalledWith(presetRange(7));
  });

  it("opens the custom form on request", async () => {
    render(<RangeControl value={presetRange(30)} onChange={vi.fn()} />);
    fireEvent.click(screen.getByRole("button", { name: "Custom" }));
    expect(await screen.findByLabelText("From")).toBeTruthy();
  });
});

describe("CustomRangeForm", () => {
  it("checks the range before applying it", async () => {
    const onApply = vi.fn();
    render(<CustomRangeForm initial={{ from: "2026-06-01", to: "2026-06-30" }} onApply={onApply} />);
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2026-06-10" } });
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "2026-06-01" } });
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Apply" })));
    expect(await screen.findByText("The end date must be on or after the start date.")).toBeTruthy();
    expect(screen.getByLabelText("To").getAttribute("aria-invalid")).toBe("true");
    expect(onApply).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText("To"), { target: { value: "2026-06-20" } });
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Apply" })));
    expect(onApply).toHaveBeenCalledWith({ from: "2026-06-10", to: "2026-06-20" });
  });
});

describe("formatting", () => {
  it("writes shares as percentages and no answers as a dash", () => {
    expect(formatShare(0.875)).toBe("87.5%");
    expect(formatShare(null)).toBe("—");
  });
  it("knows a series with nothing in it", () => {
    expect(isQuiet([{ conversations: 0, messages: 0 }])).toBe(true);
    expect(isQuiet([{ conversations: 0, messages: 2 }])).toBe(false);
  });
});
