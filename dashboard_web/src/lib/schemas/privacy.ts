// The business profile's Privacy card (zod/mini, see account.ts). The choices mirror the
// API's `retention_days` (null = keep, else 30, 90, 180 or 365); a <select> gives strings.
import { z } from "zod/mini";

export const RETENTION_CHOICES = ["keep", "30", "90", "180", "365"] as const;
export type RetentionChoice = (typeof RETENTION_CHOICES)[number];

export const RETENTION_MESSAGE = "Choose how long conversations are kept.";

export const privacySchema = z.object({
  retention_days: z.string().check(z.refine((value) => (RETENTION_CHOICES as readonly string[]).includes(value), RETENTION_MESSAGE)),
  mask_contact_details: z.boolean(),
});
export type PrivacyValues = z.infer<typeof privacySchema>;
