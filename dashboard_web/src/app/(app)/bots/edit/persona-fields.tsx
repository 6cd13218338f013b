"use client";

import type { UseFormReturn } from "react-hook-form";
import { FormField } from "@/components/form-field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { NativeSelect } from "@/components/ui/native-select";
import type { BotFormValues } from "@/lib/schemas/bots";

export function PersonaFields({ form }: { form: UseFormReturn<BotFormValues> }) {
  const { register, formState } = form;
  const errors = formState.errors;
  return (
    <div className="grid gap-4">
      <FormField label="Name" error={errors.name?.message} hint="Shown in the widget's header unless you set a title.">
        <Input autoComplete="off" {...register("name")} />
      </FormField>
      <FormField label="Persona" error={errors.persona?.message} hint="Who the assistant is, in a sentence or two. Up to 2000 characters.">
        <Textarea {...register("persona")} />
      </FormField>
      <FormField label="Tone" error={errors.tone?.message} hint="For example: friendly and brief. Up to 200 characters.">
        <Input {...register("tone")} />
      </FormField>
      <FormField label="Greeting" error={errors.greeting?.message} hint="The first message shoppers see when they open the widget.">
        <Textarea rows={3} {...register("greeting")} />
      </FormField>
      <FormField label="Language" error={errors.language_policy?.message} hint="Which language the assistant answers in.">
        <NativeSelect {...register("language_policy")}>
          <option value="match_shopper">The shopper&apos;s language</option>
          <option value="business_language">Always the business language</option>
        </NativeSelect>
      </FormField>
      <FormField label="Custom instructions" error={errors.custom_instructions?.message} hint="Extra rules for the assistant, such as what never to promise. Up to 8000 characters.">
        <Textarea rows={5} {...register("custom_instructions")} />
      </FormField>
      <FormField label="Fallback message" error={errors.fallback_message?.message} hint="Shown when the month's messages are used up: your contact details, say. Empty: a generic notice.">
        <Textarea rows={3} {...register("fallback_message")} />
      </FormField>
    </div>
  );
}
