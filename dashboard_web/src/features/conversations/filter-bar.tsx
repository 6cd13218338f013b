"use client";

import { useEffect, useState } from "react";
import type { components } from "@/api/schema";
import { FormField } from "@/components/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { dateRangeError, type ConversationFilters } from "./filters";

type Bot = components["schemas"]["BotOut"];

export function FilterBar({ filters, bots, onChange }: { filters: ConversationFilters; bots: Bot[]; onChange: (next: ConversationFilters) => void }) {
  const set = <K extends keyof ConversationFilters>(key: K, value: ConversationFilters[K]) => onChange({ ...filters, [key]: value });
  const rangeError = dateRangeError(filters);
  const [text, setText] = useState(filters.text);
  // The search asks the server once typing pauses, not on every key.
  useEffect(() => {
    if (text === filters.text) return;
    const timer = window.setTimeout(() => onChange({ ...filters, text }), 400);
    return () => window.clearTimeout(timer);
  }, [text, filters, onChange]);
  return (
    <fieldset className="grid gap-4 rounded-lg border p-4 sm:grid-cols-2 lg:grid-cols-4">
      <legend className="px-1 text-sm font-semibold">Filters</legend>
      <div className="sm:col-span-2 lg:col-span-4">
        <FormField label="Search messages" hint="Words a shopper or the bot wrote in the conversation">
          <Input type="search" maxLength={200} value={text} onChange={(event) => setText(event.target.value)} />
        </FormField>
      </div>
      <FormField label="Bot">
        <NativeSelect value={filters.botId} onChange={(event) => set("botId", event.target.value)}>
          <option value="">All bots</option>
          {bots.map((bot) => (
            <option key={bot.id} value={bot.id}>
              {bot.name}
            </option>
          ))}
        </NativeSelect>
      </FormField>
      <FormField label="From">
        <Input type="date" value={filters.from} max={filters.to || undefined} onChange={(event) => set("from", event.target.value)} />
      </FormField>
      <FormField label="To" error={rangeError ?? undefined}>
        <Input type="date" value={filters.to} min={filters.from || undefined} onChange={(event) => set("to", event.target.value)} />
      </FormField>
      <FormField label="Feedback">
        <NativeSelect value={filters.rating} onChange={(event) => set("rating", event.target.value as ConversationFilters["rating"])}>
          <option value="">Any</option>
          <option value="up">Thumbs up</option>
          <option value="down">Thumbs down</option>
        </NativeSelect>
      </FormField>
      <FormField label="Asked for a person">
        <NativeSelect value={filters.handoff} onChange={(event) => set("handoff", event.target.value as ConversationFilters["handoff"])}>
          <option value="">Any conversation</option>
          <option value="open">Waiting for a reply</option>
          <option value="closed">Closed</option>
          <option value="any">Open or closed</option>
        </NativeSelect>
      </FormField>
      <div className="flex items-center gap-2 sm:col-span-2">
        <input id="filter-unanswered" type="checkbox" className="size-4" checked={filters.unanswered} onChange={(event) => set("unanswered", event.target.checked)} />
        <Label htmlFor="filter-unanswered">Only unanswered (the bot found nothing to answer from)</Label>
      </div>
      <div className="flex items-center gap-2 sm:col-span-2">
        <input id="filter-previews" type="checkbox" className="size-4" checked={filters.previews} onChange={(event) => set("previews", event.target.checked)} />
        <Label htmlFor="filter-previews">Include dashboard previews</Label>
      </div>
    </fieldset>
  );
}
