"use client";

import { Plus, Trash2 } from "lucide-react";
import { useFieldArray, type UseFormReturn } from "react-hook-form";
import { FormField } from "@/components/form-field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { BotFormValues } from "@/lib/schemas/bots";

export function OriginsFields({ form }: { form: UseFormReturn<BotFormValues> }) {
  const { fields, append, remove } = useFieldArray({ control: form.control, name: "allowed_origins" });
  const errors = form.formState.errors.allowed_origins;
  return (
    <div className="grid gap-4">
      <p className="text-sm text-muted-foreground">
        The widget opens only on pages at these addresses, so another site cannot put your assistant (and your message quota) on its pages.
        Enter the scheme and host, such as https://shop.example.com, or https://*.example.com for every subdomain. No path.
      </p>
      {errors?.message ? <p className="text-sm text-destructive">{errors.message}</p> : null}
      {fields.length === 0 ? <p className="text-sm">No origins yet: the widget opens nowhere except this dashboard&apos;s preview.</p> : null}
      <ul className="grid gap-3">
        {fields.map((field, index) => (
          <li key={field.id} className="flex items-end gap-2">
            <div className="flex-1">
              <FormField label={`Allowed origin ${index + 1}`} error={errors?.[index]?.value?.message}>
                <Input type="url" inputMode="url" placeholder="https://shop.example.com" {...form.register(`allowed_origins.${index}.value`)} />
              </FormField>
            </div>
            <Button type="button" variant="outline" size="icon" onClick={() => remove(index)} aria-label={`Remove origin ${index + 1}`}>
              <Trash2 aria-hidden="true" />
            </Button>
          </li>
        ))}
      </ul>
      <div>
        <Button type="button" variant="outline" onClick={() => append({ value: "" })} disabled={fields.length >= 50}>
          <Plus aria-hidden="true" />
          Add origin
        </Button>
      </div>
    </div>
  );
}
