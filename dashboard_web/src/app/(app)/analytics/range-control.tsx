"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { matchingPreset, PRESETS, presetRange, type DayRange } from "@/features/analytics/date-range";

const CustomRangeForm = dynamic(() => import("./custom-range-form"), {
  ssr: false,
  loading: () => <Skeleton className="h-16 w-full max-w-md" />,
});

/** The period: three presets applied at once, or a custom from/to checked before it is. */
export function RangeControl({ value, onChange }: { value: DayRange; onChange: (range: DayRange) => void }) {
  const preset = matchingPreset(value);
  const [custom, setCustom] = useState(preset === null);

  const choosePreset = (days: number) => {
    setCustom(false);
    onChange(presetRange(days));
  };

  return (
    <fieldset className="grid min-w-0 gap-3">
      <legend className="mb-2 text-sm font-medium">Period</legend>
      <div className="flex flex-wrap gap-2">
        {PRESETS.map((days) => {
          const pressed = !custom && preset === days;
          return (
            <Button key={days} type="button" size="sm" variant={pressed ? "default" : "outline"} aria-pressed={pressed} onClick={() => choosePreset(days)}>
              Last {days} days
            </Button>
          );
        })}
        <Button type="button" size="sm" variant={custom ? "default" : "outline"} aria-pressed={custom} onClick={() => setCustom(true)}>
          Custom
        </Button>
      </div>
      {custom ? <CustomRangeForm initial={value} onApply={onChange} /> : null}
    </fieldset>
  );
}
