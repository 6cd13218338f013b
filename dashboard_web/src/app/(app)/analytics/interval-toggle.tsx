"use client";

import { useId } from "react";
import { Button } from "@/components/ui/button";
import { HOURLY_MAX_DAYS, type Interval } from "@/features/analytics/interval";

const LABELS: Record<Interval, string> = { day: "By day", hour: "By hour" };

/** Day or hour buckets; "By hour" is off for periods over a week, with the reason beside it. */
export function IntervalToggle({ value, hourly, onChange }: { value: Interval; hourly: boolean; onChange: (interval: Interval) => void }) {
  const hintId = `${useId()}-hint`;
  return (
    <div role="group" aria-label="Chart detail" className="flex flex-wrap items-center gap-2">
      {(["day", "hour"] as const).map((interval) => (
        <Button
          key={interval}
          type="button"
          size="sm"
          variant={value === interval ? "default" : "outline"}
          aria-pressed={value === interval}
          disabled={interval === "hour" && !hourly}
          aria-describedby={interval === "hour" && !hourly ? hintId : undefined}
          onClick={() => onChange(interval)}
        >
          {LABELS[interval]}
        </Button>
      ))}
      {!hourly ? (
        <p id={hintId} className="text-xs text-muted-foreground">
          Hourly charts cover at most {HOURLY_MAX_DAYS} days.
        </p>
      ) : null}
    </div>
  );
}
