"use client";

import { zodResolver } from "@/lib/zod-resolver";
import Link from "next/link";
import { useMemo, useState } from "react";
import { useForm, useWatch, type FieldErrors, type Path } from "react-hook-form";
import { api, unwrap } from "@/api/client";
import { ApiProblem, describeError } from "@/api/problem";
import { PageHeader } from "@/components/page-header";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { READ_ONLY_REASON } from "@/features/bots/access";
import { formPathOf, toFormValues, toPatch } from "@/features/bots/form-values";
import { previewSettings } from "@/features/bots/preview";
import type { Billing, BotOut } from "@/features/bots/queries";
import { planModels } from "@/features/bots/queries";
import { botFormSchema, type BotFormValues } from "@/lib/schemas/bots";
import { AdvancedFields, type RateCeilings } from "./advanced-fields";
import { AppearanceFields } from "./appearance-fields";
import { PrivacyFields } from "./privacy-fields";
import { ModelFields } from "./model-fields";
import { OriginsFields } from "./origins-fields";
import { PersonaFields } from "./persona-fields";
import { TryChat } from "./try-chat";
import { WidgetPreviewFrame } from "./widget-preview-frame";

type FormTab = "persona" | "appearance" | "origins" | "model" | "advanced" | "privacy";
const TAB_OF: Record<string, FormTab> = {
  theme: "appearance",
  allowed_origins: "origins",
  llm: "model",
  retrieval: "advanced",
  rate_limits: "advanced",
  mask_contact_details: "privacy",
  consent_required: "privacy",
  consent_text: "privacy",
};

/** The tab holding the first invalid field, so a failed save shows where. */
export function tabOfErrors(errors: FieldErrors<BotFormValues> | readonly string[]): FormTab {
  const first = Array.isArray(errors) ? errors[0] : Object.keys(errors)[0];
  return TAB_OF[String(first ?? "").split(".")[0] ?? ""] ?? "persona";
}

export function BotEditor({ bot: loaded, billing, canEdit }: { bot: BotOut; billing?: Billing; canEdit: boolean }) {
  const [bot, setBot] = useState(loaded);
  const initial = useMemo(() => toFormValues(bot), [bot]);
  const form = useForm<BotFormValues>({ resolver: zodResolver(botFormSchema), defaultValues: initial, mode: "onBlur" });
  const [tab, setTab] = useState<string>("persona");
  const [status, setStatus] = useState<string>("");
  const [formError, setFormError] = useState<string | null>(null);
  const { isDirty, isSubmitting } = form.formState;
  const watched = useWatch({ control: form.control, name: ["name", "greeting", "theme"] });
  const preview = previewSettings({ name: watched[0], greeting: watched[1], theme: watched[2] }, bot.widget_key, bot.updated_at);

  const onSubmit = form.handleSubmit(
    async (values) => {
      setStatus("");
      setFormError(null);
      const patch = toPatch(initial, values);
      if (Object.keys(patch).length === 0) return setStatus("No changes to save");
      try {
        const saved = await unwrap(api.PATCH("/v1/bots/{bot_id}", { params: { path: { bot_id: bot.id } }, body: patch }));
        setBot(saved);
        form.reset(toFormValues(saved));
        setStatus("Saved");
      } catch (error) {
        setFormError(placeServerErrors(error));
      }
    },
    (errors) => setTab(tabOfErrors(errors)),
  );

  function placeServerErrors(error: unknown): string {
    if (error instanceof ApiProblem && error.code === "quota_exceeded" && error.body.quota === "models") {
      form.setError("llm.model", { type: "server", message: "Your plan does not include this model on Shopbot's key." });
      setTab("model");
      return error.body.detail ?? error.friendly;
    }
    if (!(error instanceof ApiProblem)) return describeError(error);
    const placed = error.fieldErrors.map((fieldError) => ({ path: formPathOf(fieldError.field), message: fieldError.message })).filter((e) => e.path !== null);
    for (const { path, message } of placed) form.setError(path as Path<BotFormValues>, { type: "server", message });
    if (placed.length) setTab(tabOfErrors(placed.map((e) => e.path as string)));
    return placed.length ? "Some settings need a fix: see the highlighted fields." : error.friendly;
  }

  const models = planModels(billing);
  const ceilings = (billing?.limits.rate_limit_ceiling ?? {}) as RateCeilings;
  return (
    <>
      <PageHeader title={bot.name} description={<Link href="/bots/" className="text-primary underline">All bots</Link>} />
      {bot.suspended_by_plan ? (
        <Alert variant="destructive" className="mb-4">
          This bot is suspended: your plan has fewer bot slots than bots. <Link href="/billing/" className="underline">Upgrade</Link> to enable it again.
        </Alert>
      ) : null}
      {!canEdit ? <p className="mb-4 text-sm text-muted-foreground">{READ_ONLY_REASON}</p> : null}
      <div className="grid gap-8 xl:grid-cols-[minmax(0,1fr)_480px]">
        <Tabs value={tab} onValueChange={setTab}>
          <div className="overflow-x-auto">
            {/* Seven tabs wrap onto a second row in the narrower column instead of hiding. */}
            <TabsList className="h-auto">
              <TabsTrigger value="persona">Persona</TabsTrigger>
              <TabsTrigger value="appearance">Appearance</TabsTrigger>
              <TabsTrigger value="origins">Origins</TabsTrigger>
              <TabsTrigger value="model">Model</TabsTrigger>
              <TabsTrigger value="advanced">Advanced</TabsTrigger>
              <TabsTrigger value="privacy">Privacy</TabsTrigger>
              <TabsTrigger value="try">Try it</TabsTrigger>
            </TabsList>
          </div>
          <form onSubmit={onSubmit} noValidate aria-label="Bot settings" className={tab === "try" ? "hidden" : undefined}>
            <fieldset disabled={!canEdit} className="min-w-0">
              <TabsContent value="persona" forceMount className="data-[state=inactive]:hidden">
                <PersonaFields form={form} />
              </TabsContent>
              <TabsContent value="appearance" forceMount className="data-[state=inactive]:hidden">
                <AppearanceFields form={form} />
              </TabsContent>
              <TabsContent value="origins" forceMount className="data-[state=inactive]:hidden">
                <OriginsFields form={form} />
              </TabsContent>
              <TabsContent value="model" forceMount className="data-[state=inactive]:hidden">
                <ModelFields form={form} planModels={models} planName={billing?.plan.name} />
              </TabsContent>
              <TabsContent value="advanced" forceMount className="data-[state=inactive]:hidden">
                <AdvancedFields form={form} ceilings={ceilings} />
              </TabsContent>
              <TabsContent value="privacy" forceMount className="data-[state=inactive]:hidden">
                <PrivacyFields form={form} />
              </TabsContent>
            </fieldset>
            <div className="sticky bottom-0 mt-6 flex flex-wrap items-center gap-3 border-t bg-background py-3">
              <Button type="submit" disabled={!canEdit || isSubmitting}>
                {isSubmitting ? "Saving…" : "Save changes"}
              </Button>
              <span role="status" className="text-sm">
                {isDirty ? "Unsaved changes" : status}
              </span>
            </div>
            {formError ? <Alert variant="destructive">{formError}</Alert> : null}
          </form>
          <TabsContent value="try">
            <TryChat botId={bot.id} canAsk={canEdit} />
          </TabsContent>
        </Tabs>
        <aside className="xl:sticky xl:top-4 xl:self-start">
          <WidgetPreviewFrame settings={preview} />
        </aside>
      </div>
    </>
  );
}
