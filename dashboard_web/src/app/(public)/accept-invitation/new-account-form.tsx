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
import { Input } from "@/components/ui/input";
import { applyServerErrors } from "@/lib/forms";
import { newPasswordSchema, PASSWORD_MIN, type NewPasswordValues } from "@/lib/schemas/account";

/** Accepting without an account: the password creates it for the invited email. */
export function NewAccountForm({ token, signInHref, onJoined }: { token: string; signInHref: string; onJoined: (role: string) => void }) {
  const [formError, setFormError] = useState<string | null>(null);
  const [needsSignIn, setNeedsSignIn] = useState(false);
  const form = useForm<NewPasswordValues>({ resolver: zodResolver(newPasswordSchema), defaultValues: { password: "", confirm: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      const accepted = await unwrap(api.POST("/v1/team/invitations/accept", { body: { token, password: values.password } }));
      onJoined(accepted.role);
    } catch (error) {
      // 401 here means the invited email already has an account: sign in and come back.
      setNeedsSignIn(error instanceof ApiProblem && error.status === 401);
      setFormError(applyServerErrors(error, form.setError, ["password"]));
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      {formError ? (
        <Alert variant="destructive">
          {formError}{" "}
          {needsSignIn ? (
            <Link href={signInHref} className="underline">
              Sign in
            </Link>
          ) : null}
        </Alert>
      ) : null}
      <FormField label="Password" hint={`At least ${PASSWORD_MIN} characters.`} error={errors.password?.message}>
        <Input type="password" autoComplete="new-password" {...form.register("password")} />
      </FormField>
      <FormField label="Confirm password" error={errors.confirm?.message}>
        <Input type="password" autoComplete="new-password" {...form.register("confirm")} />
      </FormField>
      <Button type="submit" disabled={isSubmitting}>
        {isSubmitting ? "Creating your account…" : "Create account and join"}
      </Button>
    </form>
  );
}
