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
import { applyServerErrors } from "@/lib/forms";
import { forgotPasswordSchema, type ForgotPasswordValues } from "@/lib/schemas/account";

export function ForgotPasswordForm() {
  const [formError, setFormError] = useState<string | null>(null);
  // The API answers the same whether or not the email has an account (no account
  // discovery); its sentence is shown as it is.
  const [confirmation, setConfirmation] = useState<string | null>(null);
  const form = useForm<ForgotPasswordValues>({ resolver: zodResolver(forgotPasswordSchema), defaultValues: { email: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      const answer = await unwrap(api.POST("/v1/auth/request-password-reset", { body: values }));
      setConfirmation(answer.detail);
    } catch (error) {
      setFormError(applyServerErrors(error, form.setError, ["email"]));
    }
  });

  return (
    <Card>
      <PublicCardHeader title="Reset your password" description="We email you a link to choose a new password." />
      {confirmation ? (
        <CardContent className="grid gap-4">
          <Alert variant="success">{confirmation}</Alert>
          <Link href="/sign-in/" className="text-sm text-primary underline">
            Back to sign in
          </Link>
        </CardContent>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <CardContent className="grid gap-4">
            {formError ? <Alert variant="destructive">{formError}</Alert> : null}
            <FormField label="Email" error={errors.email?.message}>
              <Input type="email" autoComplete="email" {...form.register("email")} />
            </FormField>
          </CardContent>
          <CardFooter className="flex-col items-stretch">
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting ? "Sending…" : "Send reset link"}
            </Button>
            <Link href="/sign-in/" className="text-center text-sm text-primary underline">
              Back to sign in
            </Link>
          </CardFooter>
        </form>
      )}
    </Card>
  );
}
