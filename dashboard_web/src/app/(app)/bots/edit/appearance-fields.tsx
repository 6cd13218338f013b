"use client";

import { useWatch, type UseFormReturn } from "react-hook-form";
import { FormField } from "@/components/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import type { BotFormValues } from "@/lib/schemas/bots";

const DEFAULT_COLOUR = "#1f6feb";

/** `<input type="color">` only takes #rrggbb: #abc becomes #aabbcc for it. */
export function sixDigitHex(value: string): string {
  if (/^#[0-9a-fA-F]{6}$/.test(value)) return value.toLowerCase();
  if (/^#[0-9a-fA-F]{3}$/.test(value)) return `#${[...value.slice(1)].map((c) => c + c).join("")}`.toLowerCase();
  return DEFAULT_COLOUR;
}

export function AppearanceFields({ form }: { form: UseFormReturn<BotFormValues> }) {
  const { register, setValue, control, formState } = form;
  const errors = formState.errors.theme;
  const colour = useWatch({ control, name: "theme.primary_color" });
  return (
    <div className="grid gap-4">
      <div className="grid gap-1.5">
        <Label htmlFor="theme-colour-picker">Primary colour</Label>
        <div className="flex items-center gap-2">
          <input
            id="theme-colour-picker"
            type="color"
            className="h-10 w-14 cursor-pointer rounded-md border border-input bg-background p-1"
            value={sixDigitHex(colour)}
            onChange={(event) => setValue("theme.primary_color", event.target.value, { shouldDirty: true, shouldValidate: true })}
            aria-describedby="theme-colour-hint"
          />
          <Input
            aria-label="Primary colour (hex)"
            className="max-w-40 font-mono"
            placeholder={DEFAULT_COLOUR}
            aria-invalid={errors?.primary_color ? true : undefined}
            aria-describedby="theme-colour-hint"
            {...register("theme.primary_color")}
          />
        </div>
        <p id="theme-colour-hint" className="text-xs text-muted-foreground">
          The launcher and the shopper&apos;s messages. A hex colour such as #1f6feb; empty: the default.
        </p>
        {errors?.primary_color ? <p className="text-sm text-destructive">{errors.primary_color.message}</p> : null}
      </div>
      <FormField label="Position" error={errors?.position?.message} hint="Which bottom corner of the page the launcher sits in.">
        <NativeSelect {...register("theme.position")}>
          <option value="right">Bottom right</option>
          <option value="left">Bottom left</option>
        </NativeSelect>
      </FormField>
      <FormField label="Title" error={errors?.title?.message} hint="The widget's header and launcher text. Empty: the bot's name. Up to 60 characters.">
        <Input {...register("theme.title")} />
      </FormField>
      <FormField label="Avatar URL" error={errors?.avatar_url?.message} hint="An https:// image shown next to the assistant's messages. Optional.">
        <Input type="url" inputMode="url" placeholder="https://" {...register("theme.avatar_url")} />
      </FormField>
    </div>
  );
}
