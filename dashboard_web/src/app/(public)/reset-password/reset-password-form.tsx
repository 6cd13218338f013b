"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, unwrap } from "@/api/client";
import { FormField } from "@/components/form-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardFooter } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { PublicCardHeader } from "@/features/account/public-card";
import { useTokenParam } from "@/features/account/use-token-param";
import { applyServerErrors } from "@/lib/forms";
import { newPasswordSchema, PASSWORD_MIN, type NewPasswordValues } from "@/lib/schemas/account";

export function ResetPasswordForm() {
  const token = useTokenParam();
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const form = useForm<NewPasswordValues>({ resolver: zodResolver(newPasswordSchema), defaultValues: { password: "", confirm: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      await unwrap(api.POST("/v1/auth/reset-password", { body: { token, password: values.password } }));
      setDone(true);
    } catch (error) {
      setFormError(applyServerErrors(error, form.setError, ["password"]));
    }
  });

  if (done) {
    return (
      <Card>
        <PublicCardHeader title="Choose a new password" />
        <CardContent className="grid gap-4">
          <Alert variant="success">Your password is changed. For your safety every other session was signed out.</Alert>
          <Button asChild>
            <Link href="/sign-in/">Sign in</Link>
          </Button>
        </CardContent>
      </Card>
    );
  }

  return (
    <Card>
      <PublicCardHeader title="Choose a new password" />
      <form onSubmit={onSubmit} noValidate>
        <CardContent className="grid gap-4">
          {!token ? (
            <Alert variant="destructive">
              This link has no token. Open the link from the email again, or{" "}
              <Link href="/forgot-password/" className="underline">
                ask for a new one
              </Link>
              .
            </Alert>
          ) : null}
          {formError ? (
            <Alert variant="destructive">
              {formError}{" "}
              <Link href="/forgot-password/" className="underline">
                Ask for a new link
              </Link>
            </Alert>
          ) : null}
          <FormField label="New password" hint={`At least ${PASSWORD_MIN} characters.`} error={errors.password?.message}>
            <Input type="password" autoComplete="new-password" {...form.register("password")} />
          </FormField>
          <FormField label="Confirm password" error={errors.confirm?.message}>
            <Input type="password" autoComplete="new-password" {...form.register("confirm")} />
          </FormField>
        </CardContent>
        <CardFooter className="flex-col items-stretch">
          <Button type="submit" disabled={isSubmitting || !token}>
            {isSubmitting ? "Saving…" : "Set new password"}
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
