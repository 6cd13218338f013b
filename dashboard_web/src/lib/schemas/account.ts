// Form schemas of the account pages (zod/mini: see auth.ts for why). The server checks the
// same rules again; these catch the obvious mistakes before a round trip.
import { z } from "zod/mini";

/** The server's password policy starts at 10 characters (dashboard_api/auth/passwords.py). */
export const PASSWORD_MIN = 10;
const password = z
  .string()
  .check(z.minLength(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`), z.maxLength(1024, "Use at most 1024 characters."));

export const signUpSchema = z.object({
  business_name: z
    .string()
    .check(z.trim(), z.minLength(1, "Enter your business name."), z.maxLength(200, "Use at most 200 characters.")),
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
  role: z.enum(ROLES, "Choose a role."),
});
export type InviteValues = z.infer<typeof inviteSchema>;

export const apiKeySchema = z.object({
  name: z.string().check(z.trim(), z.minLength(1, "Give the key a name."), z.maxLength(200, "Use at most 200 characters.")),
  access: z.enum(["read", "write"], "Choose what the key may do."),
  // A date (yyyy-mm-dd) from <input type="date">, or empty for a key that never expires.
  expires_on: z.string().check(
    z.refine((value) => value === "" || new Date(`${value}T23:59:59`) > new Date(), "Choose a date in the future, or leave it empty."),
  ),
});
export type ApiKeyValues = z.infer<typeof apiKeySchema>;

const optionalText = (max: number) => z.string().check(z.maxLength(max, `Use at most ${max} characters.`));

export const businessSchema = z.object({
  name: z.string().check(z.trim(), z.minLength(1, "Enter your business name."), z.maxLength(200, "Use at most 200 characters.")),
  website: z
    .string()
    .check(
      z.trim(),
      z.maxLength(500, "Use at most 500 characters."),
      z.refine((value) => value === "" || /^https?:\/\/[^\s/]+\.[^\s]+$/i.test(value), "Enter an address such as https://shop.example.com."),
    ),
  support_email: z
    .string()
    .check(z.trim(), z.refine((value) => value === "" || z.email().safeParse(value).success, "Enter a valid email address.")),
  support_phone: z
    .string()
    .check(z.trim(), z.refine((value) => value === "" || /^\+?[0-9 ()./-]{5,40}$/.test(value), "Enter a phone number such as +49 30 1234567.")),
  currency: z.string().check(z.trim(), z.regex(/^[A-Za-z]{3}$/, "Use a three-letter ISO code such as EUR.")),
  timezone: z.string().check(z.minLength(1, "Choose a time zone."), z.maxLength(64)),
  language: z
    .string()
    .check(z.trim(), z.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "Use a language code such as en or pt-BR.")),
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
export function scopesFor(access: ApiKeyValues["access"]): ("read" | "write")[] {
  return access === "write" ? ["read", "write"] : ["read"];
}

/** End of the chosen day in the browser's zone, as an aware timestamp; empty: never. */
export function expiryFor(expiresOn: string): string | null {
  return expiresOn ? new Date(`${expiresOn}T23:59:59`).toISOString() : null;
}

export const auditFilterSchema = z
  .object({
    action: z.string().check(z.trim(), z.maxLength(64, "Use at most 64 characters.")),
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

/** Filter values as the endpoint's query: dates cover whole local days (`to` is exclusive,
 * so it is the start of the day after). */
export function auditQuery(filters: AuditFilterValues): { action?: string; actor_user_id?: string; from?: string; to?: string } {
  const query: { action?: string; actor_user_id?: string; from?: string; to?: string } = {};
  if (filters.action) query.action = filters.action;
  if (filters.actor) query.actor_user_id = filters.actor;
  if (filters.from) query.from = new Date(`${filters.from}T00:00:00`).toISOString();
  if (filters.to) {
    const end = new Date(`${filters.to}T00:00:00`);
    end.setDate(end.getDate() + 1);
    query.to = end.toISOString();
  }
  return query;
}
