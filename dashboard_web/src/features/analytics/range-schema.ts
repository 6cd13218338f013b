// The custom period's checks, apart from ./date-range so that only the custom form (loaded
// on demand) brings zod into the page.
import { z } from "zod/mini";
import { daysInRange, isIsoDay, MAX_RANGE_DAYS } from "./date-range";

const day = (message: string) => z.string().check(z.refine(isIsoDay, message));

export const customRangeSchema = z
  .object({ from: day("Enter a start date."), to: day("Enter an end date.") })
  .check(
    z.refine((range) => !isIsoDay(range.from) || !isIsoDay(range.to) || range.from <= range.to, {
      message: "The end date must be on or after the start date.",
      path: ["to"],
    }),
    z.refine((range) => !(daysInRange(range) > MAX_RANGE_DAYS), {
      message: `Choose at most ${MAX_RANGE_DAYS} days.`,
      path: ["to"],
    }),
  );
export type CustomRangeValues = z.infer<typeof customRangeSchema>;

