"use client";

import { useId } from "react";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { loadBots } from "@/features/analytics/api";
import { describeError } from "@/api/problem";
import { useQuery } from "@/lib/use-query";

const ALL = "all";

/** "All bots" or one bot. While the list loads (or if it fails) only "All bots" is offered,
 * so the rest of the page never waits on it. */
export function BotFilter({ value, onChange }: { value: string | null; onChange: (botId: string | null) => void }) {
  const id = useId();
  const bots = useQuery(["analytics-bots"], loadBots);
  const hintId = `${id}-hint`;
  const hint = bots.error ? `The bot list could not be loaded: ${describeError(bots.error)}` : bots.loading ? "Loading bots…" : null;
  return (
    <div className="grid gap-1.5 sm:w-64">
      <Label htmlFor={id}>Bot</Label>
      <Select value={value ?? ALL} onValueChange={(next) => onChange(next === ALL ? null : next)}>
        <SelectTrigger id={id} aria-describedby={hint ? hintId : undefined}>
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value={ALL}>All bots</SelectItem>
          {(bots.data ?? []).map((bot) => (
            <SelectItem key={bot.id} value={bot.id}>
              {bot.name}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
      {hint ? (
        <p id={hintId} className="text-xs text-muted-foreground" role="status">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
