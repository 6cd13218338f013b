// Form schemas use zod/mini: the same validation as zod, a fraction of the bytes in the
// first-load budget (180 KB gzipped per route).
import { z } from "zod/mini";

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
