"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, unwrap } from "@/api/client";
import { FormField } from "@/components/form-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { applyServerErrors } from "@/lib/forms";
import { zodResolver } from "@/lib/zod-resolver";
import { useAuth } from "@/stores/auth";
import { deleteBusinessSchema, type DeleteBusinessValues } from "./delete-business-schema";

/** The owner's last word on the business: typed name, then DELETE /v1/tenant, then sign
 * out (the session's business no longer exists) and go to sign-in. Loaded on demand. */
export function DeleteBusinessDialog({
  businessName,
  open,
  onOpenChange,
}: {
  businessName: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const router = useRouter();
  const signOut = useAuth((state) => state.signOut);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<DeleteBusinessValues>({
    resolver: zodResolver(deleteBusinessSchema(businessName)),
    defaultValues: { confirm: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const close = (next: boolean) => {
    if (isSubmitting) return;
    if (!next) {
      form.reset();
      setFormError(null);
    }
    onOpenChange(next);
  };

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      await unwrap(api.DELETE("/v1/tenant", { body: { confirm: values.confirm } }));
    } catch (error) {
      setFormError(applyServerErrors(error, form.setError, ["confirm"]));
      return;
    }
    await signOut().catch(() => undefined);
    router.replace("/sign-in/");
  });

  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogContent>
        <form onSubmit={onSubmit} noValidate className="grid gap-4">
          <DialogHeader>
            <DialogTitle>Delete this business?</DialogTitle>
            <DialogDescription>This cannot be undone.</DialogDescription>
          </DialogHeader>
          <div className="grid gap-2 text-sm">
            <p>Deleting {businessName} removes, for good:</p>
            <ul className="list-disc space-y-1 pl-5">
              <li>its bots, store connections, products and knowledge documents;</li>
              <li>every conversation, message, rating and shopper event;</li>
              <li>its team, invitations, API keys and audit log; every member is signed out;</li>
              <li>team members&apos; accounts that belong to no other business.</li>
            </ul>
            <p>A paid subscription is cancelled first. Download all data before you go if you may need it.</p>
          </div>
          {formError ? <Alert variant="destructive">{formError}</Alert> : null}
          <FormField label="Business name" hint={`Type ${businessName} to confirm.`} error={errors.confirm?.message}>
            <Input autoComplete="off" spellCheck={false} {...form.register("confirm")} />
          </FormField>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => close(false)} disabled={isSubmitting}>
              Cancel
            </Button>
            <Button type="submit" variant="destructive" disabled={isSubmitting}>
              {isSubmitting ? "Deleting…" : "Delete permanently"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
