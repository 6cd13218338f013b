"use client";

import { zodResolver } from "@/lib/zod-resolver";
import Link from "next/link";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { api, unwrap } from "@/api/client";
import { ApiProblem } from "@/api/problem";
import { FormField } from "@/components/form-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { assignableRoles, ROLE_HINTS } from "@/features/account/roles";
import { applyServerErrors } from "@/lib/forms";
import { inviteSchema, type InviteValues, type Role } from "@/lib/schemas/account";

/** Seats are the usual reason an invitation fails; say so with the way out. */
function inviteError(error: unknown, fallback: string | null): { text: string; upgrade: boolean } | null {
  if (error instanceof ApiProblem && error.status === 402) {
    return { text: "Your plan has no free seat: members and pending invitations each take one. Upgrade the plan or revoke an invitation.", upgrade: true };
  }
  return fallback ? { text: fallback, upgrade: false } : null;
}

export function InviteDialog({
  open,
  onOpenChange,
  myRole,
  onInvited,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  myRole: string | undefined;
  onInvited: () => void;
}) {
  const [formError, setFormError] = useState<{ text: string; upgrade: boolean } | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm<InviteValues>({ resolver: zodResolver(inviteSchema), defaultValues: { email: "", role: "editor" } });
  const { errors, isSubmitting } = form.formState;
  const role = useWatch({ control: form.control, name: "role" });

  const close = (next: boolean) => {
    if (!next) {
      form.reset();
      setFormError(null);
      setSentTo(null);
    }
    onOpenChange(next);
  };

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      const created = await unwrap(api.POST("/v1/team/invitations", { body: { email: values.email, role: values.role as Role } }));
      setSentTo(created.email);
      onInvited();
    } catch (error) {
      setFormError(inviteError(error, applyServerErrors(error, form.setError, ["email", "role"])));
    }
  });

  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Invite a teammate</DialogTitle>
          <DialogDescription>We email them a link to join this business. The link works for 7 days.</DialogDescription>
        </DialogHeader>
        {sentTo ? (
          <>
            <Alert variant="success">Invitation sent to {sentTo}.</Alert>
            <DialogFooter>
              <Button onClick={() => close(false)}>Done</Button>
            </DialogFooter>
          </>
        ) : (
          <form onSubmit={onSubmit} noValidate className="grid gap-4">
            {formError ? (
              <Alert variant="destructive">
                {formError.text}{" "}
                {formError.upgrade ? (
                  <Link href="/billing/" className="underline">
                    See plans
                  </Link>
                ) : null}
              </Alert>
            ) : null}
            <FormField label="Email" error={errors.email?.message}>
              <Input type="email" autoComplete="off" {...form.register("email")} />
            </FormField>
            <FormField label="Role" hint={ROLE_HINTS[role]} error={errors.role?.message}>
              <NativeSelect {...form.register("role")}>
                {assignableRoles(myRole).map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </NativeSelect>
            </FormField>
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => close(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={isSubmitting}>
                {isSubmitting ? "Sending…" : "Send invitation"}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
