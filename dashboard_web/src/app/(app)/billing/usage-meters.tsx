import { useId } from "react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { Meter, MeterLevel } from "@/features/billing/meters";
import { cn } from "@/lib/utils";

const BAR: Record<MeterLevel, string> = { ok: "bg-primary", warning: "bg-warning", full: "bg-destructive" };
const NOTE: Record<MeterLevel, string | null> = { ok: null, warning: "Nearly at the limit", full: "Limit reached" };

/** One quota as a labelled progress bar; the words say what the colour says. */
export function UsageMeter({ meter }: { meter: Meter }) {
  const id = useId();
  const note = NOTE[meter.level];
  return (
    <li className="grid gap-1.5">
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 text-sm">
        <span id={`${id}-label`} className="font-medium">
          {meter.label}
        </span>
        <span className={cn("tabular-nums", meter.level === "ok" ? "text-muted-foreground" : meter.level === "warning" ? "text-warning" : "text-destructive")}>
          {meter.text}
          {note ? <span className="font-medium"> · {note}</span> : null}
        </span>
      </div>
      <div
        role="progressbar"
        aria-labelledby={`${id}-label`}
        aria-valuemin={0}
        aria-valuemax={meter.limit}
        aria-valuenow={Math.min(meter.used, meter.limit)}
        aria-valuetext={note ? `${meter.text}, ${note.toLowerCase()}` : meter.text}
        className="h-2.5 w-full overflow-hidden rounded-full bg-muted outline outline-1 outline-border"
      >
        <div className={cn("h-full rounded-full", BAR[meter.level])} style={{ width: `${meter.percent}%` }} />
      </div>
    </li>
  );
}

export function UsageCard({ meters }: { meters: Meter[] }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Usage</CardTitle>
        <CardDescription>What this business uses of its plan&apos;s limits. Monthly counts start again on the 1st (UTC).</CardDescription>
      </CardHeader>
      <CardContent>
        {meters.length === 0 ? (
          <p className="text-sm text-muted-foreground">No usage is reported for this plan.</p>
        ) : (
          <ul className="grid gap-4 md:grid-cols-2">
            {meters.map((meter) => (
              <UsageMeter key={meter.key} meter={meter} />
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
