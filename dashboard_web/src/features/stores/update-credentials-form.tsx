"use client";

// Loaded when the dialog opens (first-load budget).
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, unwrap } from "@/api/client";
import { FormField } from "@/components/form-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DialogFooter } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { applyServerErrors } from "@/lib/forms";
import { credentialsSchema, type CredentialsValues } from "@/lib/schemas/stores";
import { KeyHint } from "./key-hint";
import { problemFromError, type TestProblem } from "./test-problem";
import { TestResultView } from "./test-result-view";

const EMPTY: CredentialsValues = { consumer_key: "", consumer_secret: "" };

/** New keys are tested before they replace the stored ones; the old keys stay on failure. */
export default function UpdateCredentialsForm({ storeId, onUpdated, onDone }: { storeId: string; onUpdated: () => void; onDone: () => void }) {
  const [formError, setFormError] = useState<string | null>(null);
  const [problem, setProblem] = useState<TestProblem | null>(null);
  const form = useForm<CredentialsValues>({ resolver: zodResolver(credentialsSchema), defaultValues: EMPTY });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    setProblem(null);
    try {
      await unwrap(api.POST("/v1/stores/{store_id}/credentials", { params: { path: { store_id: storeId } }, body: values }));
      onUpdated();
      onDone();
    } catch (error) {
      const storeProblem = problemFromError(error);
      if (storeProblem) setProblem(storeProblem);
      else setFormError(applyServerErrors(error, form.setError, ["consumer_key", "consumer_secret"]));
    }
  });

  return (
  <form noValidate className="grid gap-4" onSubmit={onSubmit}>
    {formError ? <Alert variant="destructive">{formError}</Alert> : null}
    <FormField label="Consumer key" error={errors.consumer_key?.message}>
      <Input autoComplete="off" spellCheck={false} placeholder="ck_…" {...form.register("consumer_key")} />
    </FormField>
    <FormField label="Consumer secret" error={errors.consumer_secret?.message}>
      <Input type="password" autoComplete="off" spellCheck={false} placeholder="cs_…" {...form.register("consumer_secret")} />
    </FormField>
    <KeyHint />
    <TestResultView problem={problem} />
    <DialogFooter>
      <Button type="submit" disabled={isSubmitting}>
        {isSubmitting ? "Testing the keys…" : "Save new keys"}
      </Button>
    </DialogFooter>
  </form>
  );
}
