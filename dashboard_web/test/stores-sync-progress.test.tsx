import { describe, expect, it } from "vitest";
import { countsText, durationText, isJobActive, outcomeText, progressPercent, progressText } from "@/features/stores/sync-progress";
import { relativeTime } from "@/components/relative-time";

describe("sync progress", () => {
  it("polls only queued and running jobs", () => {
    expect(["queued", "running"].map((status) => isJobActive({ status }))).toEqual([true, true]);
    expect(["succeeded", "failed", "cancelled"].some((status) => isJobActive({ status }))).toBe(false);
  });
  it("is indeterminate until the total is known", () => {
    expect(progressPercent({ processed: 5, total: null, progress: null })).toBeNull();
    expect(progressPercent({ processed: 5, total: 20, progress: null })).toBe(25);
    expect(progressPercent({ processed: 5, total: 20, progress: 0.5 })).toBe(50);
    expect(progressPercent({ processed: 30, total: 20, progress: null })).toBe(100);
  });
  it("describes the counts and the outcome", () => {
    expect(progressText({ status: "queued", processed: 0, total: null })).toBe("Waiting to start…");
    expect(progressText({ status: "running", processed: 3, total: 10 })).toBe("3 of 10 products");
    expect(outcomeText({ status: "succeeded", error: null })).toBe("Sync completed");
    expect(outcomeText({ status: "failed", error: "The store could not be reached" })).toBe("Sync failed: The store could not be reached");
    expect(outcomeText({ status: "running", error: null })).toBeNull();
    expect(countsText({ created: 12, updated: 0, deleted: 2 })).toBe("12 created, 2 deleted");
    expect(countsText({})).toBe("No changes");
  });
  it("measures the duration", () => {
    expect(durationText({ started_at: "2026-01-01T10:00:00Z", finished_at: "2026-01-01T10:01:05Z" })).toBe("1 min 5 s");
    expect(durationText({ started_at: "2026-01-01T10:00:00Z", finished_at: null })).toBe("—");
  });
  it("says times relative to now", () => {
    const now = Date.parse("2026-01-01T12:00:00Z");
    expect(relativeTime("2026-01-01T11:55:00Z", now)).toMatch(/5 minutes ago/);
    expect(relativeTime("2026-01-01T11:59:50Z", now)).toBe("just now");
  });
});
