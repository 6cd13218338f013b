"use client";

import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { FormField } from "@/components/form-field";
import { SwitchField } from "@/components/switch-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { NativeSelect } from "@/components/ui/native-select";
import { privacyPatch, savePrivacy, toPrivacyValues, type Business } from "@/features/privacy/api";
import { applyServerErrors } from "@/lib/forms";
import { privacySchema, type PrivacyValues, type RetentionChoice } from "@/lib/schemas/privacy";
import { zodResolver } from "@/lib/zod-resolver";

const FIELDS = ["retention_days", "mask_contact_details"] as const;
const RETENTION_LABELS: Record<RetentionChoice, string> = {
  keep: "Keep until deleted by hand",
  "30": "30 days",
  "90": "90 days",
  "180": "180 days",
  "365": "365 days",
};

/** How long shoppers' conversations are kept and whether their contact details are masked.
 * Sends only what changed, like the profile form. */
export function PrivacyForm({ business, readOnly }: { business: Business; readOnly: boolean }) {
  const [saved, setSaved] = useState<PrivacyValues>(() => toPrivacyValues(business));
  const [formError, setFormError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const form = useForm<PrivacyValues>({ resolver: zodResolver(privacySchema), defaultValues: saved });
  const { errors, isSubmitting, isDirty } = form.formState;
  // useWatch + setValue rather than <Controller>: Controller would grow the form chunk every
  // form page shares, and the sign-in pages sit at the first-load budget.
  const masked = useWatch({ control: form.control, name: "mask_contact_details" });

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    setStatus("");
    const patch = privacyPatch(saved, values);
    if (Object.keys(patch).length === 0) return setStatus("Nothing changed.");
    try {
      const next = toPrivacyValues(await savePrivacy(patch));
      setSaved(next);
      form.reset(next);
      setStatus("Privacy settings saved");
    } catch (error) {
      setFormError(applyServerErrors(error, form.setError, FIELDS));
    }
  });

  return (
    <Card className="mt-6">
      <CardHeader>
        <CardTitle>Privacy</CardTitle>
        <CardDescription>What Shopbot keeps of the conversations shoppers have with your assistant.</CardDescription>
      </CardHeader>
      <form onSubmit={onSubmit} noValidate>
        <fieldset disabled={readOnly} className="contents">
          <CardContent className="grid gap-5">
            {formError ? <Alert variant="destructive">{formError}</Alert> : null}
            <FormField
              label="Keep conversations for"
              error={errors.retention_days?.message}
              hint="Conversations without a new message for this long are deleted automatically, with their messages, ratings and the shopper's widget events. Anonymous analytics totals (counts, answer times, costs) are kept."
            >
              <NativeSelect className="sm:max-w-xs" {...form.register("retention_days")}>
                {Object.entries(RETENTION_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </NativeSelect>
            </FormField>
            <SwitchField
              label="Mask emails and phone numbers"
              description="Card numbers are always masked before a message is stored. Emails and phone numbers that shoppers type are masked too, unless you turn this off (for example, to contact shoppers who leave their details)."
              checked={masked}
              onCheckedChange={(checked) => form.setValue("mask_contact_details", checked, { shouldDirty: true })}
              disabled={readOnly}
            />
            {errors.mask_contact_details ? <p className="text-sm text-destructive">{errors.mask_contact_details.message}</p> : null}
          </CardContent>
          <CardFooter className="flex-wrap">
            <Button type="submit" disabled={readOnly || isSubmitting}>
              {isSubmitting ? "Saving…" : "Save privacy settings"}
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
