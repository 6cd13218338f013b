"use client";

import { zodResolver } from "@/lib/zod-resolver";
import { useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { FormField } from "@/components/form-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardFooter } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { currencyOptions, timeZoneOptions } from "@/features/account/business-options";
import { NativeSelect } from "@/components/ui/native-select";
import { applyServerErrors } from "@/lib/forms";
import { businessSchema, changedBusinessFields, type BusinessValues } from "@/lib/schemas/account";

type Business = components["schemas"]["BusinessOut"];
const FIELDS = ["name", "website", "support_email", "support_phone", "currency", "timezone", "language", "shipping_policy", "returns_policy"] as const;

function toValues(business: Business): BusinessValues {
  return {
    name: business.name,
    website: business.website ?? "",
    support_email: business.support_email ?? "",
    support_phone: business.support_phone ?? "",
    currency: business.currency,
    timezone: business.timezone,
    language: business.language,
    shipping_policy: business.shipping_policy ?? "",
    returns_policy: business.returns_policy ?? "",
  };
}

export function ProfileForm({
  business,
  readOnly,
  onSaved,
}: {
  business: Business;
  readOnly: boolean;
  /** Told the saved profile (the "Your data" card confirms deletion with the current name). */
  onSaved?: (business: Business) => void;
}) {
  const [saved, setSaved] = useState<BusinessValues>(() => toValues(business));
  const [formError, setFormError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const form = useForm<BusinessValues>({ resolver: zodResolver(businessSchema), defaultValues: saved });
  const { errors, isSubmitting, isDirty } = form.formState;
  const currencies = useMemo(() => currencyOptions(saved.currency), [saved.currency]);
  const zones = useMemo(() => timeZoneOptions(saved.timezone), [saved.timezone]);

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    setStatus("");
    const patch = changedBusinessFields(saved, values);
    if (Object.keys(patch).length === 0) {
      setStatus("Nothing changed.");
      return;
    }
    try {
      const updated = await unwrap(api.PATCH("/v1/business", { body: patch }));
      const next = toValues(updated);
      setSaved(next);
      form.reset(next);
      setStatus("Profile saved");
      onSaved?.(updated);
    } catch (error) {
      setFormError(applyServerErrors(error, form.setError, FIELDS));
    }
  });

  return (
    <Card>
      <form onSubmit={onSubmit} noValidate>
        <fieldset disabled={readOnly} className="contents">
          <CardContent className="grid gap-4 pt-5 sm:grid-cols-2">
            {formError ? (
              <Alert variant="destructive" className="sm:col-span-2">
                {formError}
              </Alert>
            ) : null}
            <FormField label="Business name" error={errors.name?.message}>
              <Input autoComplete="organization" {...form.register("name")} />
            </FormField>
            <FormField label="Website" hint="Your shop's address, e.g. https://shop.example.com" error={errors.website?.message}>
              <Input type="url" autoComplete="url" {...form.register("website")} />
            </FormField>
            <FormField label="Support email" hint="Where the bot sends shoppers who need a person." error={errors.support_email?.message}>
              <Input type="email" autoComplete="email" {...form.register("support_email")} />
            </FormField>
            <FormField label="Support phone" error={errors.support_phone?.message}>
              <Input type="tel" autoComplete="tel" {...form.register("support_phone")} />
            </FormField>
            <FormField label="Currency" error={errors.currency?.message}>
              <NativeSelect {...form.register("currency")}>
                {currencies.map((code) => (
                  <option key={code} value={code}>
                    {code}
                  </option>
                ))}
              </NativeSelect>
            </FormField>
            <FormField label="Time zone" error={errors.timezone?.message}>
              <NativeSelect {...form.register("timezone")}>
                {zones.map((zone) => (
                  <option key={zone} value={zone}>
                    {zone.replaceAll("_", " ")}
                  </option>
                ))}
              </NativeSelect>
            </FormField>
            <FormField label="Language" hint="The shop's main language, e.g. en, de or pt-BR." error={errors.language?.message}>
              <Input {...form.register("language")} />
            </FormField>
            <div className="hidden sm:block" />
            <div className="sm:col-span-2">
              <FormField label="Shipping policy" hint="What the bot tells shoppers about delivery times and costs." error={errors.shipping_policy?.message}>
                <Textarea rows={5} {...form.register("shipping_policy")} />
              </FormField>
            </div>
            <div className="sm:col-span-2">
              <FormField label="Returns policy" error={errors.returns_policy?.message}>
                <Textarea rows={5} {...form.register("returns_policy")} />
              </FormField>
            </div>
          </CardContent>
          <CardFooter className="flex-wrap">
            <Button type="submit" disabled={readOnly || isSubmitting}>
              {isSubmitting ? "Saving…" : "Save profile"}
            </Button>
            <p role="status" aria-live="polite" className="text-sm font-medium">
              {isDirty ? "" : status}
            </p>
          </CardFooter>
        </fieldset>
      </form>
    </Card>
  );
}
