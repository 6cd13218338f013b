"use client";

// Loaded when the dialog opens: the form libraries stay out of the page's first load.
import { zodResolver } from "@/lib/zod-resolver";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, unwrap } from "@/api/client";
import { describeError } from "@/api/problem";
import type { components } from "@/api/schema";
import { FormField } from "@/components/form-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DialogFooter } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { applyServerErrors } from "@/lib/forms";
import { connectStoreSchema, type ConnectStoreValues } from "@/lib/schemas/stores";
import { KeyHint } from "./key-hint";
import { QuotaLink } from "@/components/quota-link";
import { problemFromError, type TestProblem } from "./test-problem";
import { TestResultView } from "./test-result-view";

type StoreInfo = components["schemas"]["StoreInfoOut"];
const FIELDS = ["url", "consumer_key", "consumer_secret"] as const;
const EMPTY: ConnectStoreValues = { url: "", consumer_key: "", consumer_secret: "" };

/** The API has no test for keys it has not stored: connecting tests first and stores only
 * keys that pass. So "Test connection" connects (nothing is kept if the test fails) and then
 * reports what the store answered; "Connect" after a passing test just closes. */
export default function ConnectStoreForm({ onConnected, onDone }: { onConnected: () => void; onDone: () => void }) {
  const [formError, setFormError] = useState<unknown>(null);
  const [problem, setProblem] = useState<TestProblem | null>(null);
  const [info, setInfo] = useState<StoreInfo | null>(null);
  const [tested, setTested] = useState<string | null>(null);
  const form = useForm<ConnectStoreValues>({ resolver: zodResolver(connectStoreSchema), defaultValues: EMPTY });
  const { errors, isSubmitting } = form.formState;

  const connect = async (values: ConnectStoreValues, andClose: boolean) => {
    setFormError(null);
    setProblem(null);
    const fingerprint = JSON.stringify(values);
    try {
      if (tested !== fingerprint) {
        const store = await unwrap(api.POST("/v1/stores", { body: values }));
        onConnected();
        if (!andClose) {
          const result = await unwrap(api.POST("/v1/stores/{store_id}/test", { params: { path: { store_id: store.id } } }));
          setInfo(result.store ?? null);
          setProblem(result.error ?? null);
        }
        setTested(fingerprint);
      }
      if (andClose) onDone();
    } catch (error) {
      const storeProblem = problemFromError(error);
      if (storeProblem) setProblem(storeProblem);
      else {
        const message = applyServerErrors(error, form.setError, FIELDS);
        setFormError(message ? error : null);
      }
    }
  };

  return (
  <form noValidate className="grid gap-4" onSubmit={form.handleSubmit((values) => connect(values, true))}>
    {formError ? (
      <Alert variant="destructive">
        {describeError(formError)} 
        <QuotaLink error={formError} />
      </Alert>
    ) : null}
    <FormField label="Store URL" error={errors.url?.message} hint="The address shoppers visit, such as https://shop.example.com">
      <Input type="url" inputMode="url" autoComplete="url" placeholder="https://" {...form.register("url")} />
    </FormField>
    <FormField label="Consumer key" error={errors.consumer_key?.message}>
      <Input autoComplete="off" spellCheck={false} placeholder="ck_…" {...form.register("consumer_key")} />
    </FormField>
    <FormField label="Consumer secret" error={errors.consumer_secret?.message}>
      <Input type="password" autoComplete="off" spellCheck={false} placeholder="cs_…" {...form.register("consumer_secret")} />
    </FormField>
    <KeyHint />
    <div role="status" aria-live="polite">
      {isSubmitting ? "Talking to your store…" : null}
    </div>
    <TestResultView info={info} problem={problem} />
    <DialogFooter>
      <Button type="button" variant="outline" disabled={isSubmitting} onClick={form.handleSubmit((values) => connect(values, false))}>
        Test connection
      </Button>
      <Button type="submit" disabled={isSubmitting}>
        Connect
      </Button>
    </DialogFooter>
  </form>
  );
}
