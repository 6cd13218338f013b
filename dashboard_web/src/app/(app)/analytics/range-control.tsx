"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { FormField } from "@/components/form-field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import {
  customRangeSchema,
  matchingPreset,
  PRESETS,
  presetRange,
  type CustomRangeValues,
  type DayRange,
} from "@/features/analytics/date-range";

/** The period: three presets, or a custom from/to checked before it is applied. */
export function RangeControl({ value, onChange }: { value: DayRange; onChange: (range: DayRange) => void }) {
  const preset = matchingPreset(value);
  const [custom, setCustom] = useState(preset === null);
  const form = useForm<CustomRangeValues>({ resolver: zodResolver(customRangeSchema), defaultValues: value });
  const { errors } = form.formState;

  const choosePreset = (days: number) => {
    setCustom(false);
    const range = presetRange(days);
    form.reset(range);
    onChange(range);
  };
  const apply = form.handleSubmit((range) => onChange({ from: range.from, to: range.to }));

  return (
    <fieldset className="grid gap-3">
      <legend className="mb-2 text-sm font-medium">Period</legend>
      <div className="flex flex-wrap gap-2">
        {PRESETS.map((days) => (
          <Button
            key={days}
            type="button"
            size="sm"
            variant={!custom && preset === days ? "default" : "outline"}
            aria-pressed={!custom && preset === days}
            onClick={() => choosePreset(days)}
          >
            Last {days} days
          </Button>
        ))}
        <Button type="button" size="sm" variant={custom ? "default" : "outline"} aria-pressed={custom} onClick={() => setCustom(true)}>
          Custom
        </Button>
      </div>
      {custom ? (
        <form onSubmit={apply} noValidate className="grid gap-3 sm:grid-cols-[repeat(2,minmax(0,12rem))_auto] sm:items-start">
          <FormField label="From" error={errors.from?.message}>
            <Input type="date" {...form.register("from")} />
          </FormField>
          <FormField label="To" error={errors.to?.message} hint="At most 366 days.">
            <Input type="date" {...form.register("to")} />
          </FormField>
          <Button type="submit" className="sm:mt-6.5">
            Apply
          </Button>
        </form>
      ) : null}
    </fieldset>
  );
}
