"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { FormField } from "@/components/form-field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { MAX_RANGE_DAYS, type DayRange } from "@/features/analytics/date-range";
import { customRangeSchema, type CustomRangeValues } from "@/features/analytics/range-schema";

/** From / To, checked (from ≤ to, at most 366 days) before the range is applied. Loaded
 * only when "Custom" is chosen, so the form libraries stay out of the page's first load. */
export default function CustomRangeForm({ initial, onApply }: { initial: DayRange; onApply: (range: DayRange) => void }) {
  const form = useForm<CustomRangeValues>({ resolver: zodResolver(customRangeSchema), defaultValues: initial });
  const { errors } = form.formState;
  const apply = form.handleSubmit((range) => onApply({ from: range.from, to: range.to }));
  return (
    <form onSubmit={apply} noValidate className="grid gap-3 sm:grid-cols-[repeat(2,minmax(0,12rem))_auto] sm:items-start">
      <FormField label="From" error={errors.from?.message}>
        <Input type="date" {...form.register("from")} />
      </FormField>
      <FormField label="To" error={errors.to?.message} hint={`At most ${MAX_RANGE_DAYS} days.`}>
        <Input type="date" {...form.register("to")} />
      </FormField>
      <Button type="submit" className="sm:mt-6.5">
        Apply
      </Button>
    </form>
  );
}
