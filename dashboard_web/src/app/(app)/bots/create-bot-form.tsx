"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, unwrap } from "@/api/client";
import { ApiProblem } from "@/api/problem";
import { FormField } from "@/components/form-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DialogFooter } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { applyServerErrors } from "@/lib/forms";
import { createBotSchema, type CreateBotValues } from "@/lib/schemas/bots";

/** The create dialog's form, loaded when the dialog opens (see create-bot-dialog.tsx). */
export function CreateBotForm({ onCreated }: { onCreated: () => void }) {
  const [formError, setFormError] = useState<string | null>(null);
  const [quotaFull, setQuotaFull] = useState(false);
  const form = useForm<CreateBotValues>({ resolver: zodResolver(createBotSchema), defaultValues: { name: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    setQuotaFull(false);
    try {
      await unwrap(api.POST("/v1/bots", { body: { name: values.name } }));
      onCreated();
    } catch (error) {
      setQuotaFull(error instanceof ApiProblem && error.code === "quota_exceeded");
      setFormError(applyServerErrors(error, form.setError, ["name"]));
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      {formError ? (
        <Alert variant="destructive">
          {formError}
          {quotaFull ? (
            <>
              {" "}
              <Link href="/billing/" className="underline">
                See plans in Billing
              </Link>
            </>
          ) : null}
        </Alert>
      ) : null}
      <FormField label="Name" error={errors.name?.message}>
        <Input autoComplete="off" autoFocus {...form.register("name")} />
      </FormField>
      <DialogFooter>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Creating…" : "Create bot"}
        </Button>
      </DialogFooter>
    </form>
  );
}
