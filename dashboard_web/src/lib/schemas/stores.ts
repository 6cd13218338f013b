// Store forms (zod/mini: the first-load budget). The server checks the same rules
// (dashboard_api/stores/schemas.py); checking here first saves a round trip to the store.
import { z } from "zod/mini";

const URL_HINT = "Enter the store's address, such as https://shop.example.com";

/** The server accepts http(s) addresses without user, query or fragment. */
export function isStoreUrl(value: string): boolean {
  const trimmed = value.trim();
  if (!/^https?:\/\//i.test(trimmed) || /\s/.test(trimmed)) return false;
  try {
    const url = new URL(trimmed);
    return Boolean(url.hostname) && !url.username && !url.password && !url.search && !url.hash;
  } catch {
    return false;
  }
}

const key = (label: string) =>
  z.string().check(z.trim(), z.minLength(1, `Enter the ${label}.`), z.maxLength(200, `The ${label} is at most 200 characters.`));

export const credentialsSchema = z.object({
  consumer_key: key("consumer key"),
  consumer_secret: key("consumer secret"),
});
export type CredentialsValues = z.infer<typeof credentialsSchema>;

export const connectStoreSchema = z.object({
  url: z.string().check(
    z.trim(),
    z.minLength(1, URL_HINT),
    z.maxLength(500, "The address is at most 500 characters."),
    z.refine(isStoreUrl, URL_HINT),
  ),
  consumer_key: key("consumer key"),
  consumer_secret: key("consumer secret"),
});
export type ConnectStoreValues = z.infer<typeof connectStoreSchema>;
