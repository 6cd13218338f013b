"use client";

import { useId } from "react";
import { describeError } from "@/api/problem";
import { Label } from "@/components/ui/label";
import { loadBots } from "@/features/analytics/api";
import { useQuery } from "@/lib/use-query";

const ALL = "";

/** "All bots" or one bot. While the list loads (or if it fails) only "All bots" is offered,
 * so the rest of the page never waits on it. A native select: fully accessible, and the
 * styled popover one would cost ~33 KB of this page's first load. */
export function BotFilter({ value, onChange }: { value: string | null; onChange: (botId: string | null) => void }) {
  const id = useId();
  const bots = useQuery(["analytics-bots"], loadBots);
  const hintId = `${id}-hint`;
  const hint = bots.error ? `The bot list could not be loaded: ${describeError(bots.error)}` : bots.loading ? "Loading bots…" : null;
  return (
    <div className="grid gap-1.5 sm:w-64">
      <Label htmlFor={id}>Bot</Label>
      <select
        id={id}
        value={value ?? ALL}
        onChange={(event) => onChange(event.target.value === ALL ? null : event.target.value)}
        aria-describedby={hint ? hintId : undefined}
        className="h-10 w-full rounded-md border border-input bg-background px-3 py-2 text-sm"
      >
        <option value={ALL}>All bots</option>
        {(bots.data ?? []).map((bot) => (
          <option key={bot.id} value={bot.id}>
            {bot.name}
          </option>
        ))}
      </select>
      {hint ? (
        <p id={hintId} className="text-xs text-muted-foreground" role="status">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
