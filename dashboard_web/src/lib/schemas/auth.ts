// Form schemas use zod/mini: the same validation as zod, a fraction of the bytes in the
// first-load budget (180 KB gzipped per route).
import { z } from "zod/mini";

// Module-level schemas are kept in every chunk that imports their file, used or not; the
// signed-out pages import only this file, so they carry only their own schemas.
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

export const signInSchema = z.object({
  email: z.email("Enter the email address you signed up with."),
  password: z.string().check(z.minLength(1, "Enter your password.")),
});
export type SignInValues = z.infer<typeof signInSchema>;

/** Where to go after signing in: only a path inside the app (never another site). */
export function safeNext(search: string): string {
  const next = new URLSearchParams(search).get("next");
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return "/";
  return next;
}
