// Form schemas of the account pages (zod/mini: see auth.ts for why). The server checks the
// same rules again; these catch the obvious mistakes before a round trip.
//
// Only z.object, z.string, z.email, z.minLength and z.refine are used, the same parts of
// zod the sign-in form needs: every other zod/mini helper (trim, maxLength, regex, enum)
// pulls more of zod's checks into the chunk all form pages share, and the public pages
// sit close to the 180 KB first-load budget. `text()` below covers those cases.
import { z } from "zod/mini";

/** A string rule written as a plain predicate on the trimmed value. */
const rule = (test: (value: string) => boolean, message: string) => z.refine<string>((value) => test(value.trim()), message);
const maxChars = (max: number) => rule((value) => value.length <= max, `Use at most ${max} characters.`);
const required = (message: string) => rule((value) => value.length > 0, message);

/** The server's password policy starts at 10 characters (dashboard_api/auth/passwords.py). */
export const PASSWORD_MIN = 10;
const password = z
  .string()
  .check(z.minLength(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`), z.refine((value: string) => value.length <= 1024, "Use at most 1024 characters."));

export const signUpSchema = z.object({
  business_name: z.string().check(required("Enter your business name."), maxChars(200)),
  email: z.email("Enter a valid email address."),
  password,
});
export type SignUpValues = z.infer<typeof signUpSchema>;

export const forgotPasswordSchema = z.object({ email: z.email("Enter a valid email address.") });
export type ForgotPasswordValues = z.infer<typeof forgotPasswordSchema>;

export const newPasswordSchema = z
  .object({ password, confirm: z.string() })
  .check(
    z.refine((values) => values.password === values.confirm, {
      message: "The two passwords do not match.",
      path: ["confirm"],
    }),
  );
export type NewPasswordValues = z.infer<typeof newPasswordSchema>;

export const ROLES = ["owner", "admin", "editor", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const inviteSchema = z.object({
  email: z.email("Enter a valid email address."),
  role: z.string().check(z.refine((value: string) => (ROLES as readonly string[]).includes(value), "Choose a role.")),
});
export type InviteValues = z.infer<typeof inviteSchema>;

export const apiKeySchema = z.object({
  name: z.string().check(required("Give the key a name."), maxChars(200)),
  access: z.string().check(z.refine((value: string) => value === "read" || value === "write", "Choose what the key may do.")),
  // A date (yyyy-mm-dd) from <input type="date">, or empty for a key that never expires.
  expires_on: z.string().check(
    z.refine((value) => value === "" || new Date(`${value}T23:59:59`) > new Date(), "Choose a date in the future, or leave it empty."),
  ),
});
export type ApiKeyValues = z.infer<typeof apiKeySchema>;

const optionalText = (max: number) => z.string().check(maxChars(max));

export const businessSchema = z.object({
  name: z.string().check(required("Enter your business name."), maxChars(200)),
  website: z
    .string()
    .check(maxChars(500), rule((value) => value === "" || /^https?:\/\/[^\s/]+\.[^\s]+$/i.test(value), "Enter an address such as https://shop.example.com.")),
  support_email: z
    .string()
    .check(rule((value) => value === "" || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value), "Enter a valid email address.")),
  support_phone: z
    .string()
    .check(rule((value) => value === "" || /^\+?[0-9 ()./-]{5,40}$/.test(value), "Enter a phone number such as +49 30 1234567.")),
  currency: z.string().check(rule((value) => /^[A-Za-z]{3}$/.test(value), "Use a three-letter ISO code such as EUR.")),
  timezone: z.string().check(required("Choose a time zone."), maxChars(64)),
  language: z.string().check(rule((value) => /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(value), "Use a language code such as en or pt-BR.")),
  shipping_policy: optionalText(20000),
  returns_policy: optionalText(20000),
});
export type BusinessValues = z.infer<typeof businessSchema>;

/** Fields that may be cleared: an empty box means "none" (null) for the server. */
const NULLABLE = new Set<keyof BusinessValues>(["website", "support_email", "support_phone", "shipping_policy", "returns_policy"]);

/** Only what changed, in the server's shape: the PATCH leaves other fields alone, so two
 * people editing different fields do not overwrite each other. */
export function changedBusinessFields(before: BusinessValues, after: BusinessValues): Partial<Record<keyof BusinessValues, string | null>> {
  const patch: Partial<Record<keyof BusinessValues, string | null>> = {};
  for (const key of Object.keys(after) as (keyof BusinessValues)[]) {
    const next = key === "currency" ? after[key].trim().toUpperCase() : after[key].trim();
    if (next === before[key].trim()) continue;
    patch[key] = next === "" && NULLABLE.has(key) ? null : next;
  }
  return patch;
}

/** The API's `scopes` for an access level: `write` acts as an editor, `read` as a viewer. */
export function scopesFor(access: string): ("read" | "write")[] {
  return access === "write" ? ["read", "write"] : ["read"];
}

/** End of the chosen day in the browser's zone, as an aware timestamp; empty: never. */
export function expiryFor(expiresOn: string): string | null {
  return expiresOn ? new Date(`${expiresOn}T23:59:59`).toISOString() : null;
}

export const auditFilterSchema = z
  .object({
    action: z.string().check(maxChars(64)),
    actor: z.string(),
    from: z.string(),
    to: z.string(),
  })
  .check(
    z.refine((values) => !values.from || !values.to || values.from <= values.to, {
      message: "The end date must be on or after the start date.",
      path: ["to"],
    }),
  );
export type AuditFilterValues = z.infer<typeof auditFilterSchema>;
