"use client";

import Link from "next/link";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { FormField } from "@/components/form-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { NativeSelect } from "@/components/ui/native-select";
import { privacyPatch, savePrivacy, toPrivacyValues, type Business } from "@/features/privacy/api";
import { applyServerErrors } from "@/lib/forms";
import { privacySchema, RETENTION_CHOICES, type PrivacyValues } from "@/lib/schemas/privacy";
import { zodResolver } from "@/lib/zod-resolver";

const FIELDS = ["retention_days"] as const;

const label = (choice: string) => (choice === "keep" ? "Keep until deleted by hand" : `${choice} days`);

/** How long shoppers' conversations are kept (an admin's or the owner's call: it deletes data
 * on a schedule). Sends only what changed, like the profile form. */
export function PrivacyForm({ business, readOnly }: { business: Business; readOnly: boolean }) {
  const [saved, setSaved] = useState<PrivacyValues>(() => toPrivacyValues(business));
  const [formError, setFormError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const form = useForm<PrivacyValues>({ resolver: zodResolver(privacySchema), defaultValues: saved });
  const { errors, isSubmitting, isDirty } = form.formState;
  // A period set through the API (45 days, say) stays a choice, so it is shown as it is.
  const choices: string[] = (RETENTION_CHOICES as readonly string[]).includes(saved.retention_days)
    ? [...RETENTION_CHOICES]
    : [...RETENTION_CHOICES, saved.retention_days];

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
          <CardContent className="grid gap-4">
            {formError ? <Alert variant="destructive">{formError}</Alert> : null}
            <FormField
              label="Keep conversations for"
              error={errors.retention_days?.message}
              hint="Conversations without a new message for this long are deleted automatically, with their messages, ratings and the shopper's widget events. Anonymous analytics totals (counts, answer times, costs) are kept."
            >
              <NativeSelect className="sm:max-w-xs" {...form.register("retention_days")}>
                {choices.map((choice) => (
                  <option key={choice} value={choice}>
                    {label(choice)}
                  </option>
                ))}
              </NativeSelect>
            </FormField>
            {readOnly ? <p className="text-sm text-muted-foreground">Only an admin or the owner can change how long conversations are kept.</p> : null}
            <p className="text-sm text-muted-foreground">
              Card numbers are always masked before a message is stored; emails and phone numbers too, unless you turn that off for a bot (its
              Privacy tab, on the{" "}
              <Link href="/bots/" className="text-primary underline underline-offset-4">
                Bots
              </Link>{" "}
              page). Each bot can also ask shoppers for consent before keeping a conversation.
            </p>
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
