"use client";

import Link from "next/link";
import { useWatch, type UseFormReturn } from "react-hook-form";
import { FormField } from "@/components/form-field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { BOUNDS, type BotFormValues } from "@/lib/schemas/bots";

/** Models the form may offer: the plan's (on the platform's key), plus the bot's current one
 * so loading a bot never silently changes it. */
export function modelOptions(planModels: readonly string[], current: string): { value: string; inPlan: boolean }[] {
  const options = planModels.filter((m) => m !== "*").map((value) => ({ value, inPlan: true }));
  if (current && !planModels.includes(current)) options.push({ value: current, inPlan: false });
  return options;
}

export function ModelFields({ form, planModels, planName }: { form: UseFormReturn<BotFormValues>; planModels: readonly string[]; planName?: string }) {
  const { register, control, formState } = form;
  const errors = formState.errors.llm;
  const [provider, model, apiKey, hasKey] = useWatch({ control, name: ["llm.provider", "llm.model", "llm.api_key", "llm.has_api_key"] });
  // Any model works with the bot's own key, offline, or on a plan that allows every model.
  const anyModel = hasKey || apiKey.trim() !== "" || provider === "offline" || planModels.includes("*");
  const range = (key: keyof typeof BOUNDS) => `From ${BOUNDS[key].min} to ${BOUNDS[key].max}; empty: the default.`;
  return (
    <div className="grid gap-4">
      <FormField label="Provider" error={errors?.provider?.message} hint="Shopbot's model on your plan, your own OpenAI-compatible account, or offline (canned answers, for testing).">
        <NativeSelect {...register("llm.provider")}>
          <option value="platform">Shopbot (your plan&apos;s models)</option>
          <option value="openai">OpenAI or compatible, with your own key</option>
          <option value="offline">Offline (testing)</option>
        </NativeSelect>
      </FormField>
      {anyModel ? (
        <FormField label="Model" error={errors?.model?.message} hint="A model name such as gpt-4o-mini; empty: the default.">
          <Input autoComplete="off" {...register("llm.model")} />
        </FormField>
      ) : (
        <FormField
          label="Model"
          error={errors?.model?.message}
          hint={
            <>
              The models the {planName ?? "current"} plan includes on Shopbot&apos;s key. Others need your own API key or a{" "}
              <Link href="/billing/" className="text-primary underline">
                bigger plan
              </Link>
              .
            </>
          }
        >
          <NativeSelect {...register("llm.model")}>
            <option value="">Default</option>
            {modelOptions(planModels, model).map((option) => (
              <option key={option.value} value={option.value}>
                {option.inPlan ? option.value : `${option.value} (not in your plan)`}
              </option>
            ))}
          </NativeSelect>
        </FormField>
      )}
      <div className="grid gap-4 sm:grid-cols-3">
        <FormField label="Temperature" error={errors?.temperature?.message} hint={`Higher is more varied. ${range("temperature")}`}>
          <Input inputMode="decimal" {...register("llm.temperature")} />
        </FormField>
        <FormField label="Max answer tokens" error={errors?.max_tokens?.message} hint={range("max_tokens")}>
          <Input inputMode="numeric" {...register("llm.max_tokens")} />
        </FormField>
        <FormField label="Timeout (seconds)" error={errors?.timeout_s?.message} hint={range("timeout_s")}>
          <Input inputMode="decimal" {...register("llm.timeout_s")} />
        </FormField>
      </div>
      <fieldset className="grid gap-4 rounded-lg border p-4">
        <legend className="px-1 text-sm font-medium">Your own endpoint (optional)</legend>
        <FormField label="Endpoint URL" error={errors?.base_url?.message} hint="An OpenAI-compatible API, such as https://api.openai.com/v1. It needs your own API key: Shopbot's key never goes to an address you name.">
          <Input type="url" inputMode="url" placeholder="https://" {...register("llm.base_url")} />
        </FormField>
        <FormField
          label="API key"
          error={errors?.api_key?.message}
          hint={hasKey ? "A key is saved (it is never shown). Type a new one to replace it." : "Stored encrypted and never shown again."}
        >
          <Input type="password" autoComplete="new-password" {...register("llm.api_key")} />
        </FormField>
      </fieldset>
    </div>
  );
}
