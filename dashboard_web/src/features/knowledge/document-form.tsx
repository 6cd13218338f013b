"use client";

import { zodResolver } from "@/lib/zod-resolver";
import { useState, type ChangeEvent } from "react";
import { useForm, useWatch } from "react-hook-form";
import { describeError } from "@/api/problem";
import { FormField } from "@/components/form-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DialogFooter } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { QuotaLink } from "@/components/quota-link";
import { applyServerErrors } from "@/lib/forms";
import { knowledgeSchema, type KnowledgeValues } from "@/lib/schemas/knowledge";
import { readKnowledgeFile } from "./file-reader";
import { ACCEPTED_FILES, CONTENT_TYPE_LABELS, CONTENT_TYPES, formatBytes, KIND_LABELS, KINDS, MAX_BODY_BYTES, utf8Bytes } from "./limits";
import { NativeSelect } from "@/components/ui/native-select";

const FIELDS = ["title", "body", "kind", "content_type"] as const;

/** Title, content (typed or read from a file), kind and format; shared by add and edit. */
// Loaded when a dialog opens (first-load budget), hence the default export.
export default function DocumentForm({
  initial,
  submitLabel,
  onSave,
}: {
  initial: KnowledgeValues;
  submitLabel: string;
  onSave: (values: KnowledgeValues) => Promise<void>;
}) {
  const form = useForm<KnowledgeValues>({ resolver: zodResolver(knowledgeSchema), defaultValues: initial });
  const { errors, isSubmitting } = form.formState;
  const [formError, setFormError] = useState<unknown>(null);
  const [fileMessage, setFileMessage] = useState<string | null>(null);
  const body = useWatch({ control: form.control, name: "body" });

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    const read = await readKnowledgeFile(file);
    if (!read.ok) {
      setFileMessage(read.message);
      return;
    }
    setFileMessage(`Read ${file.name} (${formatBytes(file.size)}).`);
    form.setValue("body", read.body, { shouldValidate: true, shouldDirty: true });
    form.setValue("content_type", read.contentType, { shouldDirty: true });
    if (!form.getValues("title").trim()) form.setValue("title", read.title, { shouldValidate: true });
  };

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      await onSave(values);
    } catch (error) {
      const message = applyServerErrors(error, form.setError, FIELDS);
      setFormError(message ? error : null);
    }
  });

  return (
    <form noValidate className="grid gap-4" onSubmit={onSubmit}>
      {formError ? (
        <Alert variant="destructive">
          {describeError(formError)} <QuotaLink error={formError} />
        </Alert>
      ) : null}
      <FormField label="Title" error={errors.title?.message}>
        <Input {...form.register("title")} />
      </FormField>
      <FormField
        label="Content"
        error={errors.body?.message}
        hint={`${formatBytes(utf8Bytes(body ?? ""))} of ${MAX_BODY_BYTES / 1024} KB. Write it as you would answer a shopper.`}
      >
        <Textarea rows={10} {...form.register("body")} />
      </FormField>
      <FormField
        label="Upload a file"
        error={fileMessage?.startsWith("Read ") ? undefined : (fileMessage ?? undefined)}
        hint={`A .txt, .md, .html or .csv file up to ${MAX_BODY_BYTES / 1024} KB; its text replaces Content.`}
      >
        <Input type="file" accept={ACCEPTED_FILES} onChange={(event) => void onFile(event)} />
      </FormField>
      <p role="status" aria-live="polite" className="text-sm">
        {fileMessage?.startsWith("Read ") ? fileMessage : null}
      </p>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField label="Kind" error={errors.kind?.message}>
          <NativeSelect {...form.register("kind")}>
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {KIND_LABELS[kind]}
              </option>
            ))}
          </NativeSelect>
        </FormField>
        <FormField label="Format" error={errors.content_type?.message}>
          <NativeSelect {...form.register("content_type")}>
            {CONTENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {CONTENT_TYPE_LABELS[type]}
              </option>
            ))}
          </NativeSelect>
        </FormField>
      </div>
      <DialogFooter>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Saving and indexing…" : submitLabel}
        </Button>
      </DialogFooter>
    </form>
  );
}
