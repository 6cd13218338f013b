"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { FormField } from "@/components/form-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardFooter } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { PublicCardHeader } from "@/features/account/public-card";
import { applyServerErrors } from "@/lib/forms";
import { PASSWORD_MIN, signUpSchema, type SignUpValues } from "@/lib/schemas/account";
import { useAuth } from "@/stores/auth";

export function SignUpForm() {
  const signUp = useAuth((state) => state.signUp);
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<SignUpValues>({
    resolver: zodResolver(signUpSchema),
    defaultValues: { business_name: "", email: "", password: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      // The API keeps the name as sent: surrounding spaces are dropped here.
      await signUp({ ...values, business_name: values.business_name.trim() });
      router.replace("/");
    } catch (error) {
      setFormError(applyServerErrors(error, form.setError, ["business_name", "email", "password"]));
    }
  });

  return (
    <Card>
      <PublicCardHeader title="Create your account" description="A shopping assistant for your WooCommerce store, set up in minutes." />
      <form onSubmit={onSubmit} noValidate>
        <CardContent className="grid gap-4">
          {formError ? <Alert variant="destructive">{formError}</Alert> : null}
          <FormField label="Business name" error={errors.business_name?.message}>
            <Input autoComplete="organization" {...form.register("business_name")} />
          </FormField>
          <FormField label="Email" error={errors.email?.message}>
            <Input type="email" autoComplete="email" {...form.register("email")} />
          </FormField>
          <FormField label="Password" hint={`At least ${PASSWORD_MIN} characters.`} error={errors.password?.message}>
            <Input type="password" autoComplete="new-password" {...form.register("password")} />
          </FormField>
        </CardContent>
        <CardFooter className="flex-col items-stretch">
          <Button type="submit" disabled={isSubmitting}>
            {isSubmitting ? "Creating your account…" : "Create account"}
          </Button>
          <p className="text-center text-sm text-muted-foreground">
            Already have an account?{" "}
            <Link href="/sign-in/" className="text-primary underline">
              Sign in
            </Link>
          </p>
        </CardFooter>
      </form>
    </Card>
  );
}
