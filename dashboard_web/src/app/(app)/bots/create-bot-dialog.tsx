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
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { applyServerErrors } from "@/lib/forms";
import { createBotSchema, type CreateBotValues } from "@/lib/schemas/bots";

export function CreateBotDialog({ disabled, onCreated }: { disabled: boolean; onCreated: () => void }) {
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [quotaFull, setQuotaFull] = useState(false);
  const form = useForm<CreateBotValues>({ resolver: zodResolver(createBotSchema), defaultValues: { name: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    setQuotaFull(false);
    try {
      await unwrap(api.POST("/v1/bots", { body: { name: values.name } }));
      form.reset();
      setOpen(false);
      onCreated();
    } catch (error) {
      setQuotaFull(error instanceof ApiProblem && error.code === "quota_exceeded");
      setFormError(applyServerErrors(error, form.setError, ["name"]));
    }
  });

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setFormError(null);
      }}
    >
      <DialogTrigger asChild>
        <Button disabled={disabled}>Create bot</Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Create bot</DialogTitle>
          <DialogDescription>Start with a name; you configure the rest on the next screen.</DialogDescription>
        </DialogHeader>
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
            <Input autoComplete="off" {...form.register("name")} />
          </FormField>
          <DialogFooter>
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting ? "Creating…" : "Create bot"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
