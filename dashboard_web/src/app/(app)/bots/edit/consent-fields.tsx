"use client";

import { useWatch, type UseFormReturn } from "react-hook-form";
import { FormField } from "@/components/form-field";
import { SwitchField } from "@/components/switch-field";
import { Textarea } from "@/components/ui/textarea";
import { CONSENT_TEXT_MAX, type BotFormValues } from "@/lib/schemas/bots";

/** "Ask shoppers before storing the conversation": the switch and the wording of the ask. */
export function ConsentFields({ form }: { form: UseFormReturn<BotFormValues> }) {
  const { register, control, formState, setValue } = form;
  const errors = formState.errors;
  // useWatch + setValue rather than <Controller>, which would grow the form chunk every form
  // page shares (the sign-in pages sit at the first-load budget).
  const [required, text] = useWatch({ control, name: ["consent_required", "consent_text"] });
  const used = text.length;
  return (
    <div className="grid gap-4">
      <SwitchField
        label="Ask for consent before storing conversations"
        description="The widget asks shoppers first. A shopper who says no still gets answers, but nothing of that conversation is kept: it is not in Conversations or Analytics."
        checked={required}
        onCheckedChange={(checked) => setValue("consent_required", checked, { shouldDirty: true })}
      />
      <FormField
        label="Consent text"
        error={errors.consent_text?.message}
        hint={
          <>
            What the widget asks. Empty: a short default. {used} of {CONSENT_TEXT_MAX} characters used. The live preview shows the consent bar once you save.
          </>
        }
      >
        <Textarea rows={3} {...register("consent_text")} />
      </FormField>
    </div>
  );
}
