"use client";

import type { UseFormReturn } from "react-hook-form";
import { FormField } from "@/components/form-field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { BOUNDS, RATE_SCOPES, type BotFormValues, type RateScope } from "@/lib/schemas/bots";

type RetrievalKey = "top_k" | "candidates" | "rrf_k" | "vector_weight" | "text_weight" | "min_score" | "evidence_per_product";
export type RateCeilings = Partial<Record<string, { per_minute?: number; burst?: number }>>;

const RETRIEVAL: { key: RetrievalKey; label: string; hint: string; defaultValue: string }[] = [
  { key: "top_k", label: "Products per answer", hint: "How many products the answer may draw on.", defaultValue: "5" },
  { key: "candidates", label: "Candidates", hint: "How many passages each search reads before ranking.", defaultValue: "40" },
  { key: "vector_weight", label: "Meaning weight", hint: "How much similarity of meaning counts (weighted fusion).", defaultValue: "1.0" },
  { key: "text_weight", label: "Keyword weight", hint: "How much matching words count (weighted fusion).", defaultValue: "0.3" },
  { key: "rrf_k", label: "RRF constant", hint: "Reciprocal rank fusion only: higher flattens the ranking.", defaultValue: "60" },
  { key: "min_score", label: "Minimum score", hint: "Passages scoring below this are left out.", defaultValue: "0.0" },
  { key: "evidence_per_product", label: "Passages per product", hint: "How many passages of one product the answer sees.", defaultValue: "3" },
];

const SCOPE_LABELS: Record<RateScope, string> = {
  session: "Messages per shopper session",
  ip: "Requests per IP address",
  bot: "Requests for the whole bot",
  session_create: "New sessions per IP address",
  interaction: "Clicks and ratings per session",
};

export function AdvancedFields({ form, ceilings }: { form: UseFormReturn<BotFormValues>; ceilings: RateCeilings }) {
  const { register, formState } = form;
  const errors = formState.errors;
  return (
    <div className="grid gap-6">
      <section aria-labelledby="retrieval-heading" className="grid gap-4">
        <h2 id="retrieval-heading" className="text-base font-semibold">
          Retrieval
        </h2>
        <FormField label="Fusion" error={errors.retrieval?.fusion?.message} hint="How meaning and keyword matches are combined. Default: weighted.">
          <NativeSelect {...register("retrieval.fusion")}>
            <option value="">Default</option>
            <option value="weighted">Weighted (scores added)</option>
            <option value="rrf">Reciprocal rank fusion</option>
          </NativeSelect>
        </FormField>
        <div className="grid gap-4 sm:grid-cols-2">
          {RETRIEVAL.map(({ key, label, hint, defaultValue }) => (
            <FormField
              key={key}
              label={label}
              error={errors.retrieval?.[key]?.message}
              hint={`${hint} From ${BOUNDS[key].min} to ${BOUNDS[key].max}; empty: the default (${defaultValue}).`}
            >
              <Input inputMode="decimal" placeholder={defaultValue} {...register(`retrieval.${key}`)} />
            </FormField>
          ))}
        </div>
      </section>
      <section aria-labelledby="rates-heading" className="grid gap-4">
        <h2 id="rates-heading" className="text-base font-semibold">
          Rate limits
        </h2>
        <p className="text-sm text-muted-foreground">Overrides of the widget&apos;s limits, within your plan&apos;s ceiling. Empty: the plan&apos;s default.</p>
        {RATE_SCOPES.map((scope) => {
          const ceiling = ceilings[scope];
          const cap = ceiling ? ` Your plan allows up to ${ceiling.per_minute ?? "?"} per minute, burst ${ceiling.burst ?? "?"}.` : "";
          return (
            <fieldset key={scope} className="grid gap-3 rounded-lg border p-4 sm:grid-cols-2">
              <legend className="px-1 text-sm font-medium">{SCOPE_LABELS[scope]}</legend>
              <FormField label="Per minute" error={errors.rate_limits?.[scope]?.per_minute?.message} hint={`Sustained rate.${cap}`}>
                <Input inputMode="decimal" {...register(`rate_limits.${scope}.per_minute`)} />
              </FormField>
              <FormField label="Burst" error={errors.rate_limits?.[scope]?.burst?.message} hint="How many at once before the rate applies.">
                <Input inputMode="numeric" {...register(`rate_limits.${scope}.burst`)} />
              </FormField>
            </fieldset>
          );
        })}
      </section>
    </div>
  );
}
