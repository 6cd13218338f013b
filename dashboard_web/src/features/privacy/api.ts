// The privacy calls and their types, in one place: the business's retention period (part of
// the business profile API) and one shopper's data (export, erasure). Masking and consent are
// bot settings (features/bots/form-values.ts). A field the server renames is a compile error
// here and nowhere else.
import { api, authedFetch, unwrap } from "@/api/client";
import { toProblem } from "@/api/problem";
import type { components } from "@/api/schema";
import { filenameFromDisposition } from "@/features/conversations/export";
import type { PrivacyValues } from "@/lib/schemas/privacy";

export type Business = components["schemas"]["BusinessOut"];
export type PrivacyPatch = Pick<components["schemas"]["BusinessUpdate"], "retention_days">;

/** The card's values from the profile: null (or a server that leaves it out) is "keep". */
export function toPrivacyValues(business: Business): PrivacyValues {
  const days = business.retention_days ?? null;
  return { retention_days: days === null ? "keep" : String(days) };
}

/** Only what changed, like the profile form: two people editing different settings do not
 * overwrite each other. */
export function privacyPatch(before: PrivacyValues, after: PrivacyValues): PrivacyPatch {
  if (after.retention_days === before.retention_days) return {};
  return { retention_days: after.retention_days === "keep" ? null : Number(after.retention_days) };
}

/** Changing retention takes an admin or the owner (it deletes data on a schedule). */
export function savePrivacy(patch: PrivacyPatch): Promise<Business> {
  return unwrap(api.PATCH("/v1/business", { body: patch }));
}

function visitorPath(visitorId: string): string {
  return `/v1/privacy/visitors/${encodeURIComponent(visitorId)}`;
}

/** Everything held about one shopper, saved as a JSON file (fetched with the access token,
 * which a plain link cannot carry). Returns the file name. */
export async function downloadVisitorData(visitorId: string): Promise<string> {
  const url = `${window.location.origin}${visitorPath(visitorId)}/export`;
  const response = await authedFetch(new Request(url, { headers: { Accept: "application/json" } }));
  if (!response.ok) throw toProblem(response.status, await response.json().catch(() => null));
  const filename = filenameFromDisposition(response.headers.get("Content-Disposition"), "shopper-data.json");
  const objectUrl = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = objectUrl;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
  return filename;
}

/** Erases the shopper's conversations, messages, ratings and events, with every bot (204). */
export async function deleteVisitorData(visitorId: string): Promise<void> {
  await unwrap(api.DELETE("/v1/privacy/visitors/{visitor_id}", { params: { path: { visitor_id: visitorId } } }));
}

/** Dashboard previews ("Try it", the live preview) are the merchant's own chats, not a shopper's. */
export function isShopper(conversation: { visitor_id?: string | null; is_preview: boolean }): conversation is { visitor_id: string; is_preview: false } {
  return !conversation.is_preview && Boolean(conversation.visitor_id) && !conversation.visitor_id?.startsWith("preview:");
}
