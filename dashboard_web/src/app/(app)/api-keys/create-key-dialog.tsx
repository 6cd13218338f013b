"use client";

import { zodResolver } from "@/lib/zod-resolver";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, unwrap } from "@/api/client";
import { FormField } from "@/components/form-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { applyServerErrors } from "@/lib/forms";
import { apiKeySchema, expiryFor, scopesFor, type ApiKeyValues } from "@/lib/schemas/account";
import { SecretOnce } from "./secret-once";

const DEFAULTS: ApiKeyValues = { name: "", access: "read", expires_on: "" };

export function CreateKeyDialog({ open, onOpenChange, onCreated }: { open: boolean; onOpenChange: (open: boolean) => void; onCreated: () => void }) {
  const [formError, setFormError] = useState<string | null>(null);
  // The secret lives only in this component's state: closing the dialog forgets it.
  const [secret, setSecret] = useState<string | null>(null);
  const form = useForm<ApiKeyValues>({ resolver: zodResolver(apiKeySchema), defaultValues: DEFAULTS });
  const { errors, isSubmitting } = form.formState;

  const close = (next: boolean) => {
    if (!next) {
      form.reset(DEFAULTS);
      setFormError(null);
      setSecret(null);
    }
    onOpenChange(next);
  };

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      const created = await unwrap(
        api.POST("/v1/api-keys", { body: { name: values.name.trim(), scopes: scopesFor(values.access), expires_at: expiryFor(values.expires_on) } }),
      );
      setSecret(created.secret);
      onCreated();
    } catch (error) {
      setFormError(applyServerErrors(error, form.setError, ["name"]));
    }
  });

  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogContent>
        {secret ? (
          <SecretOnce secret={secret} onDone={() => close(false)} />
        ) : (
          <>
            <DialogHeader>
              <DialogTitle>Create API key</DialogTitle>
              <DialogDescription>Name it after the script or service that will use it.</DialogDescription>
            </DialogHeader>
            <form onSubmit={onSubmit} noValidate className="grid gap-4">
              {formError ? <Alert variant="destructive">{formError}</Alert> : null}
              <FormField label="Name" error={errors.name?.message}>
                <Input autoComplete="off" {...form.register("name")} />
              </FormField>
              <FormField label="Access" hint="Read and write keys can change stores, bots and knowledge; no key can manage the team or keys." error={errors.access?.message}>
                <NativeSelect {...form.register("access")}>
                  <option value="read">Read only</option>
                  <option value="write">Read and write</option>
                </NativeSelect>
              </FormField>
              <FormField label="Expires on" hint="Optional. Leave empty for a key that does not expire." error={errors.expires_on?.message}>
                <Input type="date" {...form.register("expires_on")} />
              </FormField>
              <DialogFooter>
                <Button type="button" variant="outline" onClick={() => close(false)}>
                  Cancel
                </Button>
                <Button type="submit" disabled={isSubmitting}>
                  {isSubmitting ? "Creating…" : "Create key"}
                </Button>
              </DialogFooter>
            </form>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
