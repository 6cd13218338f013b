// The "Delete this business" confirmation: the exact business name, as the server checks it
// (DELETE /v1/tenant answers 422 `confirmation_mismatch` otherwise). zod/mini, like every
// form schema (see lib/schemas/account.ts for why).
import { z } from "zod/mini";

export const CONFIRM_MISMATCH = "Type the business name exactly as shown, including capitals and spaces.";

export function deleteBusinessSchema(businessName: string) {
  return z.object({
    confirm: z.string().check(z.refine((value: string) => value === businessName, CONFIRM_MISMATCH)),
  });
}

export type DeleteBusinessValues = { confirm: string };
