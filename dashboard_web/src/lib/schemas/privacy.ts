// The business profile's Privacy card (zod/mini, see account.ts). The API's `retention_days`
// is null (keep) or 1 to 3650 days; the card offers keep, 30, 90, 180 and 365, and keeps any
// other period already set (through the API) as a choice so saving never changes it unseen.
import { z } from "zod/mini";

export const RETENTION_CHOICES = ["keep", "30", "90", "180", "365"] as const;
export const RETENTION_MAX_DAYS = 3650;

export const RETENTION_MESSAGE = "Choose how long conversations are kept.";

/** "keep", or a whole number of days the API accepts. */
export function isRetention(value: string): boolean {
  if (value === "keep") return true;
  if (!/^[0-9]{1,4}$/.test(value)) return false;
  const days = Number(value);
  return days >= 1 && days <= RETENTION_MAX_DAYS;
}

export const privacySchema = z.object({
  retention_days: z.string().check(z.refine(isRetention, RETENTION_MESSAGE)),
});
export type PrivacyValues = z.infer<typeof privacySchema>;
