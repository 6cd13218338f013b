"use client";

import { useWatch, type UseFormReturn } from "react-hook-form";
import { FormField } from "@/components/form-field";
import { SwitchField } from "@/components/switch-field";
import { Textarea } from "@/components/ui/textarea";
import { CONSENT_TEXT_MAX, type BotFormValues } from "@/lib/schemas/bots";

/** What this bot keeps: contact details masked or not, and whether shoppers are asked before
 * their conversation is stored (with the question's wording). */
export function PrivacyFields({ form }: { form: UseFormReturn<BotFormValues> }) {
  const { register, control, formState, setValue } = form;
  const errors = formState.errors;
  // useWatch + setValue rather than <Controller>, which would grow the form chunk every form
  // page shares (the sign-in pages sit at the first-load budget).
  const [masked, required, text] = useWatch({ control, name: ["mask_contact_details", "consent_required", "consent_text"] });
  const set = (name: "mask_contact_details" | "consent_required") => (checked: boolean) => setValue(name, checked, { shouldDirty: true });
  return (
    <div className="grid gap-5">
      <SwitchField
        label="Mask emails and phone numbers"
        description="Card numbers are always masked before a message is stored. Emails and phone numbers that shoppers type are masked too, unless you turn this off (for example, to contact shoppers who leave their details). This turn's answer still sees what the shopper wrote."
        checked={masked}
        onCheckedChange={set("mask_contact_details")}
      />
      <SwitchField
        label="Ask for consent before storing conversations"
        description="The widget asks shoppers first. A shopper who says no still gets answers, but nothing of that conversation is kept: it is not in Conversations or Analytics."
        checked={required}
        onCheckedChange={set("consent_required")}
      />
      <FormField
        label="Consent text"
        error={errors.consent_text?.message}
        hint={
          <>
            What the widget asks. Empty: a short default. {text.length} of {CONSENT_TEXT_MAX} characters used. The live preview shows the consent bar once
            you save.
          </>
        }
      >
        <Textarea rows={3} {...register("consent_text")} />
      </FormField>
    </div>
  );
}
